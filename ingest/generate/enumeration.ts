/** Enumerations in a clause ("A、B、C等X", "A、B和C") and the "哪些X" question they answer. */
import { startsWithVerb } from './sections.js';
import { mask, normKey, uniq } from './text.js';
import { PREPOSITION_RE, VERB_WORDS } from './vocabulary.js';

interface Enumeration {
  items: string[];
  prefix: string;
  question: string;
  /** The list is the clause's subject ("A情况、B情况…，纳入考核"). */
  subjectList: boolean;
  /** Nothing follows the list's noun in the clause. */
  endsClause: boolean;
}

/** Where the first item of a list may start: after a verb, 的, ：, a preposition … */
const ENUM_BOUNDARY_RE = new RegExp(
  `(?:${uniq(VERB_WORDS.filter((v) => v.length >= 2)).sort((a, b) => b.length - a.length).join('|')}|的|：|在(?!线)|对(?![接象])|以(?![上下及来])|(?<![但于就凡即])是|(?<![作认成])为(?![主])|到(?![位期达])|涉及|包括|存在|含)`,
  'g',
);

/** The clause with quoted items written one after another (“A”“B”和“C”) parted by 、 as lists usually are. */
export function withListCommas(clause: string): string {
  return clause.replace(/”“/g, '”、“');
}

/** Finds "A、B、C等X" (or "A、B和C") in a clause and turns it into "…哪些X…". */
export function enumeration(clause: string, hasNext: boolean): Enumeration | null {
  const work = withListCommas(clause);
  const m = mask(work);
  const commas: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i] === '、') commas.push(i);
  if (commas.length === 0) return null;
  const firstSeg = work.slice(0, commas[0]);
  const middle: string[] = [];
  for (let k = 1; k < commas.length; k++) middle.push(work.slice(commas[k - 1] + 1, commas[k]).trim());
  // the end of the list
  let lastSeg = work.slice(commas[commas.length - 1] + 1);
  const lastMasked = m.slice(commas[commas.length - 1] + 1);
  let after = '';
  let terminated: 'deng' | 'count' | 'de' | null = null;
  const term = /等|(?:\d+|[两三四五六七八九十])(?:个|项|种|类)/.exec(lastMasked);
  if (term) {
    after = lastSeg.slice(term.index! + term[0].length);
    lastSeg = lastSeg.slice(0, term.index!);
    terminated = term[0] === '等' ? 'deng' : 'count';
  } else {
    const de = /的([^的、]{1,4})$/.exec(lastSeg);
    if (de) {
      after = de[1];
      lastSeg = lastSeg.slice(0, de.index);
      terminated = 'de';
    }
  }
  const lastItems = (() => {
    const joined = lastSeg.split(/以及|和|及|与/).filter(Boolean);
    return joined.length === 2 && joined.every((x) => x.length <= 12) ? joined : [lastSeg];
  })();
  const others = [...middle, ...lastItems].map((x) => x.trim());
  // the first item starts after a verb/particle of the first segment; pick the boundary giving a plausible item
  const bounds: number[] = [0];
  for (const b of mask(firstSeg).matchAll(ENUM_BOUNDARY_RE)) {
    const end = b.index! + b[0].length;
    if (end < firstSeg.length) bounds.push(end);
  }
  const minLen = Math.min(...others.map((x) => normKey(x).length));
  const sorted = uniq(bounds).sort((a, b) => b - a);
  const x1Start = sorted.find((s) => normKey(firstSeg.slice(s)).length >= minLen - 1 && firstSeg.length - s <= 20) ?? sorted[0];
  let suffix = others[0] ?? '';
  for (const it of others) while (suffix && !it.endsWith(suffix)) suffix = suffix.slice(1);
  // the whole first segment is the first item: the list is the clause's subject
  // ("各单位线上线下帮办工作开展情况、问题整改情况…，将综合纳入…考核")
  let subjectList = false;
  if (x1Start === 0) {
    if (suffix.length < 2 && terminated !== 'deng') return null;
    if (!hasNext || startsWithVerb(firstSeg) || PREPOSITION_RE.test(firstSeg) || firstSeg.length > 20 || /[\p{Script=Han}]/u.test(after.replace(/^(?:方面的?)?(?:工作|内容|情况|事项)$/, ''))) return null;
    subjectList = true;
  }
  // "市、区两级…": a one-character first item is a modifier, not a list
  if (firstSeg.length - sorted[0] <= 1) return null;
  if (!terminated && others.length >= 2) {
    const lens = others.slice(0, -1).map((x) => x.length).sort((a, b) => a - b);
    if (others[others.length - 1].length >= 2 * lens[Math.floor(lens.length / 2)] + 2) return null;
  }
  const prefix = work.slice(0, x1Start);
  const items = [firstSeg.slice(x1Start).trim(), ...others];
  if (items.some((x) => /(?<![主重需必响相适供对反])(?:要|应)(?![用急对邀求素点件])|将|可以/.test(x))) return null;
  if (items.some((x) => x.length < 2 || x.length > 20 || /[，。；\d]/.test(x) || /^(?:要|应|把|将|对|并)/.test(x))) return null;
  if (middle.some((x) => /以及|和|及|与/.test(x) && x.length > 8)) return null;
  // "更高效、更便捷、更精准的政务服务": qualities of one thing, not several things to ask "哪些" about
  if (items.every((x) => /^(?:更|较|最|越|很|更加|进一步)/.test(x))) return null;
  const verbish = items.map((x) => startsWithVerb(x));
  if (verbish.some((v) => v !== verbish[0]) && items.some((x, k) => verbish[k] && x.length >= 6)) return null;
  if (items.length < 3 && terminated !== 'deng' && terminated !== 'count') return null;
  if (terminated === 'de' && items.length < 3) return null;
  if (!prefix && !subjectList) return null;
  let allSuffix = items[0];
  for (const it of items) while (allSuffix && !it.endsWith(allSuffix)) allSuffix = allSuffix.slice(1);
  let noun = after;
  if (subjectList) {
    const n = after && !startsWithVerb(after) ? after : suffix.length >= 2 ? suffix : '内容';
    return { items, prefix: '', question: `哪些${n}`, subjectList: true, endsClause: true };
  }
  if (noun && startsWithVerb(noun)) {
    noun = (/(?:通过|以|采用|运用|采取|利用)$/.test(prefix) ? '方式' : '方面') + noun;
  }
  if (!noun) {
    if (allSuffix.length >= 2) noun = allSuffix;
    else if (verbish[0]) noun = '举措';
    else if (terminated) noun = '内容';
    else return null;
  }
  return { items, prefix, question: `${prefix}哪些${noun}`, subjectList: false, endsClause: !after || after === noun };
}
