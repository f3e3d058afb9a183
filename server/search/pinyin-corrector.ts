import { pinyin } from 'pinyin-pro';
import { isGeneralWord, isStopWord } from './tokenizer.js';

/**
 * Pinyin-input typos in questions: a character replaced by a homophone (设保 for 社保, 工积金 for 公积金,
 * 营业值照 for 营业执照, 冲值 for 充值). A query word the KB never uses is replaced by a KB word with the same
 * toneless pinyin that differs from it in exactly one character, the most frequent one if several.
 */
export interface Correction {
  from: string;
  to: string;
}

export interface CorrectionResult {
  /** The input with the corrections applied (unchanged when there are none). */
  text: string;
  corrections: Correction[];
}

export interface CorrectorOptions {
  /** A query word in at most this many entries may still be a typo … */
  rareDf?: number;
  /** … when its homophone is in at least this many times as many entries. */
  rareRatio?: number;
}

/** Word lengths looked up: long enough for 营业执照, short enough to stay one word. */
const MIN_LEN = 2;
const MAX_LEN = 4;
const HAN_ONLY = /^\p{Script=Han}+$/u;
const HAN_RUNS = /\p{Script=Han}{2,}/gu;
/**
 * Negations and adverbs typed on purpose, never the mistyped character of a word (没人 is not 每人, 下不 not 下部);
 * with the stop words (就, 都, 也, 还, 又 are among them).
 */
const FUNCTION_CHARS = new Set('没不别未非很才再');

/** Toneless pinyin, one syllable per character (read in context, so 银行 is yin hang). */
function syllables(text: string): string[] {
  const out = pinyin(text, { toneType: 'none', type: 'array' });
  return out.length === text.length ? out : [...text].map((c) => pinyin(c, { toneType: 'none' }));
}

export class PinyinCorrector {
  private readonly df = new Map<string, number>();
  /** Words by their toneless pinyin ("she bao" → 社保, 设保 …). */
  private readonly byKey = new Map<string, string[]>();
  /** Pinyin of each word ever indexed: a rebuild reuses it (computing it is most of the build cost). */
  private readonly keys: Map<string, string>;
  private readonly rareDf: number;
  private readonly rareRatio: number;

  constructor(options: CorrectorOptions = {}, keyCache = new Map<string, string>()) {
    this.rareDf = options.rareDf ?? 1;
    this.rareRatio = options.rareRatio ?? 50;
    this.keys = keyCache;
  }

  /**
   * From the KB's words and document frequencies (`engine.corpus.vocabulary()`); `previous` (the corrector being
   * replaced) lends its pinyin so that a rebuild costs little more than a pass over the words.
   */
  static fromVocabulary(vocabulary: Iterable<[string, number]>, previous?: PinyinCorrector, options?: CorrectorOptions): PinyinCorrector {
    const c = new PinyinCorrector(options, previous?.keys);
    for (const [word, df] of vocabulary) c.set(word, df);
    return c;
  }

  /** Adds a word, changes its document frequency, or removes it (df 0). */
  set(word: string, df: number): void {
    if (word.length < MIN_LEN || word.length > MAX_LEN || !HAN_ONLY.test(word)) return;
    const had = this.df.has(word);
    if (df <= 0) {
      if (!had) return;
      this.df.delete(word);
      const key = this.keyOf(word);
      const list = this.byKey.get(key)!.filter((w) => w !== word);
      if (list.length) this.byKey.set(key, list);
      else this.byKey.delete(key);
      return;
    }
    this.df.set(word, df);
    if (had) return;
    const key = this.keyOf(word);
    const list = this.byKey.get(key);
    if (list) list.push(word);
    else this.byKey.set(key, [word]);
  }

  get size(): number {
    return this.df.size;
  }

  private keyOf(word: string): string {
    let key = this.keys.get(word);
    if (key === undefined) {
      key = syllables(word).join(' ');
      this.keys.set(word, key);
    }
    return key;
  }

  /** The most frequent KB word of this pinyin that differs from `text` in exactly one character (at an allowed place). */
  private homophone(text: string, key: string, mayChange: (i: number) => boolean, query: string): string | null {
    let best: string | null = null;
    let bestDf = 0;
    for (const w of this.byKey.get(key) ?? []) {
      if (w.length !== text.length || query.includes(w)) continue;
      let diff = -1;
      for (let i = 0; i < w.length; i++) {
        if (w[i] === text[i]) continue;
        if (diff >= 0) {
          diff = -2;
          break;
        }
        diff = i;
      }
      if (diff < 0 || !mayChange(diff)) continue;
      const df = this.df.get(w)!;
      if (df > bestDf) {
        best = w;
        bestDf = df;
      }
    }
    return best;
  }

  /** A word the KB uses, other than a rare spelling of a far more frequent homophone (a typo in an entry). */
  private known(word: string, key: () => string): boolean {
    const df = this.df.get(word) ?? 0;
    if (df === 0) return false;
    if (df > this.rareDf) return true;
    const other = this.homophone(word, key(), () => true, '');
    return !other || this.df.get(other)! < this.rareRatio * df;
  }

  /**
   * Corrects the Han words of a normalised query (or of its words). Only runs of characters no KB word or general
   * word covers are looked at, longest first; a word the KB knows is never changed, and nothing is changed into a
   * word the query already has.
   */
  correct(input: string | string[], wordBoundaries?: (run: string) => Set<number>): CorrectionResult {
    const text = Array.isArray(input) ? input.join(' ') : input;
    const corrections: Correction[] = [];
    if (!this.byKey.size) return { text, corrections };
    const out = text.replace(HAN_RUNS, (run) => {
      if (run.length !== [...run].length) return run; // astral characters: offsets below assume one unit each
      // Pinyin is computed only when a piece is not plainly a known word (most questions have none).
      let syl: string[] | null = null;
      const keyAt = (i: number, len: number) => (syl ??= syllables(run)).slice(i, i + len).join(' ');
      // A character inside a word the KB or general Chinese knows was typed on purpose.
      const covered = new Array<boolean>(run.length).fill(false);
      for (let len = MIN_LEN; len <= MAX_LEN; len++) {
        for (let i = 0; i + len <= run.length; i++) {
          const s = run.slice(i, i + len);
          if (isGeneralWord(s) || this.known(s, () => keyAt(i, len))) covered.fill(true, i, i + len);
        }
      }
      if (covered.every(Boolean)) return run;
      const fixed = [...run];
      const changed = new Array<boolean>(run.length).fill(false);
      // Where the segmenter starts words in this run (when given, and only once a two-character correction is in
      // sight): two characters it reads as two words (要/带, 外地/交, 没/花完) are not one mistyped word — a
      // two-character homophone across a word boundary is chance.
      let starts: Set<number> | undefined;
      const splitAt = (i: number) => Boolean(wordBoundaries && (starts ??= wordBoundaries(run)).has(i));
      for (let len = Math.min(MAX_LEN, run.length); len >= MIN_LEN; len--) {
        for (let i = 0; i + len <= run.length; i++) {
          if (changed.slice(i, i + len).some(Boolean)) continue;
          const s = run.slice(i, i + len);
          if (isGeneralWord(s) || this.known(s, () => keyAt(i, len))) continue;
          // 要, 和, 那 … are function words typed on purpose: 后要 is not a typo of 后腰. A character inside a
          // general word may still be a typo when a three-character or longer KB term is typed whole (随身办 for
          // 随申办): homophones that long are rarely chance.
          const to = this.homophone(s, keyAt(i, len), (j) => (len >= 3 || !covered[i + j]) && !isStopWord(s[j]) && !FUNCTION_CHARS.has(s[j]), text);
          if (!to || (len === 2 && splitAt(i + 1))) continue;
          corrections.push({ from: s, to });
          for (let j = 0; j < len; j++) fixed[i + j] = to[j];
          changed.fill(true, i, i + len);
        }
      }
      return fixed.join('');
    });
    return { text: out, corrections };
  }
}
