/**
 * Character-bigram similarity: the one measure of “how alike are two short texts” that ranking, the decision and
 * gap clustering share. Texts are compared after normalisation (NFKC, lower case, punctuation and spaces dropped).
 */
import { normalizeText } from './normalize.js';

export const compact = (text: string) => normalizeText(text).replace(/\s+/g, '');

/** Overlapping two-character pieces of a text without spaces (all characters, not only Han). */
export function charBigrams(compactText: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < compactText.length; i++) out.push(compactText.slice(i, i + 2));
  return out;
}

/** Dice coefficient of two bigram multisets (0..1). */
export function diceOf(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const counts = new Map<string, number>();
  for (const g of a) counts.set(g, (counts.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of b) {
    const n = counts.get(g);
    if (n) {
      common++;
      counts.set(g, n - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}

/** Bigram Dice similarity of two texts, ignoring punctuation and spaces. */
export function textSimilarity(a: string, b: string): number {
  return diceOf(charBigrams(compact(a)), charBigrams(compact(b)));
}
