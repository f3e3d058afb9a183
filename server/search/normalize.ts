import * as OpenCC from 'opencc-js';

/**
 * Text normalisation shared by indexing and querying: NFKC (full-width → half-width, compatibility forms),
 * lower case, traditional → simplified characters, punctuation and symbols → space, runs of whitespace collapsed.
 */
const PUNCT = /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}]+/gu;

/** Names the folding steps: indexes built with other steps must be rebuilt (part of the tokenizer's id). */
export const NORMALIZATION_ID = 'nfkc-t2s';

let toSimplified: ((text: string) => string) | null = null;
/** Characters (CJK Unified Ideographs) that t→cn folding changes: a text with none of them needs no conversion. */
let foldable: Set<string> | null = null;

function converter(): (text: string) => string {
  if (toSimplified) return toSimplified;
  const convert = OpenCC.Converter({ from: 't', to: 'cn' });
  const block = Array.from({ length: 0x9fff - 0x4e00 + 1 }, (_, i) => String.fromCodePoint(0x4e00 + i));
  const folded = [...convert(block.join(''))];
  foldable = new Set(block.filter((c, i) => folded[i] !== c));
  toSimplified = convert;
  return convert;
}

/**
 * Traditional → simplified (OpenCC t→cn, phrases and characters), so a document in traditional characters answers
 * simplified questions and the other way round. Built on first use (about 60 ms). Most texts are simplified
 * already: those are returned as they are after a character scan, without running the phrase conversion.
 */
export function foldTraditional(text: string): string {
  const convert = converter();
  for (const ch of text) if (foldable!.has(ch)) return convert(text);
  return text;
}

export function normalizeText(text: string): string {
  return foldTraditional(text.normalize('NFKC').toLowerCase())
    .replace(/(\d)\s*\*\s*(\d)/g, '$1x$2') // keep "7*24" as one token "7x24"
    .replace(/(\d)\s*%/g, '$1%') // keep "90%" together before punctuation is dropped
    .replace(/%/g, '\ue000') // a private-use stand-in survives the punctuation pass
    .replace(PUNCT, ' ')
    .replace(/\ue000/g, '%')
    .trim();
}

const CN_DIGIT: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 五 → 5, 两 → 2, 十 → 10, 十二 → 12, 二十三 → 23 (up to 99); null for anything else. */
export function chineseSmallNumber(s: string): number | null {
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/u.exec(s);
  if (!m || (!m[1] && !m[2] && !m[3])) return null;
  if (!m[2]) return m[3] ? null : CN_DIGIT[m[1]!];
  return (m[1] ? CN_DIGIT[m[1]] : 1) * 10 + (m[3] ? CN_DIGIT[m[3]] : 0);
}

/** CJK ideographs (the Han script). */
export const HAN = /\p{Script=Han}/u;

/** True when the text has something to search for: a letter, digit or Han character. */
export function hasSearchableText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text.normalize('NFKC'));
}
