import type { Entry } from '../kb/entries.js';
import type { Tokenizer } from './tokenizer.js';
import { compact, charBigrams } from './similarity.js';
import { extractSlots, type Slots } from './slots.js';
import { HAN } from './normalize.js';

/** What the ranker needs of one published entry, precomputed when the entry is indexed. */
/** What the index needs of a retrievable unit: an entry, or a source passage shaped like one. */
export type SearchUnit = Pick<
  Entry,
  'id' | 'version' | 'category' | 'audience' | 'region' | 'level' | 'expiresAt' | 'question' | 'similarQuestions' | 'keywords' | 'answer' | 'documentId' | 'sourceSection'
> & {
  /** Section paths a source passage covers; an entry covers its own source section. */
  sections?: string[];
};

export interface CorpusEntry {
  id: number;
  /** Source passage (quoted from a document) rather than an entry. */
  passage: boolean;
  documentId: number | null;
  /** Section paths of the document this unit states (for telling an entry and its own passage apart from rivals). */
  sections: string[];
  version: number;
  category: Entry['category'];
  audience: Entry['audience'];
  region: string;
  level: Entry['level'];
  expiresAt: string | null;
  question: string;
  /** Normalised question, similar questions and keywords, without spaces (for substring matching). */
  questionText: string;
  /** Normalised answer without spaces. */
  answerText: string;
  /** Where the entry applies and comes from (region, document title and issuer): context a question may name. */
  contextText: string;
  /** The question and similar questions, normalised without spaces (for near-verbatim matching). */
  questions: string[];
  /** Places, years and 文号 the unit states (its text and context), which a question naming others contradicts. */
  slots: Slots;
  /**
   * Distinct tokens and bigrams counted in document frequencies, joined by \u0001: one string per entry instead
   * of a hundred (memory at 100k entries).
   */
  terms: string;
}

export const TERM_SEPARATOR = '\u0001';

/** The distinct Han characters of a text (UTF-16 units: the rare characters outside the BMP are left out). */
export function hanChars(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < text.length; i++) if (HAN.test(text[i])) out.add(text[i]);
  return out;
}

/** The words (not bigrams) of a built entry. */
export function entryWords(e: CorpusEntry): string[] {
  return e.terms.split(TERM_SEPARATOR).filter((t) => t && !t.startsWith('#'));
}

export { compact, charBigrams };

/**
 * The in-memory view of the published entries: per-entry text for feature computation, and document
 * frequencies of words and bigrams (for IDF weights), maintained incrementally.
 */
export class Corpus {
  readonly entries = new Map<number, CorpusEntry>();
  private readonly df = new Map<string, number>();
  /** Units holding each Han character: the IDF of the character BM25 (kept apart from words, which may be one character). */
  private readonly charDf = new Map<string, number>();
  /** Sum of the units' text lengths (question side + answer), for BM25's length normalisation. */
  private totalLength = 0;

  constructor(private readonly tokenizer: Tokenizer) {}

  get size(): number {
    return this.entries.size;
  }

  build(entry: SearchUnit, context = ''): CorpusEntry {
    const questions = [entry.question, ...entry.similarQuestions];
    const questionText = compact([...questions, ...entry.keywords].join(' '));
    const answerText = compact(entry.answer);
    const words = this.tokenizer.words(`${questions.join(' ')} ${entry.keywords.join(' ')} ${entry.answer}`);
    const grams = [...charBigrams(questionText), ...charBigrams(answerText)];
    return {
      id: entry.id, passage: Boolean(entry.sections), documentId: entry.documentId,
      sections: entry.sections ?? (entry.sourceSection !== null ? [entry.sourceSection] : []), version: entry.version, category: entry.category, audience: entry.audience, region: entry.region,
      level: entry.level, expiresAt: entry.expiresAt, question: entry.question, questionText, answerText,
      contextText: compact(`${entry.region} ${context}`),
      slots: extractSlots(`${entry.region} ${context} ${questions.join(' ')} ${entry.answer}`),
      // A passage's lifted questions help find it, but only an entry's own questions make a near-verbatim ask.
      questions: (entry.sections ? [entry.question] : questions).map((q) => compact(q)),
      terms: [...new Set([...words, ...grams.map((g) => `#${g}`)])].join(TERM_SEPARATOR),
    };
  }

  /** Words whose document frequency changed since the last takeChangedWords() (for the typo corrector). */
  private changed = new Set<string>();

  upsert(entry: CorpusEntry): void {
    this.remove(entry.id);
    this.entries.set(entry.id, entry);
    this.totalLength += entry.questionText.length + entry.answerText.length;
    for (const ch of hanChars(entry.questionText + entry.answerText)) this.charDf.set(ch, (this.charDf.get(ch) ?? 0) + 1);
    for (const t of entry.terms.split(TERM_SEPARATOR)) {
      this.df.set(t, (this.df.get(t) ?? 0) + 1);
      if (!t.startsWith('#')) this.changed.add(t);
    }
  }

  remove(id: number): void {
    const old = this.entries.get(id);
    if (!old) return;
    for (const t of old.terms.split(TERM_SEPARATOR)) {
      const n = (this.df.get(t) ?? 1) - 1;
      if (n > 0) this.df.set(t, n);
      else this.df.delete(t);
      if (!t.startsWith('#')) this.changed.add(t);
    }
    this.totalLength -= old.questionText.length + old.answerText.length;
    for (const ch of hanChars(old.questionText + old.answerText)) {
      const n = (this.charDf.get(ch) ?? 1) - 1;
      if (n > 0) this.charDf.set(ch, n);
      else this.charDf.delete(ch);
    }
    this.entries.delete(id);
  }

  /** Mean unit length in characters (question side + answer). */
  get averageLength(): number {
    return this.entries.size ? this.totalLength / this.entries.size : 1;
  }

  /**
   * Entries containing a word: its own count when the tokenizer produced it, else bounded by its rarest bigram
   * (segmentation may differ between query and entries, substring containment does not).
   */
  docFreq(word: string): number {
    const direct = this.df.get(word);
    if (direct !== undefined) return direct;
    if (word.length < 2) return 0;
    let min = Infinity;
    for (const g of charBigrams(word)) min = Math.min(min, this.df.get(`#${g}`) ?? 0);
    return Number.isFinite(min) ? min : 0;
  }

  /** Entries whose words include this one as the tokenizer cut it (no bigram estimate): 0 for a word never cut so. */
  wordFreq(word: string): number {
    return this.df.get(word) ?? 0;
  }

  /** Words (not bigrams) of the published entries with the number of entries using each (for the pinyin corrector). */
  /** The words whose document frequency changed since the last call, each with its count now (0: gone). */
  takeChangedWords(): Array<[string, number]> {
    const out = [...this.changed].map((w): [string, number] => [w, this.df.get(w) ?? 0]);
    this.changed.clear();
    return out;
  }

  *vocabulary(): IterableIterator<[string, number]> {
    for (const entry of this.df) if (!entry[0].startsWith('#')) yield entry;
  }

  /** BM25-style inverse document frequency. */
  idf(word: string): number {
    return bm25Idf(this.entries.size, this.docFreq(word));
  }

  /** The same for one Han character, counted over the units' text. */
  charIdf(ch: string): number {
    return bm25Idf(this.entries.size, this.charDf.get(ch) ?? 0);
  }
}

function bm25Idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}
