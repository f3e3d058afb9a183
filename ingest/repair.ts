/**
 * Text repair for extracted policy documents (PDF/Word/HTML/plain text).
 *
 * Undoes extraction artefacts so that later stages (outline, metadata, entry generation) see one
 * paragraph per line: width normalisation, lines broken mid-sentence, spaces between CJK characters,
 * ASCII punctuation inside Chinese text, 文号 brackets, and tables whose cells sit on separate lines.
 *
 * repairText is idempotent: repairText(repairText(x)) === repairText(x).
 */

// ---------------------------------------------------------------------------------------------
// Character classes

/** Han ideographs (BMP blocks). */
const HAN_RANGE = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
/** Han plus CJK punctuation / full-width forms / curly quotes / dashes / middle dots. */
const CJK_RANGE = `${HAN_RANGE}\\u3000-\\u303f\\uff00-\\uffef\\u2018-\\u201f\\u2014\\u2015\\u2026\\u00b7\\u30fb`;
const CJK_CHAR = new RegExp(`[${CJK_RANGE}]`, 'u');
const HAN = new RegExp(`[${HAN_RANGE}]`, 'u');

export const isCjk = (c: string | undefined): boolean => c !== undefined && CJK_CHAR.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Chinese numerals used by 一、 and （一） markers. */
export const CN_NUM = '一二三四五六七八九十百零〇';

/**
 * Characters NFKC must not touch: full-width punctuation that is correct in Chinese text (，：；（）？！ ...),
 * circled/parenthesised numbers, ellipsis, CJK squared units (㎡), super/subscripts, letterlike symbols,
 * number forms (Ⅰ) and vertical/small punctuation forms. Full-width digits, letters, ％ ＊ ＋ － ． ／
 * and the ideographic space are normalised.
 */
const NFKC_PROTECTED =
  /[\uff01-\uff04\uff06-\uff09\uff0c\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2460-\u24ff\u2025\u2026\u3200-\u33ff\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f\u2100-\u218f\ufe10-\ufe19\ufe30-\ufe6b]/u;

function selectiveNfkc(s: string): string {
  return s.normalize('NFC').replace(/[^\x00-\x7f]/gu, (c) => (NFKC_PROTECTED.test(c) ? c : c.normalize('NFKC')));
}

// ---------------------------------------------------------------------------------------------
// Line classification (shared with outline.ts / metadata.ts through the exports)

/**
 * A standard's clause heading, a short line of its own: "1 范围", "2.1 帮办" (number, sub-numbers, heading; repair has
 * taken the space out by the time lines are compared). Not a figure broken off a sentence ("5个工作日内办结", "3万余件").
 */
export const CLAUSE_HEADING =
  /^(\d{1,2})((?:[.．]\d{1,2}){0,2})\s*(?![个项天日年月名位家次件条万千百亿余多小分秒周元倍级类种批户人台套张份所支场只辆岁米公亩])([\p{Script=Han}“][^，。；：:！？、]{0,29})$/u;

/** A level-1..4 outline marker or an 附件 line at the start of a (trimmed) line, ASCII or full-width forms. */
const MARKER_START = new RegExp(
  [
    `^[${CN_NUM}]{1,3}[、.．]`, // 一、
    `^[（(][${CN_NUM}]{1,3}[）)]`, // （一） (一)
    '^\\d{1,2}(?:[.．、](?!\\d)|\\.(?=\\d{4}年))', // 1. 1． 1、 (not 1.5, 10:00) — "1.2022年度…" is a list item
    '^[（(]\\d{1,2}[）)]', // （1） (1)
    '^附件', // 附件 / 附件1 / 附件：
    '^——', // ——线上帮办… dash-led paragraphs
    `^第[${CN_NUM}\\d]{1,4}[章节条]`, // 第一章 总则, 第三条 — a regulation's chapters and articles
    CLAUSE_HEADING.source, // "1 范围", "2.1 帮办": a standard's clause heading
  ].join('|'),
  'u',
);
export const isMarkerStart = (line: string): boolean => MARKER_START.test(line);

const DATE_ONLY =
  /^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[一二三四五六七八九〇零○Ｏ]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$/u;
/** A line that is only a date (the signing date under a signature). */
export const isDateLine = (line: string): boolean => DATE_ONLY.test(line.trim());

/** "上海市普陀区人民政府办公室文件" — the red header of an official document. */
export const isHeaderLine = (line: string): boolean =>
  /^[\p{Script=Han}\s]{2,30}文件$/u.test(line.trim()) && !/[，。：；]/u.test(line);

/** A line that is only a 文号 such as 普府办〔2021〕39号. */
export const isDocNumberLine = (line: string): boolean =>
  /^[\p{Script=Han}]{2,10}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,5}\s*号$/u.test(line.trim());

/** Lines at the very end of a document: 抄送, the "XXX办公室 2021年11月23日印发" line, 信息来源 ... */
export const isTrailerLine = (line: string): boolean =>
  /^(?:抄送|主送|信息来源|来源[：:]|（此件公开发布）|\(此件公开发布\))/u.test(line) ||
  /\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$/u.test(line);

/** A table row as produced by repair (and by the md/html readers): cells separated by " | ". */
export const isTableRow = (line: string): boolean => / \|(?: |$)/u.test(line);

/** Splits a table row line into its cells. */
export const tableCells = (line: string): string[] => line.split('|').map((c) => c.trim());

const renderRow = (cells: string[]): string => cells.join(' | ').trimEnd();

/**
 * A web page's furniture copied with its text ("返回顶部", "• 设为首页", "无障碍阅读", "长者版"): a line of its own, never
 * part of the title below it.
 */
export const isPageFurniture = (line: string): boolean =>
  /^(?:返回顶部|设为首页|加入收藏|收藏本页|无障碍(?:阅读|浏览)?|长(?:者|辈)(?:版|模式)|关怀版|跳(?:到|至)(?:主要)?(?:内容|內容|正文)|打印(?:本页)?|关闭(?:窗口|本页)?|分享到?|繁體|简体|English|登录|注册|首页|网站地图|字号[：:]?(?:大|中|小|\s)*)$/u.test(
    line.trim().replace(BULLET_START, '').replace(/\s+/gu, '').replace(/[|｜]$/u, ''), // "• 设为首页|"
  );

/** A list bullet and its space, as normaliseLine leaves it ("• 索引号：", "- 发布日期：", "● 长者版"). */
const BULLET_START = /^[-*•●▪◆]\s+/u;
/** An item of a bulleted list. */
const isBulletItem = (line: string): boolean => BULLET_START.test(line);

/** An 附件 line that starts an appendix body: "附件", "附件1", "附件 2：". */
export const isAppendixStart = (line: string): boolean => /^附件\s*\d{0,2}\s*[：:]?$/u.test(line.trim()) && !/^附件\s*[：:]$/u.test(line.trim());

// ---------------------------------------------------------------------------------------------
// Per-line normalisation

/** Removes spaces next to CJK characters/punctuation; keeps (one) space between two Latin/ASCII tokens. */
function fixSpaces(line: string): string {
  return line.replace(/[ \t\u00a0]+/gu, (m, off: number, s: string) => {
    if (off === 0 || off + m.length === s.length) return '';
    const prev = s[off - 1];
    const next = s[off + m.length];
    if (isCjk(prev) || isCjk(next)) return '';
    return ' ';
  });
}

/** Converts a "(...)" pair or a lone "(" / ")" to full width when it sits in Chinese text. */
function fixParens(line: string): string {
  // balanced innermost pairs first
  const s = line.replace(/\(([^()]*)\)/gu, (m, inner: string, off: number, str: string) => {
    const prev = str[off - 1];
    const next = str[off + m.length];
    if (/[\p{Script=Han}]/u.test(inner) || isCjk(prev) || isCjk(next)) return `（${inner}）`;
    return m;
  });
  // lone parens of a pair split over two lines (left to right, so a converted paren counts as Chinese)
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c !== '(' && c !== ')') continue;
    if (isCjk(chars[i - 1]) || isCjk(chars[i + 1])) chars[i] = c === '(' ? '（' : '）';
  }
  return chars.join('');
}

const FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！' };

/** ASCII , ; : ? ! . used as Chinese punctuation → ，；：？！。 (not in numbers, times, URLs or "1." markers). */
function fixPunct(line: string): string {
  const chars = [...line];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const prev = out[out.length - 1];
    const next = chars[i + 1];
    if (c in FULL) {
      if (isDigit(prev) && isDigit(next)) out.push(c); // 1,000 10:00
      else if (c === ':' && next === '/') out.push(c); // https://
      else if (isCjk(prev) || isCjk(next)) out.push(FULL[c]);
      else out.push(c);
    } else if (c === '.') {
      const isLeadingMarker = out.length <= 5 && /^(?:附件[：:]?)?\d{1,2}$/u.test(out.join(''));
      if (isDigit(prev) && isDigit(next)) out.push(c); // 1.5
      else if (isLeadingMarker) out.push(c); // "1." marker
      else if (isDigit(prev)) out.push(c); // 附件：1.首批…, "达到90.x" — leave alone
      else if ((isCjk(prev) || prev === '%') && (next === undefined || isCjk(next))) out.push('。');
      else if (/[A-Za-z]/u.test(prev ?? '') && HAN.test(next ?? '')) out.push('。'); // "企业云APP.集成…"
      else out.push(c);
    } else out.push(c);
  }
  return out.join('');
}

/** Outline markers in one consistent form: （一） （1） 1. 一、 */
function fixMarkers(line: string): string {
  return line
    .replace(new RegExp(`^\\(([${CN_NUM}]{1,3})\\)`, 'u'), '（$1）')
    .replace(/^\((\d{1,2})\)/u, '（$1）')
    .replace(/^(\d{1,2})[、．](?=\D|$)/u, '$1.')
    .replace(new RegExp(`^([${CN_NUM}]{1,3})[.．](?=\\D|$)`, 'u'), '$1、');
}

/** 文号 brackets and spaces: "沪府办发 〔2022〕21 号", "[2022]", "(2022)" → "沪府办发〔2022〕21号". */
function fixDocNumbers(line: string): string {
  return line.replace(
    /([\p{Script=Han}])\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d{1,5})\s*号/gu,
    '$1〔$2〕$3号',
  );
}

/** Page numbers a PDF leaves between lines: "— 3 —", "-3-", "第 3 页 共 10 页". */
const PAGE_NUMBER = /^(?:[-—–－―]\s*\d{1,3}\s*[-—–－―]|第\s*\d{1,3}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,3}\s*页)?)$/u;

/** ASCII "…" pairs around Chinese text → “…”. */
function fixQuotes(line: string): string {
  if ((line.match(/"/gu) ?? []).length % 2 !== 0) return line;
  return line.replace(/"([^"]*)"/gu, (m, inner: string) => (/[\p{Script=Han}]/u.test(inner) ? `“${inner}”` : m));
}

function normaliseLine(raw: string): string {
  let s = raw.trim();
  if (!s || PAGE_NUMBER.test(s)) return '';
  s = s.replace(/[«‹]/gu, '《').replace(/[»›]/gu, '》');
  const bullet = BULLET_START.test(s) ? s[0] : undefined;
  if (bullet) s = s.replace(BULLET_START, '');
  s = fixSpaces(s);
  s = fixQuotes(s);
  s = fixMarkers(s);
  s = fixParens(s);
  s = fixPunct(s);
  s = fixMarkers(s);
  s = fixDocNumbers(s);
  s = fixSpaces(s); // spaces next to punctuation converted above
  return bullet ? `${bullet} ${s}` : s;
}

function normaliseCell(raw: string): string {
  return normaliseLine(raw.replace(/\|/gu, '｜'));
}

// ---------------------------------------------------------------------------------------------
// Tables: tab-indented cells, one per line, rows separated by blank lines

interface Line {
  text: string;
  table: boolean;
}

const isTabLine = (l: string) => /^\t/u.test(l);
const isBlank = (l: string) => l.trim() === '';

/** A short non-tab line inside a table region that continues the previous cell ("帮办工作" / "情况记录"). */
function isCellContinuation(lines: string[], j: number): boolean {
  const t = lines[j].trim();
  if (t.length > 12 || isMarkerStart(t) || /[。；：！？]/u.test(t) || isTrailerLine(t) || isDateLine(t)) return false;
  for (let k = j + 1; k < lines.length && k <= j + 8; k++) {
    if (isTabLine(lines[k])) return true;
    if (isBlank(lines[k])) continue;
    const u = lines[k].trim();
    if (u.length > 12 || isMarkerStart(u) || /[。；：！？]/u.test(u)) return false;
  }
  return false;
}

function extractLines(text: string): Line[] {
  const lines = text.split('\n');
  const out: Line[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    if (isTabLine(l) && !isBlank(l)) {
      const rows: string[][] = [];
      let row: string[] = [];
      let lastBlank = false;
      let j = i;
      let end = i;
      while (j < lines.length) {
        const m = lines[j];
        if (isTabLine(m)) {
          if (lastBlank && row.length) {
            rows.push(row);
            row = [];
          }
          row.push(normaliseCell(m));
          lastBlank = false;
          end = j;
        } else if (isBlank(m)) {
          lastBlank = true;
        } else if (row.length && isCellContinuation(lines, j)) {
          row[row.length - 1] += normaliseCell(m);
          lastBlank = false;
          end = j;
        } else break;
        j++;
      }
      if (row.length) rows.push(row);
      const multi = rows.filter((r) => r.length >= 2);
      const cells = rows.flat();
      const looksLikeTable =
        multi.length >= 2 && cells.every((c) => c.length <= 60) && cells.reduce((a, c) => a + c.length, 0) / cells.length <= 30;
      if (looksLikeTable) {
        for (const r of rows) {
          if (r.every((c) => c === '')) continue;
          out.push(r.length >= 2 ? { text: renderRow(r), table: true } : { text: r[0], table: false });
        }
      } else {
        for (let k = i; k <= end; k++) {
          const t = normaliseLine(lines[k]);
          if (t) out.push({ text: t, table: false });
        }
      }
      i = end + 1;
      continue;
    }
    if (isTableRow(l)) {
      out.push({ text: renderRow(tableCells(l).map(normaliseCell)), table: true });
    } else {
      const t = normaliseLine(l);
      if (t) out.push({ text: t, table: false });
    }
    i++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Joining lines broken mid-sentence

/** Visual width: CJK counts 2, ASCII 1. */
const width = (s: string) => [...s].reduce((a, c) => a + (c.charCodeAt(0) < 0x1100 ? 1 : 2), 0);

/**
 * Detects hard-wrapped text (PDF extraction): many lines of almost the same width that do not end a sentence.
 * Returns the [lo, hi] width band of wrapped lines, or null.
 */
function wrapBand(lines: Line[]): [number, number] | null {
  const ws = lines.filter((l) => !l.table).map((l) => width(l.text));
  if (ws.length < 10) return null;
  const counts = new Map<number, number>();
  for (const w of ws) counts.set(w, (counts.get(w) ?? 0) + 1);
  let best = 0;
  let bestHi = 0;
  for (let hi = 30; hi <= 200; hi++) {
    let c = 0;
    for (let w = hi - 6; w <= hi; w++) c += counts.get(w) ?? 0;
    if (c > best) {
      best = c;
      bestHi = hi;
    }
  }
  if (best < 10 || best < ws.length * 0.3) return null;
  return [bestHi - 6, bestHi];
}

const SENTENCE_END = /(?:[。！？；：!?;:]|[。！？；][”’」』"]|[。！？；]（[^（）]*）)$/u;

/** "（责任单位：区府办）", "（市大数据中心负责）": the responsibility note that closes an item. */
const ANNOTATION = /^（(?:[^（）]{0,6}单位[：:]|[^（）]{1,60}负责）)/u;

const BRACKETS: Array<[string, string]> = [
  ['《', '》'],
  ['“', '”'],
  ['（', '）'],
  ['〔', '〕'],
  ['【', '】'],
  ['「', '」'],
];

/** Nesting depth of each bracket pair, updated line by line (unclosed 《 “ （ … mean the paragraph continues). */
function updateDepths(depths: number[], s: string): void {
  for (const ch of s) {
    for (let k = 0; k < BRACKETS.length; k++) {
      if (ch === BRACKETS[k][0]) depths[k]++;
      else if (ch === BRACKETS[k][1] && depths[k] > 0) depths[k]--;
    }
  }
}

/** A short line that may be (part of) a title: no sentence punctuation, not a marker/header/date. */
function isTitleLike(s: string): boolean {
  return (
    s.length <= 40 &&
    !/[，。；：！？,;:!?、]/u.test(s) &&
    !isMarkerStart(s) &&
    !isHeaderLine(s) &&
    !isDocNumberLine(s) &&
    !isDateLine(s) &&
    !isTrailerLine(s) &&
    !isTableRow(s) &&
    !/^（.*）$/u.test(s)
  );
}

/** Lines that always stand alone: no joining before or after them. */
const isStandalone = (s: string) =>
  isHeaderLine(s) || isDocNumberLine(s) || isDateLine(s) || isTrailerLine(s) || isAppendixStart(s) || /^附件\s*[：:]$/u.test(s) || isPageFurniture(s);

/** The paragraph being assembled, with what the join rules need kept incrementally. */
interface Para {
  parts: string[];
  /** Total length in characters. */
  length: number;
  /** Last physical line. */
  last: string;
  /** The end of the paragraph (enough for the sentence-end tests). */
  tail: string;
  depths: number[];
  /** Contains a complete sentence (。！？；). */
  hasStop: boolean;
  titleRun: boolean;
}

function newPara(text: string, titleRun: boolean): Para {
  const p: Para = { parts: [text], length: text.length, last: text, tail: text.slice(-300), depths: BRACKETS.map(() => 0), hasStop: /[。！？；]/u.test(text), titleRun };
  updateDepths(p.depths, text);
  return p;
}

function appendTo(p: Para, text: string): void {
  p.parts.push(text);
  p.length += text.length;
  p.last = text;
  p.tail = (p.tail + text).slice(-300);
  p.hasStop ||= /[。！？；]/u.test(text);
  updateDepths(p.depths, text);
}

function joinLines(lines: Line[]): string[] {
  const band = wrapBand(lines);
  // title runs are only looked for in the preamble: before the first 一、 (or, without one, the first sentence)
  const firstL1 = lines.findIndex((l) => !l.table && new RegExp(`^[${CN_NUM}]{1,3}、`, 'u').test(l.text));
  const firstSentence = lines.findIndex((l) => !l.table && /[。！？]/u.test(l.text));
  const preambleEnd = firstL1 >= 0 ? firstL1 : firstSentence >= 0 ? firstSentence : 0;

  const paras: string[] = [];
  let cur: Para | null = null;
  let titleZone = false; // the lines right after "附件N"

  const flush = () => {
    if (cur !== null) paras.push(cur.parts.join(''));
    cur = null;
  };
  const start = (n: string, i: number) => {
    // a bulleted item ("• 长者版") is a list of its own, not the first line of a title wrapped over several
    cur = newPara(n, isTitleLike(n) && !isBulletItem(n) && (i < preambleEnd || titleZone));
    if (isAppendixStart(n)) {
      flush();
      titleZone = true;
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const { text: n, table } = lines[i];
    if (table) {
      flush();
      paras.push(n);
      titleZone = false;
      continue;
    }
    if (cur === null) {
      start(n, i);
      continue;
    }
    const p: Para = cur;
    const tail = p.tail;
    const last = p.last;
    let join: boolean;
    if (/^[，。、；：！？）》”’」』,.;:!?)]/u.test(n) && !isTableRow(n)) join = true; // no line starts with closing punctuation
    else if (isMarkerStart(n) || isBulletItem(n) || isStandalone(n) || (isStandalone(last) && !/^(?:抄送|主送)/u.test(last)) || isAppendixStart(n)) join = false;
    else if (p.titleRun && isTitleLike(n) && p.length + n.length <= 60) join = true;
    else if (ANNOTATION.test(n) && /[。！？；]$/u.test(tail)) join = true; // "（责任单位：…）" on its own line
    else if (p.depths.some((d) => d > 0) && !/[。！？]$/u.test(tail)) join = true;
    else if (SENTENCE_END.test(tail) || (tail.endsWith('.') && isCjk(tail.at(-2)))) join = false;
    else if (/[，、“‘《（〔【—·,(]$/u.test(tail)) join = true;
    else if (p.hasStop) join = true; // a sentence in progress after a complete one
    else if (band && width(last) >= band[0] - 4 && width(last) <= band[1] + 6) join = true;
    else join = false;

    if (join) {
      appendTo(p, n);
      if (p.titleRun && !isTitleLike(n)) p.titleRun = false;
    } else {
      flush();
      titleZone = titleZone && isTitleLike(n);
      start(n, i);
    }
  }
  flush();
  return paras;
}

// ---------------------------------------------------------------------------------------------

/** Normalises a joined paragraph (spaces/punctuation at former line joins) and fixed-format lines. */
function finishParagraph(p: string): string {
  if (isTableRow(p)) return renderRow(tableCells(p).map(normaliseCell));
  let s = normaliseLine(p);
  // "上海市普陀区人民政府办公室 2021年11月23日印发": one space between the office and the date
  s = s.replace(/^([\p{Script=Han}（）]+?)\s*(\d{4}年\d{1,2}月\d{1,2}日印发)$/u, '$1 $2');
  return s;
}

export interface RepairOptions {
  /**
   * Keep every line as its own paragraph: for formats whose line breaks are real paragraph breaks (md, html, docx),
   * unlike text extracted from a PDF, where lines are broken mid-sentence.
   */
  keepLines?: boolean;
}

/**
 * Repairs extracted text; returns one paragraph per line, "\n"-separated, no blank lines.
 * One pass can leave work for a second one on odd input (a line joined in pass 1 makes a new paragraph
 * that joins again), so passes repeat until nothing changes (at most 20; on every input seen, the second pass changes nothing),
 * which makes repairText idempotent. Lines are only ever joined, never split.
 */
export function repairText(raw: string, options: RepairOptions = {}): string {
  let text = repairOnce(raw, options);
  for (let pass = 0; pass < 20; pass++) {
    const again = repairOnce(text, options);
    if (again === text) break;
    text = again;
  }
  return text;
}

function repairOnce(raw: string, options: RepairOptions): string {
  let text = raw
    .replace(/\r\n?|\u2028|\u2029|\f|\v/gu, '\n')
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/gu, '');
  text = selectiveNfkc(text);
  const lines = extractLines(text);
  return (options.keepLines ? lines.map((l) => l.text) : joinLines(lines))
    .map(finishParagraph)
    .filter((p) => p !== '')
    .join('\n');
}
