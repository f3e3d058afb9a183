import { entryWords } from '../search/corpus.js';
import type { SearchEngine } from '../search/engine.js';
import type { Entry } from '../kb/entries.js';
import { normalizeText } from '../search/normalize.js';
import { compact } from '../search/corpus.js';
import { withoutPlaceholders } from '../privacy/mask.js';

/**
 * When two unanswered questions ask the same thing (one gap).
 *
 * Lexical: the questions' concepts as the search engine sees them — jieba words (with the domain dictionary) and
 * synonym groups folded into one concept (丢了 = 遗失, 补 = 补办, 执照 = 营业执照) — compared by Dice, every concept
 * weighing the same: what is asked (补办, 注销, 提取) matters as much as what it is about. One question may add
 * concepts to the other (如何提取住房公积金 adds 住房 to 公积金怎么提取), but when both have a concept the other lacks,
 * one thing was replaced by another (营业执照怎么补办 / 营业执照怎么注销, 居住证过期了 / 护照过期了) and the lexical
 * overlap counts as none. Semantic: cosine of the engine's embeddings.
 *
 * A pair is one gap when 0.7 · overlap + 0.3 · cosine ≥ 0.65: same concepts always (the builtin embedder gives
 * 营业执照丢了怎么补 / 执照遗失补办 a cosine of only 0.26), overlap 0.8 with cosine ≥ 0.3, overlap 0.67 with cosine ≥ 0.61,
 * never on the cosine alone — with the builtin embedder same-subject different questions (公积金怎么提取 / 公积金怎么缴存,
 * 企业开办 / 企业注销 材料) reach cosines of 0.67–0.71, above those paraphrases, and a semantic model rates everything on
 * one subject high. Checked on the pairs in test/gaps.test.ts and on a grid of 6 subjects × 17 question forms (no
 * subject merged with another). Paraphrases the concepts miss (居住证到期续签 / 居住证过期续办) join once an editor adds the
 * synonyms: the clustering job compares the open gaps again with the current synonyms.
 */
export const GAP_SIMILARITY = { lexicalWeight: 0.7, semanticWeight: 0.3, threshold: 0.65 };

/** Greetings and question forms that the engine's stop words let through: they never tell two questions apart. */
const FILLER = new Set(
  '你好 您好 谢谢 感谢 麻烦 咨询 了解 知道 告诉 想问 问问 一下子 怎么办 怎么样 可以吗 行不行 能不能 有没有 是不是 要不要 需不需要 可不可以 小申'.split(' '),
);

export interface QuestionFeatures {
  /** Compact normalised text: equal keys are the same question. */
  key: string;
  /** Concepts: a synonym group (its members joined) or a word. */
  concepts: Set<string>;
  vector: Float32Array;
}

/** Placeholders of masked personal data say nothing about the subject. */
const comparableText = withoutPlaceholders;

/** Compact normalised form: two questions differing only in punctuation, width or case are one. */
export function questionKey(question: string): string {
  return compact(comparableText(question));
}

/**
 * The engine's jieba words of a text, through the corpus builder it indexes entries with (the only public way to its
 * tokenizer and domain dictionary).
 */
function engineWords(engine: SearchEngine, text: string): Set<string> {
  const probe = { id: 0, version: 0, category: 'faq', audience: 'all', level: 'city', region: '', expiresAt: null, question: text, similarQuestions: [], keywords: [], answer: '' };
  return new Set(entryWords(engine.corpus.build(probe as unknown as Entry)));
}

function conceptsOf(engine: SearchEngine, text: string): Set<string> {
  const normalized = normalizeText(text);
  const words = engineWords(engine, normalized);
  const out = new Set<string>();
  const whole: string[] = [];
  const singles: string[] = [];
  for (const c of engine.concepts(normalized)) {
    if (FILLER.has(c.text)) continue;
    // Synonyms match as substrings: 补 (= 补办) inside 补贴 is not 补. Take the word it is part of instead.
    if (c.forms.length > 1 && c.text.length === 1 && !words.has(c.text)) {
      const word = [...words].find((w) => w.length > 1 && w.includes(c.text));
      if (word) {
        whole.push(word);
        continue;
      }
    }
    if (c.forms.length === 1 && c.text.length === 1) singles.push(c.text);
    out.add(c.forms.length > 1 ? [...c.forms].sort().join('|') : c.text);
  }
  for (const word of whole) {
    out.add(word);
    for (const s of singles) if (word.includes(s)) out.delete(s); // the rest of that word (贴 of 补贴)
  }
  return out;
}

/** Dice of two concept sets; none when each has a concept the other lacks (something was replaced). */
function overlap(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const k of a) if (b.has(k)) shared++;
  if (shared < a.size && shared < b.size) return 0;
  return (2 * shared) / (a.size + b.size);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Similarity of two questions in 0..1 (1 for the same question). */
export function questionSimilarity(a: QuestionFeatures, b: QuestionFeatures): number {
  if (a.key && a.key === b.key) return 1;
  const { lexicalWeight, semanticWeight } = GAP_SIMILARITY;
  return lexicalWeight * overlap(a.concepts, b.concepts) + semanticWeight * Math.max(0, cosine(a.vector, b.vector));
}

export function sameGap(a: QuestionFeatures, b: QuestionFeatures): boolean {
  return questionSimilarity(a, b) >= GAP_SIMILARITY.threshold;
}

/**
 * Keys two questions must share to be one gap (the cosine alone, weight 0.3, cannot reach the threshold): an index
 * on them keeps the comparisons few when the queue is long.
 */
export function candidateKeys(f: QuestionFeatures): string[] {
  return [`=${f.key}`, ...f.concepts];
}

/**
 * Features of questions, cached by text: every unanswered ask is compared with the questions of every open gap.
 * Embeddings depend on the text only; concepts also on the dictionary, the synonyms and the corpus, so they are
 * dropped when the engine's state changes, and by forget() (the clustering job re-reads everything).
 */
export class QuestionFeaturizer {
  private readonly vectors = new Map<string, Float32Array>();
  private readonly concepts = new Map<string, Set<string>>();
  private stamp = '';

  constructor(private readonly engine: SearchEngine, private readonly cacheSize = 20_000) {}

  forget(): void {
    this.concepts.clear();
  }

  /** What concepts depend on (dictionary, synonyms, corpus): when it changes, concepts are computed afresh. */
  stateStamp(): string {
    const status = this.engine.status();
    return `${status.tokenizer}|${status.synonyms}|${status.kbVersion}`;
  }

  /** Features of every text, computed together (one await) so callers can compare them synchronously. */
  async featuresOf(texts: string[]): Promise<Map<string, QuestionFeatures>> {
    const stamp = this.stateStamp();
    if (stamp !== this.stamp) {
      this.concepts.clear();
      this.stamp = stamp;
    }
    const out = new Map<string, QuestionFeatures>();
    for (const text of new Set(texts)) {
      const comparable = comparableText(text);
      let vector = this.vectors.get(comparable);
      if (!vector) {
        vector = await this.engine.embedder.embedQuery(comparable);
        if (this.vectors.size >= this.cacheSize) this.vectors.clear();
        this.vectors.set(comparable, vector);
      }
      let concepts = this.concepts.get(comparable);
      if (!concepts) {
        concepts = conceptsOf(this.engine, comparable);
        if (this.concepts.size >= this.cacheSize) this.concepts.clear();
        this.concepts.set(comparable, concepts);
      }
      out.set(text, { key: questionKey(text), concepts, vector });
    }
    return out;
  }
}
