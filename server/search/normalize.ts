/**
 * Text normalisation shared by indexing and querying: NFKC (full-width → half-width, compatibility forms),
 * lower case, punctuation and symbols → space, runs of whitespace collapsed.
 */
const PUNCT = /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}]+/gu;

export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(\d)\s*\*\s*(\d)/g, '$1x$2') // keep "7*24" as one token "7x24"
    .replace(/(\d)\s*%/g, '$1%') // keep "90%" together before punctuation is dropped
    .replace(/%/g, '\ue000') // a private-use stand-in survives the punctuation pass
    .replace(PUNCT, ' ')
    .replace(/\ue000/g, '%')
    .trim();
}

/** CJK ideographs (the Han script). */
export const HAN = /\p{Script=Han}/u;

/** True when the text has something to search for: a letter, digit or Han character. */
export function hasSearchableText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text.normalize('NFKC'));
}
