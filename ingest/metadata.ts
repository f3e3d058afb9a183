/**
 * Metadata of a (repaired) policy document: 文号, title, issuer, dates, citations, level and region.
 */
import type { DocumentMetadata } from './types.js';
import { isDateLine, isDocNumberLine, isHeaderLine, isTrailerLine } from './repair.js';

const DISTRICTS = [
  '浦东新区',
  '黄浦区',
  '徐汇区',
  '长宁区',
  '静安区',
  '普陀区',
  '虹口区',
  '杨浦区',
  '闵行区',
  '宝山区',
  '嘉定区',
  '金山区',
  '松江区',
  '青浦区',
  '奉贤区',
  '崇明区',
];

/** Full-width digits/letters → ASCII (only those; Chinese punctuation is kept). */
const halfWidth = (s: string) => s.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/gu, (c) => c.normalize('NFKC'));

const DOC_NUMBER = /([\p{Script=Han}]{2,8})\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d{1,5})\s*号/u;

/** "沪府办发 〔２０２２〕２１ 号", "普府办[2021]39号" → "沪府办发〔2022〕21号". */
export function normaliseDocNumber(s: string): string {
  const t = halfWidth(s)
    .replace(/[\s\u00a0\u3000]+/gu, '')
    .replace(/^[（(]+|[）)]+$/gu, '');
  return t.replace(/[〔\[［(（【](\d{4})[〕\]］)）】]/u, '〔$1〕');
}

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, '○': 0, Ｏ: 0, O: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 十一 → 11, 二十三 → 23, 三十 → 30, 九 → 9. */
function cnSmallNumber(s: string): number | null {
  if (/^十$/u.test(s)) return 10;
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/u.exec(s);
  if (!m || (!m[1] && !m[2] && !m[3])) return null;
  if (!m[2]) return m[3] ? null : CN_DIGIT[m[1]!];
  return (m[1] ? CN_DIGIT[m[1]] : 1) * 10 + (m[3] ? CN_DIGIT[m[3]] : 0);
}

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const DATE_PATTERNS = {
  arabic: /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/u,
  chinese: /([〇零○ＯO一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日/u,
  iso: /(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)/u,
};
/** Any date form parseChineseDate understands, for scanning text. */
const ANY_DATE = new RegExp(
  [DATE_PATTERNS.arabic.source, DATE_PATTERNS.chinese.source, DATE_PATTERNS.iso.source].map((s) => `(?:${s})`).join('|'),
  'u',
);

/** The first date in s ("2021年11月23日", "2021 年 11 月 23 日", "２０２２年１１月１９日", "二〇二一年十一月二十三日", "2021-11-23") as YYYY-MM-DD. */
export function parseChineseDate(s: string): string | null {
  const t = halfWidth(s);
  const candidates: Array<{ index: number; value: string | null }> = [];
  let m = DATE_PATTERNS.arabic.exec(t);
  if (m) candidates.push({ index: m.index, value: isoDate(+m[1], +m[2], +m[3]) });
  m = DATE_PATTERNS.chinese.exec(t);
  if (m) {
    const y = Number([...m[1]].map((c) => CN_DIGIT[c]).join(''));
    const mo = cnSmallNumber(m[2]);
    const d = cnSmallNumber(m[3]);
    candidates.push({ index: m.index, value: mo !== null && d !== null ? isoDate(y, mo, d) : null });
  }
  m = DATE_PATTERNS.iso.exec(t);
  if (m) candidates.push({ index: m.index, value: isoDate(+m[1], +m[2], +m[3]) });
  const found = candidates.filter((c) => c.value !== null).sort((a, b) => a.index - b.index);
  return found[0]?.value ?? null;
}

function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const dt = new Date(Date.UTC(y + years, m - 1, d));
  dt.setUTCDate(dt.getUTCDate() - 1);
  return dt.toISOString().slice(0, 10);
}

const ORG_SUFFIX = /(?:办公厅|办公室|人民政府|政府|委员会|管理局|局|委|厅|中心|院|部|办|署|会|所)$/u;
const isOrgName = (s: string) => /^[\p{Script=Han}（）]{2,40}$/u.test(s) && ORG_SUFFIX.test(s);

/** Strips quotes/spaces for comparing titles. */
const titleKey = (s: string) => s.replace(/[\s“”"'‘’《》«»]/gu, '');

/** The name inside 关于印发《X》的通知 (or the wrapper without 关于印发/的通知). */
function titleFromWrapper(line: string): string | null {
  const inner = /《([^《》]+)》/u.exec(line);
  if (inner) return inner[1].trim();
  const m = /关于(?:印发|转发|发布|颁布|公布)(.+?)的(?:通知|决定|公告)$/u.exec(line);
  return m ? m[1].trim() : null;
}

function cleanHintTitle(hint: string | undefined): string | null {
  if (!hint) return null;
  let t = hint.replace(/\s+/gu, ' ').trim();
  if (!t) return null;
  t = t.replace(/\s*[_|｜]\s*[^_|｜]*$/u, '').trim() || t; // "标题_上海市人民政府" → "标题"
  if (/关于(?:印发|转发|发布)/u.test(t)) t = titleFromWrapper(t) ?? t;
  if (/文件$/u.test(t) && t.length <= 20) return null;
  return t;
}

/** A Shanghai district named in the text, or an issuer that starts with some “××区” (a district's own body). */
const DISTRICT_IN = (s: string | null) =>
  s ? (DISTRICTS.find((d) => s.includes(d)) ?? /^(?:上海市)?(\p{Script=Han}{2,3}区)(?:人民政府|行政服务中心|政务服务|办公室|委|局)/u.exec(s)?.[1] ?? null) : null;

export function extractMetadata(text: string, fileName: string, hintTitle?: string): DocumentMetadata {
  const lines = text
    .replace(/[«]/gu, '《')
    .replace(/[»]/gu, '》')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

  // header zone: before the first sentence / greeting / outline item
  let headerEnd = lines.findIndex((l, i) => i > 0 && (/[。]/u.test(l) || /[：:]$/u.test(l) || /^[一二三四五六七八九十]+、/u.test(l)));
  if (headerEnd < 0) headerEnd = Math.min(lines.length, 10);
  headerEnd = Math.min(headerEnd, 12);
  const header = lines.slice(0, headerEnd);

  // ---- 文号
  let docNumber: string | null = null;
  const numberLine = header.find((l) => isDocNumberLine(halfWidth(l)));
  if (numberLine) docNumber = normaliseDocNumber(numberLine);
  else {
    for (const l of header) {
      const t = halfWidth(l);
      if (/[《》]/u.test(t)) continue; // a cited document's number
      const m = DOC_NUMBER.exec(t);
      if (m) {
        docNumber = normaliseDocNumber(m[0]);
        break;
      }
    }
  }

  // ---- title
  let title: string | null = null;
  for (let i = 0; i < Math.min(lines.length, 15) && title === null; i++) {
    if (!/关于(?:印发|转发|发布|颁布|公布)/u.test(lines[i])) continue;
    if (/[。，]/u.test(lines[i])) continue;
    // a wrapper title spread over several lines (unrepaired text)
    let wrapper = lines[i];
    for (let j = i + 1; j < Math.min(lines.length, i + 4) && !/通知|决定|公告/u.test(wrapper); j++) {
      if (/[。，：]/u.test(lines[j])) break;
      wrapper += lines[j];
    }
    title = titleFromWrapper(wrapper);
  }
  if (title === null) title = cleanHintTitle(hintTitle);
  if (title === null) {
    const first = header.find(
      (l) =>
        !isHeaderLine(l) &&
        !isDocNumberLine(halfWidth(l)) &&
        !isDateLine(halfWidth(l)) &&
        !isTrailerLine(l) &&
        !/^[（(].*[）)]$/u.test(l) &&
        !/[，。：；]/u.test(l) &&
        !(isOrgName(l.replace(/\s+/gu, '')) && header.indexOf(l) < header.length - 1) && // an issuer line above the title
        l.length <= 80,
    );
    if (first) title = first;
  }
  if (title === null) title = fileName.replace(/\.[^.]+$/u, '');
  title = title.replace(/\s+/gu, '');

  // ---- issuer
  let issuer: string | null = null;
  const headerLine = header.find((l) => isHeaderLine(l));
  if (headerLine) issuer = headerLine.replace(/\s+/gu, '').replace(/文件$/u, '');
  if (!issuer) {
    // an organisation's name on its own line at the top, above the 文号 or the title
    const top = header.find((l) => isOrgName(l.replace(/\s+/gu, '')) && l.replace(/\s+/gu, '') !== title);
    if (top && header.indexOf(top) <= 1) issuer = top.replace(/\s+/gu, '');
  }
  if (!issuer) {
    for (let i = 0; i + 1 < lines.length; i++) {
      if (isDateLine(halfWidth(lines[i + 1])) && isOrgName(lines[i].replace(/\s+/gu, ''))) {
        issuer = lines[i].replace(/\s+/gu, '');
        break;
      }
    }
  }
  if (!issuer) {
    for (const l of lines.slice(0, 15)) {
      const m = /^([\p{Script=Han}]{2,40}?)关于(?:印发|转发|发布)/u.exec(l);
      if (m && isOrgName(m[1])) {
        issuer = m[1];
        break;
      }
    }
  }
  if (!issuer) {
    const printed = lines.map((l) => /^([\p{Script=Han}（）]{2,40}?)\s*\d{4}\s*年.*印发$/u.exec(halfWidth(l))).find(Boolean);
    if (printed && isOrgName(printed[1])) issuer = printed[1];
  }

  // ---- dates
  let issueDate: string | null = null;
  const dateLine = lines.find((l) => isDateLine(halfWidth(l)));
  if (dateLine) issueDate = parseChineseDate(dateLine);
  if (!issueDate) {
    const labelled = lines.map((l) => /(?:成文日期|印发日期|发文日期|发布日期)\s*[：:]\s*(.+)$/u.exec(l)).find(Boolean);
    if (labelled) issueDate = parseChineseDate(labelled[1]);
  }
  if (!issueDate) {
    const printed = lines.find((l) => /\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$/u.test(halfWidth(l)));
    if (printed) issueDate = parseChineseDate(printed);
  }

  const body = halfWidth(lines.join('\n'));
  let effectiveDate: string | null = null;
  const explicit = new RegExp(`自\\s*(${ANY_DATE.source})\\s*起\\s*(?:施行|实施|执行|生效)`, 'u').exec(body);
  if (explicit) effectiveDate = parseChineseDate(explicit[1]);
  else if (/自(?:印发|发布|公布|签发)之日起(?:施行|实施|执行|生效)/u.test(body)) effectiveDate = issueDate;

  let expiryDate: string | null = null;
  const until = new RegExp(`有效期(?:至|到|截至)\\s*(${ANY_DATE.source})`, 'u').exec(body);
  if (until) expiryDate = parseChineseDate(until[1]);
  else {
    const span = /有效期(?:为)?\s*([0-9]{1,2}|[一二三四五六七八九十两])\s*年/u.exec(body);
    const start = effectiveDate ?? issueDate;
    if (span && start) {
      const n = /\d/u.test(span[1]) ? Number(span[1]) : span[1] === '两' ? 2 : cnSmallNumber(span[1]);
      if (n) expiryDate = addYears(start, n);
    }
  }

  // ---- citations
  const ownKey = titleKey(title);
  const citations: Array<{ title: string; docNumber: string | null }> = [];
  const byKey = new Map<string, { title: string; docNumber: string | null }>();
  const joined = lines.join('\n');
  for (const m of joined.matchAll(/《([^《》]{1,150})》/gu)) {
    const cited = m[1].replace(/\s+/gu, '');
    const key = titleKey(cited);
    if (!key || key === ownKey) continue;
    const after = joined.slice(m.index! + m[0].length, m.index! + m[0].length + 40);
    const num = /^\s*[（(]\s*([\p{Script=Han}]{2,10}\s*[〔\[［(（【]\s*[0-9０-９]{4}\s*[〕\]］)）】]\s*[0-9０-９]{1,5}\s*号)\s*[）)]/u.exec(after);
    const docNo = num ? normaliseDocNumber(num[1]) : null;
    const existing = byKey.get(key);
    if (existing) {
      if (!existing.docNumber && docNo) existing.docNumber = docNo;
      continue;
    }
    const entry = { title: cited, docNumber: docNo };
    byKey.set(key, entry);
    citations.push(entry);
  }

  // ---- level / region
  const district = DISTRICT_IN(issuer) ?? (issuer === null ? DISTRICT_IN(title) : null);

  return {
    title,
    docNumber,
    issuer,
    issueDate,
    effectiveDate,
    expiryDate,
    citations,
    level: district ? 'district' : 'city',
    region: district ?? '上海市',
  };
}
