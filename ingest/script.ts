/**
 * Documents written in traditional characters. The ingest's grammar (metadata patterns, the verbs that open a
 * heading, fact templates, the quality gate) is written in simplified characters, so it reads a traditional document
 * through its simplified folding; what a person then sees is put back into the document's own characters.
 */
import * as OpenCC from 'opencc-js';
import { foldTraditional } from '../server/search/normalize.js';

/**
 * Traditional characters folded to simplified, position for position: a phrase whose conversion changes its length
 * would shift every later position, so the text is then converted character by character.
 */
export function foldSameLength(s: string): string {
  const out = foldTraditional(s);
  if (out.length === s.length) return out;
  return s.replace(/[^\n]/gu, (c) => {
    const f = foldTraditional(c);
    return f.length === 1 ? f : c;
  });
}

/** The share of a text's Chinese characters that folding changes (about a quarter in a traditional text, 0 in a simplified one). */
export function traditionalShare(text: string, folded = foldSameLength(text)): number {
  if (folded === text) return 0; // most documents: nothing folds, no second pass
  let han = 0;
  let changed = 0;
  for (let i = 0; i < text.length; i++) {
    if (!/\p{Script=Han}/u.test(text[i])) continue;
    han++;
    if (folded[i] !== text[i]) changed++;
  }
  return han ? changed / han : 0;
}

/** Above this share a document counts as written in traditional characters (a simplified one quoting a name or two stays below). */
export const TRADITIONAL_DOCUMENT = 0.05;

let toTraditional: ((s: string) => string) | null = null;

/**
 * Writes simplified text back in a document's characters: each character as the document itself writes it where it
 * was folded, any other character as OpenCC's traditional form (the generator's own words — "什么是", "怎样" — which
 * the document may never use). A folded character the document writes two ways (复 from 複雜 and 答覆) is read
 * with its neighbours: both of them, then the next, then the previous, then its most frequent form.
 */
export function unfolderFor(original: string, folded: string): (s: string) => string {
  const forms = new Map<string, Map<string, number>>();
  const count = (key: string, form: string) => {
    const byForm = forms.get(key) ?? new Map<string, number>();
    byForm.set(form, (byForm.get(form) ?? 0) + 1);
    forms.set(key, byForm);
  };
  for (let i = 0; i < original.length; i++) count(folded[i], original[i]);
  const twoWays = new Set([...forms].filter(([, byForm]) => byForm.size > 1).map(([c]) => c));
  for (let i = 0; i < original.length; i++) {
    if (!twoWays.has(folded[i])) continue;
    const prev = folded[i - 1] ?? '';
    const next = folded[i + 1] ?? '';
    count(`${prev}${folded[i]}${next}\u0000both`, original[i]);
    count(`${folded[i]}${next}\u0000next`, original[i]);
    count(`${prev}${folded[i]}\u0000prev`, original[i]);
  }
  // each key's most frequent form, chosen once (the unfolder runs over every generated string)
  const best = new Map<string, string>();
  for (const [key, byForm] of forms) best.set(key, [...byForm].sort((a, b) => b[1] - a[1])[0][0]);
  const mostFrequent = (key: string) => best.get(key);
  const convert = (toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'tw' }));
  const cache = new Map<string, string>();
  const generic = (c: string): string => {
    const known = cache.get(c);
    if (known !== undefined) return known;
    const out = /\p{Script=Han}/u.test(c) ? convert(c) : c;
    const t = out.length === 1 ? out : c;
    cache.set(c, t);
    return t;
  };
  return (s) => {
    const chars = [...s];
    return chars.map((c, i) => {
      if (!twoWays.has(c)) return mostFrequent(c) ?? generic(c);
      const prev = chars[i - 1] ?? '';
      const next = chars[i + 1] ?? '';
      return mostFrequent(`${prev}${c}${next}\u0000both`) ?? mostFrequent(`${c}${next}\u0000next`) ?? mostFrequent(`${prev}${c}\u0000prev`) ?? mostFrequent(c)!;
    }).join('');
  };
}

/** Every string inside a value (objects and arrays, recursively) mapped by `f`; other values as they are. */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  }
  return value;
}
