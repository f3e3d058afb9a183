import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { Jieba } from '@node-rs/jieba';
import { dict as defaultDict } from '@node-rs/jieba/dict.js';
import { normalizeText, HAN, NORMALIZATION_ID } from './normalize.js';

/**
 * Function words and question words: they carry the question's form, not its subject, so lexical matching
 * ignores them (the embedder still sees them).
 */
const STOPWORDS = new Set(
  (
    '的 了 吗 呢 啊 吧 么 嘛 呀 哦 是 在 要 把 到 和 与 及 或 等 被 给 对 从 向 让 将 就 都 也 还 又 而 并 且 但 ' +
    '我 我们 你 你们 您 他 她 它 他们 这 那 这个 那个 这些 那些 个 有 没有 能 能否 可以 可 会 该 应 应该 需要 ' +
    '什么 哪些 哪个 哪里 哪儿 怎么 怎样 怎么样 如何 多少 多久 几 吗 是否 为什么 请问 一下 一些 一个 ' +
    '干什么 做什么 是什么 有哪些 什么样 之 其 以 为 于 上 下 中 内 时 后 前 里 来 去 过 着 想 问 请 ' +
    '几点 几号 哪天 谁 哪位 几次 几个 几种 几项 几类 多长 多大 啥 咋 呗 哪方面 哪几种 哪几个 哪几项 吗 么样 ' +
    '有没有 能不能 是不是 会不会 要不要 可不可以 行不行 对不对 啊 哈 嗯 呃 哎 诶'
  ).split(/\s+/),
);

export function isStopWord(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Characters typed as grammar that are not stop words on their own: 说要, 跟谁, 哪能, 得办, 这些. */
const GRAMMAR_CHARS = new Set('说跟哪得些');

/** One character typed as grammar, not as part of a subject: a one-character stop word or one of GRAMMAR_CHARS. */
export function isGrammarChar(ch: string): boolean {
  return STOPWORDS.has(ch) || GRAMMAR_CHARS.has(ch);
}

/** Reads a dictionary file: one word per line, optional frequency; # starts a comment. */
export function readDictionaryFile(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim().split(/\s+/)[0])
    .filter((w): w is string => Boolean(w));
}

/**
 * Every jieba dictionary word's frequency in general Chinese: how much an everyday word should weigh, which words
 * are common (≥ 3000: 目前, 需要 — a question may use one the KB never does without being off-topic, unlike a rare
 * word such as 迪士尼 the KB never mentions) and which are real words (≥ 100: 公式, 期间 — typed on purpose, not a
 * pinyin slip, even when the KB has a homophone such as 公示).
 */
const GENERAL_FREQ = new Map<string, number>();
let GENERAL_TOTAL = 0;
for (const line of Buffer.from(defaultDict).toString('utf8').split('\n')) {
  const [word, freq] = line.split(' ');
  const f = Number(freq);
  if (!word || !f) continue;
  GENERAL_FREQ.set(word, f);
  GENERAL_TOTAL += f;
}
const COMMON_FREQ = 3000;
const GENERAL_WORD_FREQ = 100;

/** A short (2–4 character) word of general Chinese: see GENERAL_FREQ. */
export function isGeneralWord(word: string): boolean {
  return word.length >= 2 && word.length <= 4 && (GENERAL_FREQ.get(word) ?? 0) >= GENERAL_WORD_FREQ;
}

/** jieba part-of-speech tags of words that name a subject (nouns, names, places, idioms, unknown words). */
const SUBJECT_TAGS = new Set(['n', 'nr', 'nrt', 'nrfg', 'ns', 'nt', 'nz', 'ng', 'vn', 'an', 'l', 'i', 'j', 'x', 'eng']);

/**
 * Chinese tokenisation: jieba (search mode) with the default dictionary plus the domain dictionary, over
 * normalised text; Han character bigrams as the fallback for words no dictionary knows.
 */
export class Tokenizer {
  private readonly jieba: Jieba;
  /** Changes when the dictionary changes: derived indexes are stamped with it. */
  readonly id: string;

  constructor(domainWords: string[] = []) {
    this.jieba = Jieba.withDict(defaultDict);
    const words = [...new Set(domainWords.map((w) => normalizeText(w).replace(/\s+/g, '')).filter(Boolean))].sort();
    if (words.length) this.jieba.loadDict(Buffer.from(words.map((w) => `${w} 2000000 n`).join('\n')));
    this.id = `jieba-search+${NORMALIZATION_ID}/${createHash('sha1').update(words.join('\n')).digest('hex').slice(0, 12)}`;
  }

  /**
   * A word that says how or when rather than what: everyday (frequent) words, and verbs, adverbs, adjectives,
   * conjunctions, time words … by jieba's part-of-speech tag. Nouns, names, idioms and unknown words name subjects.
   */
  isGenericWord(word: string): boolean {
    if ((GENERAL_FREQ.get(word) ?? 0) >= COMMON_FREQ) return true;
    const tags = this.jieba.tag(word, true);
    return tags.length === 1 && !SUBJECT_TAGS.has(tags[0].tag);
  }

  /** How rare a word is in general Chinese (log of total / its frequency in jieba's dictionary); null when absent. */
  generalIdf(word: string): number | null {
    const f = GENERAL_FREQ.get(word);
    return f ? Math.log(GENERAL_TOTAL / f) : null;
  }

  /** Content words of a text (normalised, stop words dropped), in order, with repeats. */
  words(text: string): string[] {
    const norm = normalizeText(text);
    if (!norm) return [];
    const out: string[] = [];
    for (const w of this.jieba.cutForSearch(norm, true)) {
      const t = w.trim();
      if (!t || STOPWORDS.has(t)) continue;
      if (t.length === 1 && !HAN.test(t) && !/\d/.test(t)) continue; // stray Latin letters
      out.push(t);
    }
    return out;
  }

  /** Words as jieba cuts them without the search-mode sub-words (for display and clustering). */
  cut(text: string): string[] {
    return this.jieba.cut(normalizeText(text), true).filter((w) => w.trim() && !STOPWORDS.has(w));
  }

  /** Offsets in the normalised text without spaces where jieba's words start and end (for synonym matching). */
  wordBoundaries(text: string): Set<number> {
    const out = new Set<number>([0]);
    let at = 0;
    for (const w of this.jieba.cut(normalizeText(text), true)) {
      const t = w.replace(/\s+/g, '');
      if (!t) continue;
      at += t.length;
      out.add(at);
    }
    return out;
  }

  /** Han character bigrams of the normalised text (and single characters of one-character runs). */
  bigrams(text: string): string[] {
    const out: string[] = [];
    for (const run of normalizeText(text).match(/\p{Script=Han}+/gu) ?? []) {
      if (run.length === 1) out.push(run);
      for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    }
    return out;
  }
}
