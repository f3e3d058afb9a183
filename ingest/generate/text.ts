/** Text helpers of the generator: tidying quoted text, normalised keys, question similarity, quotes and masks. */

/**
 * Normalises text the way the generator quotes it: full-width digits/letters to ASCII, « » to 《 》, ASCII
 * punctuation next to Chinese to its full-width form, no spaces next to Chinese characters. Idempotent.
 */
export function tidyText(raw: string): string {
  let s = raw.replace(/[\u3000\u00a0\t\r\f\v]/g, ' ');
  s = s.replace(/[０-９Ａ-Ｚａ-ｚ％＊＋]/g, (c) => c.normalize('NFKC'));
  s = s.replace(/«/g, '《').replace(/»/g, '》');
  s = s.replace(/[ \n]*\n[ \n]*/g, '\n').replace(/ +/g, ' ');
  s = s.replace(/ (?=[^\x00-\x7f])/g, '').replace(/(?<=[^\x00-\x7f]) /g, '');
  s = s.replace(/(?<=[^\x00-\x7f]),|,(?=[^\x00-\x7f])/g, '，');
  s = s.replace(/(?<=[^\x00-\x7f]);|;(?=[^\x00-\x7f])/g, '；');
  s = s.replace(/(?<=[^\x00-\x7f])[:：](?![0-9])|(?<![0-9]):(?=[^\x00-\x7f])/g, '：');
  s = s.replace(/(?<=[^\x00-\x7f])\?/g, '？').replace(/(?<=[^\x00-\x7f])!/g, '！');
  s = s.replace(/(?<=[^\x00-\x7f0-9.\n])\.(?![0-9])/g, '。');
  s = s.replace(/\(([^()]*)\)/g, (m, inner: string) => (/[^\x00-\x7f]/.test(inner) ? `（${inner}）` : m));
  return s.trim();
}

/** For comparisons: NFKC, lower case, letters/digits only. */
export function normKey(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function bigrams(s: string): Set<string> {
  const n = normKey(s);
  const out = new Set<string>();
  if (n.length === 1) out.add(n);
  for (let i = 0; i + 1 < n.length; i++) out.add(n.slice(i, i + 2));
  return out;
}

/** Character-bigram Jaccard similarity of two questions after normalisation (1 = same). */
export function questionSimilarity(a: string, b: string): number {
  return jaccard(bigrams(a), bigrams(b));
}

/** A similarity function that remembers bigram sets (one per document being finished). */
export function similarityWithCache(): (a: string, b: string) => number {
  const cache = new Map<string, Set<string>>();
  const get = (q: string) => {
    let v = cache.get(q);
    if (!v) cache.set(q, (v = bigrams(q)));
    return v;
  };
  return (a, b) => jaccard(get(a), get(b));
}

function jaccard(A: Set<string>, B: Set<string>): number {
  if (A.size === 0 && B.size === 0) return 1;
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  return inter / (A.size + B.size - inter);
}

/** Questions at least this similar are treated as the same question. */
export const NEAR_DUPLICATE = 0.8;

export function uniq<T>(xs: T[]): T[] {
  const out: T[] = [];
  for (const x of xs) if (!out.includes(x)) out.push(x);
  return out;
}

export function trimPunct(s: string): string {
  return s.replace(/^[\s，、；：。]+|[\s，、；：。！？]+$/g, '');
}

function countChar(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Drops an unmatched opening or closing quote/bracket from a fragment. */
export function balanceQuotes(s: string): string {
  let out = [...s];
  for (const [o, c] of [['“', '”'], ['‘', '’'], ['《', '》'], ['（', '）']] as const) {
    let guard = 0;
    while (countChar(out.join(''), o) !== countChar(out.join(''), c) && guard++ < 4) {
      if (countChar(out.join(''), o) > countChar(out.join(''), c)) {
        let depth = 0;
        for (let i = out.length - 1; i >= 0; i--) {
          if (out[i] === c) depth++;
          else if (out[i] === o) {
            if (depth === 0) {
              out.splice(i, 1);
              break;
            }
            depth--;
          }
        }
      } else {
        let depth = 0;
        for (let i = 0; i < out.length; i++) {
          if (out[i] === o) depth++;
          else if (out[i] === c) {
            if (depth === 0) {
              out.splice(i, 1);
              break;
            }
            depth--;
          }
        }
      }
    }
  }
  return out.join('');
}

/** Replaces the inside of short quotes, dates and ordinals by □ (same length) so fact patterns skip them. */
export function mask(s: string): string {
  let m = s.replace(/[“‘《]([^“”‘’《》]{1,14})[”’》]/g, (all: string, inner: string) => all[0] + '□'.repeat(inner.length) + all[all.length - 1]);
  m = m.replace(/\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日/g, (x) => '□'.repeat(x.length));
  m = m.replace(/(?:第|附件|近)(?:\d+|[一二三四五六七八九十]+)|\d+(?:\.\d+)+版?|[一二三四五六七八九十]+届|十九大|二十大/g, (x) => '□'.repeat(x.length));
  return m;
}

/** “…” around a phrase that may itself contain quotes (inner ones become ‘…’). */
export function quoted(s: string): string {
  return `“${s.replace(/“/g, '‘').replace(/”/g, '’')}”`;
}

/**
 * A clause cut off after its copula ("县政府工作的指导思想是"): the topic is what stands before the 是. Not the 是 of
 * 于是, 总是, 还是, 但是, 只是, 凡是, 要是, 若是, 倒是, 硬是, 就是, 正是, which belong to the word before.
 */
export const COPULA_END_RE = /[^于总还但只凡要若倒硬就正]是$/u;
