/**
 * Outline of a repaired policy document: 一、(1) （一）(2) 1.(3) （1）(4) and 附件 appendices (level 1); a regulation's
 * 第X章 (a container, like an appendix) and 第X条 (level 1). A numbered list a web page ran into one line is split
 * back into its items first (splitInlineItems).
 *
 * Input is the output of repairText (one paragraph per line); the common unrepaired marker forms
 * ("(一)", "1．", "1、", "(1)") are accepted too.
 */
import type { Section } from './types.js';
import { CLAUSE_HEADING, CN_NUM, isTableRow, isTrailerLine, tableCells } from './repair.js';

interface Marker {
  level: number;
  /** The marker as stored on the section: "二、", "（一）", "5", "（1）". */
  marker: string;
  /** Text after the marker. */
  rest: string;
  /** A regulation's chapter or article, one of the 公文 outline's markers, or a standard's numbered clause. */
  kind: 'chapter' | 'article' | 'outline' | 'clause';
}

/**
 * A service standard (规范) numbers its clauses as GB/T 1.1 does: "1 范围", "2 术语和定义", "2.1 帮办", each heading on a
 * line of its own. Read so only in a text that has both of the first two clauses, in order: elsewhere a line opening with a
 * number is a sentence ("10个工作日内办结").
 */
function isStandardLayout(lines: string[]): boolean {
  const first = lines.findIndex((l) => /^1\s*范围$/u.test(l));
  return first >= 0 && lines.slice(first + 1).some((l) => /^2\s*(?:规范性引用文件|术语和定义)$/u.test(l));
}

const L1 = new RegExp(`^([${CN_NUM}]{1,3})[、.．]\\s*(.*)$`, 'u');
const L2 = new RegExp(`^[（(]\\s*([${CN_NUM}]{1,3})\\s*[）)]\\s*(.*)$`, 'u');
const L3 = /^(\d{1,2})\s*(?:[.．、](?!\d))\s*(.*)$/u;
const L4 = /^[（(]\s*(\d{1,2})\s*[）)]\s*(.*)$/u;

/** A regulation's chapter ("第二章 帮办服务") and article ("第八条 ……"). */
const CHAPTER = new RegExp(`^第([${CN_NUM}\\d]{1,4})章\\s*(.*)$`, 'u');
const ARTICLE = new RegExp(`^第([${CN_NUM}\\d]{1,4})条\\s*(.*)$`, 'u');
/** A chapter holds the outline below it: its articles (level 1, as 一、; their （一） items nest in them) sit in it as in an appendix, and the next chapter closes it. */
const isChapter = (s: Section) => /^第.{1,4}章$/u.test(s.marker);

function matchMarker(line: string): Marker | null {
  let m = CHAPTER.exec(line);
  if (m) return { level: 1, marker: `第${m[1]}章`, rest: m[2], kind: 'chapter' };
  m = ARTICLE.exec(line);
  if (m) return { level: 1, marker: `第${m[1]}条`, rest: m[2], kind: 'article' };
  m = L1.exec(line);
  if (m) return { level: 1, marker: `${m[1]}、`, rest: m[2], kind: 'outline' };
  m = L2.exec(line);
  if (m) return { level: 2, marker: `（${m[1]}）`, rest: m[2], kind: 'outline' };
  m = L3.exec(line);
  if (m) return { level: 3, marker: String(Number(m[1])), rest: m[2], kind: 'outline' };
  m = L4.exec(line);
  if (m) return { level: 4, marker: `（${Number(m[1])}）`, rest: m[2], kind: 'outline' };
  return null;
}

/** "附件1", "附件 2：", "附件" alone, or "附件1：标题" (with a number) — the start of an appendix body. */
const APPENDIX = /^附件\s*(\d{1,2})?\s*(?:[：:]\s*(.*))?$/u;
/** "附件：…" — the list of attachments at the end of the body. */
const ATTACHMENT_LIST = /^附件\s*[：:]/u;
const LIST_ITEM = /^\d{1,2}\s*[.．、]/u;
const APPENDIX_WITH_NUMBER = /^附件\s*\d/u;

const TITLE_LIKE = (s: string) => s.length <= 40 && !/[，。；：！？]/u.test(s) && !isTableRow(s) && matchMarker(s) === null;

/** Heading and first body paragraph of a marker line's text. */
function splitHeading(rest: string): { heading: string; body: string | null } {
  const text = rest.trim();
  if (!text) return { heading: '', body: null };
  const period = text.indexOf('。');
  const colon = text.search(/[：:]/u);
  // "1.配置线上帮办人员：有关业务部门应……" (heading before a colon, as in 002)
  if (colon > 0 && (period < 0 || colon < period)) {
    const head = text.slice(0, colon);
    if (head.length <= 20 && !/[，；（）《]/u.test(head)) {
      const body = text.slice(colon + 1).trim();
      return { heading: head, body: body || null };
    }
  }
  // "1.配备工作人员。正文……"
  if (period >= 0) {
    const head = text.slice(0, period).trim();
    const body = text.slice(period + 1).trim();
    if (head.length > 0 && head.length <= 40) return { heading: head, body: body || null };
    return { heading: '', body: text };
  }
  // heading-only line: "一、总体要求", "1.线上帮办"
  if (text.length <= 50 && !/[；，、]$/u.test(text)) return { heading: text.replace(/[：；:;]$/u, ''), body: null };
  return { heading: '', body: text };
}

/**
 * A numbered list a web page ran into one paragraph ("……再造1.实现网上……减少一半。（责任部门：……）2.实现所有……"): its
 * items on lines of their own, so the outline sees them. Only a run that counts 1, 2, 3 … in order, at least two
 * items, each after the end of a sentence or a closing bracket (the first may follow its heading directly); a number
 * inside a sentence ("提升1.5倍", "第2项") is no item.
 */
function splitInlineItems(line: string): string[] {
  if (line.length < 80 || isTableRow(line)) return [line];
  const found = [...line.matchAll(/(\d{1,2})[.．、](?=[\p{Script=Han}“《])/gu)].map((m) => ({ n: Number(m[1]), at: m.index!, after: line[m.index! - 1] ?? '' }));
  let best: number[] = [];
  for (let i = 0; i < found.length; i++) {
    if (found[i].n !== 1 || found[i].at === 0) continue;
    const run = [found[i].at];
    let next = 2;
    for (let j = i + 1; j < found.length; j++) {
      if (found[j].n === next && /[。；;：:）)]/u.test(found[j].after)) {
        run.push(found[j].at);
        next++;
      }
    }
    if (run.length > best.length) best = run;
  }
  if (best.length < 2) return [line];
  const cuts = [0, ...best, line.length];
  return cuts.slice(0, -1).map((at, k) => line.slice(at, cuts[k + 1]).trim()).filter(Boolean);
}

/** "【适用范围】本办法适用于……" / "（目的）为了……": the label is the heading; otherwise the article has none. */
function articleHeading(rest: string): { heading: string; body: string | null } {
  const text = rest.trim();
  const label = /^[【（(]([^】）)]{2,12})[】）)]\s*(.*)$/su.exec(text);
  if (label) return { heading: label[1], body: label[2] || null };
  return { heading: '', body: text || null };
}

function newSection(path: string, marker: string, level: number, heading: string): Section {
  return { path, marker, level, heading, paragraphs: [], tables: [], children: [] };
}

/** Parses repaired text into root sections: the preamble (path "") first, then 一、二、… and 附件N. */
export function parseOutline(text: string): Section[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .flatMap(splitInlineItems);

  const root = newSection('', '', 0, '');
  const roots: Section[] = [root];
  /** Open sections from outermost to innermost (the root is not on it). */
  let stack: Section[] = [];
  let current: Section = root;
  let currentTable: string[][] | null = null;
  let listMode = false; // inside "附件：1.… 2.…"
  let expectAppendixTitle = false;
  const standard = isStandardLayout(lines);
  let lastClause = 0;
  /** A standard's clause heading ("2.1帮办"), its top number following the one before. */
  const clauseAt = (line: string): Marker | null => {
    const c = standard ? CLAUSE_HEADING.exec(line) : null;
    if (!c) return null;
    const top = Number(c[1]);
    const sub = c[2].replace(/．/gu, '.');
    if (sub ? top !== lastClause : top !== lastClause + 1) return null;
    lastClause = top;
    return { level: 1 + (sub.match(/\./gu) ?? []).length, marker: `${top}${sub}`, rest: c[3], kind: 'clause' };
  };
  /** 0 for an appendix: markers inside it nest under it. */
  const stackLevel = (s: Section) => (s.marker.startsWith('附件') || isChapter(s) ? 0 : s.level);

  const addParagraph = (s: Section, p: string) => {
    currentTable = null;
    s.paragraphs.push(p);
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];

    if (isTableRow(line)) {
      if (!currentTable) {
        currentTable = [];
        current.tables.push(currentTable);
      }
      currentTable.push(tableCells(line));
      expectAppendixTitle = false;
      continue;
    }

    if (isTrailerLine(line)) {
      listMode = false;
      addParagraph(root, line);
      continue;
    }

    // appendix bodies
    const app = APPENDIX.exec(line);
    if (app && !ATTACHMENT_LIST.test(line)) {
      const next = lines[i + 1] ?? '';
      const isListEntry = APPENDIX_WITH_NUMBER.test(line) && app[2] && (APPENDIX_WITH_NUMBER.test(next) || APPENDIX_WITH_NUMBER.test(lines[i - 1] ?? ''));
      if (!isListEntry) {
        const marker = `附件${app[1] ?? ''}`;
        const sec = newSection(marker, marker, 1, (app[2] ?? '').trim());
        roots.push(sec);
        stack = [sec];
        current = sec;
        currentTable = null;
        listMode = false;
        expectAppendixTitle = sec.heading === '';
        continue;
      }
    }

    if (ATTACHMENT_LIST.test(line) || (APPENDIX_WITH_NUMBER.test(line) && app)) {
      listMode = true;
      addParagraph(current, line);
      continue;
    }
    if (listMode) {
      if (LIST_ITEM.test(line)) {
        addParagraph(current, line);
        continue;
      }
      listMode = false;
    }

    if (expectAppendixTitle) {
      expectAppendixTitle = false;
      if (TITLE_LIKE(line)) {
        current.heading = line;
        continue;
      }
    }

    const m = clauseAt(line) ?? matchMarker(line);
    if (m) {
      if (m.kind === 'chapter') {
        stack = [];
        // the same chapter again after an empty one: the first was a table of contents ("第一章 总则 第二章 …" before the text)
        const contents = roots.findIndex((r) => r.marker === m.marker && !r.paragraphs.length && !r.tables.length && !r.children.length);
        if (contents >= 0) roots.splice(contents, 1);
      }
      while (stack.length && stackLevel(stack[stack.length - 1]) >= m.level) stack.pop();
      const parent = stack[stack.length - 1];
      // an article is a sentence, not a heading ("第三条 本方案所称帮办，是指……。"), unless it opens with a label
      const { heading, body } = m.kind === 'article' ? articleHeading(m.rest) : splitHeading(m.rest);
      // a clause's number already says where it is ("2.1")
      const sec = newSection(m.kind === 'clause' ? m.marker : `${parent?.path ?? ''}${m.marker}`, m.marker, m.level, heading);
      if (body) sec.paragraphs.push(body);
      if (parent) parent.children.push(sec);
      else roots.push(sec);
      stack.push(sec);
      current = sec;
      currentTable = null;
      continue;
    }

    // A paragraph after a run of one-line items ("（一）到现场：一楼预约窗口；" … "（三）在网上：……。") speaks for
    // their parent again, as a notice goes on after its list, not for the last item.
    const parent = stack[stack.length - 2];
    if (parent && current === stack[stack.length - 1] && isOneLineList(parent.children)) {
      stack.pop();
      current = parent;
    }
    addParagraph(current, line);
  }
  return roots;
}

/** Two or more items, each a short label with one short line of its own ("到现场：政务服务中心一楼21号预约窗口；"). */
function isOneLineList(items: Section[]): boolean {
  return (
    items.length >= 2 &&
    items.every((s) => s.heading.length > 0 && s.heading.length <= 10 && s.paragraphs.length === 1 && s.paragraphs[0].length <= 60 && !s.children.length && !s.tables.length)
  );
}

/** A section's marker as shown before its text: "3." for a list number, "第二章 " for a chapter or an article. */
export function markerLabel(marker: string): string {
  if (/^\d+$/u.test(marker)) return `${marker}.`;
  if (/^\d+(?:\.\d+)+$/u.test(marker)) return `${marker} `; // a standard's clause: "2.1 帮办"
  if (/^第.{1,4}[章条]$/u.test(marker)) return `${marker} `;
  return marker;
}

/** Depth-first list of all sections (roots and descendants). */
export function flattenOutline(sections: Section[]): Section[] {
  const out: Section[] = [];
  const walk = (s: Section) => {
    out.push(s);
    s.children.forEach(walk);
  };
  sections.forEach(walk);
  return out;
}
