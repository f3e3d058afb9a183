/**
 * Metadata of a (repaired) policy document: 文号, title, issuer, dates, citations, level and region.
 */
import type { DocumentMetadata } from './types.js';
import { isDateLine, isDocNumberLine, isHeaderLine, isPageFurniture, isTableRow, isTrailerLine } from './repair.js';
import { foldSameLength as fold } from './script.js';
import { chineseSmallNumber } from '../server/search/normalize.js';

/** The span of `original` that `found` (a piece of the folded text, maybe without its spaces) comes from. */
function unfold(found: string | null, original: string, folded: string): string | null {
  if (!found || original === folded) return found;
  const idx: number[] = [];
  let compact = '';
  for (let i = 0; i < folded.length; i++) {
    if (!/\s/u.test(folded[i])) {
      idx.push(i);
      compact += folded[i];
    }
  }
  const at = compact.indexOf(found.replace(/\s+/gu, ''));
  if (at < 0) return found;
  const len = found.replace(/\s+/gu, '').length;
  return idx.slice(at, at + len).map((i) => original[i]).join('');
}

/** Lines of site navigation or page furniture above a web page's title. */
const NAV_RE = /(?:>|＞|»|›|首页|当前位置|您的位置|字号|打印|关闭|分享|收藏|浏览次数|访问量|无障碍|English|繁體|简体|登录|注册|扫一扫|返回顶部)/u;
/** What a document's own title ends with. */
const DOC_TYPE_RE =
  /(?:方案|要点|意见|通知|办法|细则|规定|规则|章程|守则|准则|报告|决定|解读|指引|指南|公告|通告|说明|规划|计划|纲要|措施|制度|清单|答复|函|批复|条例|标准|问答|问题|须知|目录|决议|纪要)$/u;

/** "索引号：…", "成文日期：…" (value on the same or the next line, or in a table row) of a 信息公开 page. */
const FIELD_KEYS = [
  '索引号', '主题分类', '组配分类', '体裁分类', '主题词', '公开主体', '公开类型', '公开属性', '发布机构', '发文机关', '发文单位', '制发机关',
  '成文日期', '发文日期', '印发日期', '发布日期', '生效日期', '实施日期', '文号', '发文字号', '发文文号', '标题', '名称', '文件名称', '有效性',
];
// a page may space a label out to line the colons up ("索 引 号：", "名 称：")
const FIELD_LABEL = FIELD_KEYS.map((k) => [...k].join('\\s*')).join('|');
const FIELD_RE = new RegExp(`^[•·●▪\\-*\\s]*(${FIELD_LABEL})\\s*[：:]\\s*(.*)$`, 'u');
/**
 * Where each label of a line starts: a record may put two fields on one line ("发布机构：市数据局 主题分类：其他"), and
 * repair has taken out the space between them ("名称：政府机关周末不能办事文号：").
 */
const FIELD_ON_LINE_RE = new RegExp(`(${FIELD_LABEL})\\s*[：:]`, 'gu');
const labelKey = (label: string) => label.replace(/\s+/gu, '');

/** The fields of one record line, each label with the text up to the next label. */
function fieldsOnLine(line: string): Array<[string, string]> {
  const found = [...line.matchAll(FIELD_ON_LINE_RE)];
  return found.map((m, i) => [labelKey(m[1]), line.slice(m.index! + m[0].length, found[i + 1]?.index ?? line.length).trim()]);
}

/**
 * A 信息公开 record laid out as a table: labels followed by their values, on two rows or more (索引号 | … | 主题分类 | …).
 * A table with such labels in its header row only (名称 | 文号 | 成文日期 over a list of documents) is content.
 */
export function isPublicationRecord(rows: string[][]): boolean {
  const isLabel = rows.map((cells) => cells.map((c) => FIELD_KEYS.includes(labelKey(c.replace(/[：:]$/u, '')))));
  const labelled = isLabel.filter((row) => row.some((label, k) => label && k + 1 < row.length)).length;
  return labelled >= 2 && isLabel.flat().filter(Boolean).length >= 3;
}

function labelledFields(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const set = (k: string, v: string) => {
    const t = v.trim();
    if (t && !out.has(k)) out.set(k, t);
  };
  for (let i = 0; i < Math.min(lines.length, 80); i++) {
    const l = lines[i];
    if (isTableRow(l)) {
      const cells = l.split('|').map((c) => c.trim().replace(/[：:]$/u, ''));
      for (let k = 0; k + 1 < cells.length; k++) if (FIELD_KEYS.includes(labelKey(cells[k]))) set(labelKey(cells[k]), cells[k + 1]);
      continue;
    }
    if (!FIELD_RE.test(l)) continue;
    const pairs = fieldsOnLine(l);
    // a label alone on its line has its value on the next
    if (pairs.length === 1 && !pairs[0][1]) {
      if (lines[i + 1] && !FIELD_RE.test(lines[i + 1])) set(pairs[0][0], lines[i + 1]);
    } else for (const [k, v] of pairs) set(k, v);
  }
  return out;
}

const field = (f: Map<string, string>, ...keys: string[]) => keys.map((k) => f.get(k)).find((v) => v) ?? null;

/** The file name as a title, for a text that has none: no extension, no numeric prefix, separators as spaces. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/u, '').replace(/\.[^.]+$/u, '');
  const t = base.replace(/^[\d\s._-]+(?=\D)/u, '').replace(/[_]+/gu, ' ').trim();
  return t || base;
}

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
    const mo = chineseSmallNumber(m[2]);
    const d = chineseSmallNumber(m[3]);
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
// 返回顶部 ends like 部; a body may add its other name: 市数据资源局（市政务服务局）
const isOrgName = (s: string) => /^[\p{Script=Han}（）]{2,40}$/u.test(s) && ORG_SUFFIX.test(s.replace(/（[^（）]+）$/u, '')) && !isPageFurniture(s);

const OUTLINE_RE = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[章条])/u;
const matchesOutline = (l: string) => OUTLINE_RE.test(l);

/** A title is written in Chinese: a line of digits and signs is a record's index number or a page's date. */
const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

/** A line that could be a title: not navigation, a field, a date, a 文号, a salutation or a sentence. */
function isTitleLike(l: string): boolean {
  const t = l.replace(/\s+/gu, '');
  return (
    t.length >= 5 && t.length <= 80 && !NAV_RE.test(l) && !FIELD_RE.test(l) && !isDateLine(halfWidth(l)) && !isDocNumberLine(halfWidth(l)) &&
    !isHeaderLine(l) && !isTrailerLine(l) && !/[，。；！？,;：:]/u.test(t) && hasHan(t) && !isOrgName(t) && !matchesOutline(t) && !isTableRow(l)
  );
}

/** The body issuing a wrapper line: "平利县人民政府办公室关于印发《…》的通知" → 平利县人民政府办公室. */
function issuerOfWrapper(lines: string[]): string | null {
  for (const l of lines) {
    const m = /^([\p{Script=Han}]{2,40}?)关于(?:印发|转发|发布)/u.exec(l);
    if (m && isOrgName(m[1])) return m[1];
  }
  return null;
}

/** The kinds a notice announces itself as ("现将有关事宜公告如下"): an untitled one is named by its issuer and its kind. */
export const NOTICE_KINDS = ['公告', '通告', '通知', '公示'];

/** A government decree's header: "贵州省人民政府令 第214号" (the title is the 《…》 its first sentence 公布s). */
const DECREE_RE = /^([\p{Script=Han}]{2,30}?(?:人民政府|政府|委员会|局|厅|部|署))令(第[0-9一二三四五六七八九十百零〇]+号)?$/u;

/** A headline in two halves, first in the text: "一网通办、一窗受理、一次办成，全力跑出嘉速度" (an interview, a news page). */
const isSloganTitle = (l: string, lines: string[]) => l === lines[0] && l.length <= 30 && /^[^，。：；！？]+，[^，。：；！？]+$/u.test(l);

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

/**
 * A place outside Shanghai opening an issuer or a title: a municipality or province (自治区), then maybe a city or
 * prefecture, then maybe a district or county ("北京市西城区人民政府办公室" → 北京市西城区, "西藏自治区…" → 西藏自治区).
 */
const OTHER_PLACE_AT_START =
  /^(?!上海)(北京市|天津市|重庆市|\p{Script=Han}{2,3}省|\p{Script=Han}{2,3}(?:壮族|回族|维吾尔)?自治区)(\p{Script=Han}{2,4}?(?:市|自治州|州|地区|盟))?(\p{Script=Han}{1,4}?(?:区|县|旗))?/u;

/**
 * A city, prefecture or county outside Shanghai opening the name of one of its own bodies (六安市人民政府, 平利县人民政府办公室,
 * 锡林郭勒盟行政公署), then maybe a district or county of it. Only before a body's name: a title opening with 智慧城市 or
 * 超大城市 names no place. Shanghai has had no county since 2016 (崇明县 is 崇明区, found as a district above).
 */
const LOCAL_BODY_AT_START =
  /^(?!上海|本|全|各|我|该|外)(\p{Script=Han}{2,4}?(?:市|县|旗|盟|自治州|地区))(\p{Script=Han}{1,4}?(?:区|县|旗))?(?=人民政府|政府|行政公署|[^，。、《》“”]{0,8}?(?:局|厅|委员会|常委会|办公室|中心|委|办))/u;
/**
 * A district that is none of Shanghai's sixteen, speaking in its own title ("山阳区关于推进……的实施方案"). Not the areas
 * inside Shanghai that also end in 区 (临港新片区, 虹桥国际中央商务区, 长三角一体化示范区, 园区, 开发区 …).
 */
const OTHER_DISTRICT_AT_START =
  /^(?!上海|本|全|各|我|该|外|市)(\p{Script=Han}{1,3}区)(?<!(?:片|园|新|示范|商务|自贸|试验|开发|保税|功能|合作|景|城|市|辖|社|小|街|校|厂|库|林|矿)区)(?=关于|人民政府|政府|办公室)/u;

/** A county opening a title ("《丰都县政务服务代办制度》政策解读"): Shanghai has none since 崇明县 became 崇明区 in 2016. */
const COUNTY_AT_START = /^《?(?!上海|本|全|各|我|该|外|市|区|崇明)(\p{Script=Han}{2,3}?县)(?!级|域|城|委|长|里|内|外)/u;

/**
 * The place outside Shanghai a body's name or a title opens with: a province or municipality with what follows
 * (北京市西城区, 西藏自治区), else a city, county or 盟 before one of its bodies (六安市, 平利县), else a district that is none
 * of Shanghai's speaking in its own title (山阳区), else a county (丰都县); null for none.
 */
function placeElsewhere(s: string): string | null {
  const province = OTHER_PLACE_AT_START.exec(s);
  if (province) return province[0];
  const local = LOCAL_BODY_AT_START.exec(s);
  if (local) return local[1] + (local[2] ?? '');
  return OTHER_DISTRICT_AT_START.exec(s)?.[1] ?? COUNTY_AT_START.exec(s)?.[1] ?? null;
}


/** Whether a body's name says where it is (上海市…, 长宁区…, 六安市…, 中共…, 国务院…): "区政府办公室" and "行政审批局" do not. */
const namesPlace = (org: string) => /^(?:上海|中共|中国|国家|国务院|中华人民共和国)/u.test(org) || DISTRICT_IN(org) !== null || placeElsewhere(org) !== null;

/** A Shanghai district named in the text, or an issuer that starts with some “××区” (a district's own body). */
const DISTRICT_IN = (s: string | null) =>
  s ? (DISTRICTS.find((d) => s.includes(d)) ?? /^(?:上海市)?(\p{Script=Han}{2,3}区)(?:人民政府|行政服务中心|政务服务|办公室|委|局)/u.exec(s)?.[1] ?? null) : null;

export function extractMetadata(text: string, fileName: string, hintTitle?: string): DocumentMetadata {
  const original = text.replace(/[«]/gu, '《').replace(/[»]/gu, '》');
  const folded = fold(original);
  const m = detectMetadata(folded, fileName, hintTitle === undefined ? undefined : fold(hintTitle));
  // what was found in the folded text is shown as the document writes it
  return {
    ...m,
    title: unfold(m.title, original, folded) ?? m.title,
    issuer: unfold(m.issuer, original, folded)?.replace(/(办公厅|办公室|人民政府|委员会|管理局)(?=中共|中国|上海市)/gu, '$1、') ?? null,
    citations: m.citations.map((c) => ({ ...c, title: unfold(c.title, original, folded) ?? c.title })),
  };
}

function detectMetadata(text: string, fileName: string, hintTitle?: string): DocumentMetadata {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const fields = labelledFields(lines);

  // header zone: before the first sentence / greeting / outline item
  // (a 信息公开 field or a page's "浏览次数：" ending in a colon is no greeting)
  let headerEnd = lines.findIndex((l, i) => i > 0 && (/[。]/u.test(l) || (/[：:]$/u.test(l) && !FIELD_RE.test(l) && !NAV_RE.test(l)) || /^[一二三四五六七八九十]+、/u.test(l)));
  if (headerEnd < 0) headerEnd = Math.min(lines.length, 10);
  headerEnd = Math.min(headerEnd, 12);
  const header = lines.slice(0, headerEnd);

  // ---- 文号
  let docNumber: string | null = null;
  const labelledNumber = field(fields, '文号', '发文字号', '发文文号');
  if (labelledNumber && DOC_NUMBER.test(halfWidth(labelledNumber))) docNumber = normaliseDocNumber(DOC_NUMBER.exec(halfWidth(labelledNumber))![0]);
  const numberLine = header.find((l) => isDocNumberLine(halfWidth(l)));
  const decree = header.map((l) => DECREE_RE.exec(l.replace(/\s+/gu, ''))).find(Boolean) ?? null;
  if (docNumber) {
    // a 信息公开 field stated it
  } else if (numberLine) docNumber = normaliseDocNumber(numberLine);
  else if (decree?.[2]) docNumber = decree[0]; // a decree is cited by its number: 贵州省人民政府令第214号
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
  // a covering letter: "现将《X》印发给你们", "《X》已经…同意，现印发给你们", "…制订的《X》…现转发给你们"
  for (let i = 0; i < Math.min(lines.length, 20) && title === null; i++) {
    if (!/(?:印发|转发|发布)给你们|现予(?:印发|转发|发布|公布)|现(?:印发|转发)/u.test(lines[i])) continue;
    const inner = /《([^《》]{4,150})》/u.exec(lines[i]);
    if (inner) title = inner[1].trim();
  }
  if (title === null) {
    const t = field(fields, '标题', '文件名称', '名称');
    if (t && t.length <= 150) title = titleFromWrapper(t) && /关于(?:印发|转发)/u.test(t) ? titleFromWrapper(t) : t;
  }
  // a 政策解读 page: "关于《X》的政策解读" is its own title
  if (title === null) {
    const reading = lines.slice(0, 20).find((l) => /^(?:关于)?《[^《》]+》(?:的)?(?:政策)?解读$/u.test(l.replace(/\s+/gu, '')));
    if (reading) title = reading;
  }
  if (title === null) title = cleanHintTitle(hintTitle);
  if (title === null) {
    // a web page: the title line among navigation and page furniture, before the body starts
    const top = lines.slice(0, 25);
    const bodyStart = top.findIndex((l) => /[。]/u.test(l) || matchesOutline(l));
    const zone = bodyStart < 0 ? top : top.slice(0, bodyStart);
    const candidate = zone.find((l) => isTitleLike(l) && DOC_TYPE_RE.test(l.replace(/\s+/gu, '')));
    if (candidate && zone.indexOf(candidate) > 0 && zone.slice(0, zone.indexOf(candidate)).every((l) => !isTitleLike(l) || NAV_RE.test(l) || FIELD_RE.test(l) || isOrgName(l.replace(/\s+/gu, '')))) title = candidate;
  }
  if (title === null) {
    const first = header.find(
      (l) =>
        !isHeaderLine(l) &&
        !isDocNumberLine(halfWidth(l)) &&
        !isDateLine(halfWidth(l)) &&
        !isTrailerLine(l) &&
        !isTableRow(l) &&
        !FIELD_RE.test(l) &&
        !NAV_RE.test(l) &&
        !/^[（(].*[）)]$/u.test(l) &&
        !matchesOutline(l.replace(/\s+/gu, '')) && // "一、起草背景" heads a section, it does not name the document
        (!/[，。：；]/u.test(l) || isSloganTitle(l, lines)) &&
        hasHan(l) &&
        !isPageFurniture(l) &&
        !(isOrgName(l.replace(/\s+/gu, '')) && header.indexOf(l) < header.length - 1) && // an issuer line above the title
        l.length <= 80,
    );
    if (first) title = first;
  }
  if (title === null) {
    // no header: the document the text says it drafts or lays down (起草《X》), else the first it names, else its
    // first meaningful line
    const opening = lines.slice(0, 30).join('\n');
    const cited = /(?:起草|制定|制订|编制|出台|印发)了?《([^《》]{4,80})》/u.exec(opening) ?? /《([^《》]{4,80})》/u.exec(opening);
    const firstLine = lines.slice(0, 10).find((l) => isTitleLike(l) && l.length >= 6);
    title = firstLine ?? cited?.[1] ?? null;
  }
  const untitled = title === null;
  if (title === null) title = titleFromFileName(fileName);
  // a site's column label before the title ("【部门解读】《…》的政策解读", "政务服务丨…的实施意见") is not part of it
  title = title.replace(/\s+/gu, '').replace(/^(?:【[^【】]{1,8}】|[^丨｜【】《》]{1,8}[丨｜])(?=.{4})/u, '');

  // ---- issuer
  let issuer: string | null = null;
  const headerLine = header.find((l) => isHeaderLine(l));
  if (headerLine) issuer = headerLine.replace(/\s+/gu, '').replace(/文件$/u, '');
  const wrapperIssuer = issuerOfWrapper([...lines.slice(0, 15), ...['文件名称', '标题', '名称'].map((k) => fields.get(k) ?? '')]);
  if (!issuer && decree && isOrgName(decree[1])) issuer = decree[1];
  if (!issuer) {
    const labelled = field(fields, '发文机关', '发布机构', '制发机关', '发文单位')?.replace(/\s+/gu, '');
    // a page may print its own body without its place ("区政府办公室", "行政审批局"): the wrapper line names it in full
    if (labelled && isOrgName(labelled)) issuer = wrapperIssuer && !namesPlace(labelled) ? wrapperIssuer : labelled;
  }
  if (!issuer) {
    // an organisation's name on its own line at the top, above the 文号 or the title
    const top = header.find((l) => isOrgName(l.replace(/\s+/gu, '')) && l.replace(/\s+/gu, '') !== title);
    if (top && header.indexOf(top) <= 1) issuer = top.replace(/\s+/gu, '');
  }
  if (!issuer) {
    for (let i = 0; i + 1 < lines.length; i++) {
      if (isDateLine(halfWidth(lines[i + 1])) && isOrgName(lines[i].replace(/\s+/gu, ''))) {
        // joint issuers sign one above the other
        const names = [lines[i].replace(/\s+/gu, '')];
        for (let j = i - 1; j >= 0 && isOrgName(lines[j].replace(/\s+/gu, '')); j--) names.unshift(lines[j].replace(/\s+/gu, ''));
        issuer = names.join('、');
        break;
      }
    }
  }
  // the wrapper line, or a 信息公开 record's 文件名称 that gives it ("平利县人民政府办公室关于印发《…》的通知")
  if (!issuer) issuer = wrapperIssuer;
  if (!issuer) {
    // "上海市崇明区人民政府关于办理…的报告": the body that speaks in the title
    const m = /^([\p{Script=Han}]{4,30}?)关于/u.exec(title);
    if (m && isOrgName(m[1]) && (/^(?:上海市|中共)/u.test(m[1]) || placeElsewhere(m[1]))) issuer = m[1];
  }
  if (!issuer) {
    const published = field(fields, '公开主体', '发布单位');
    if (published && isOrgName(published.replace(/\s+/gu, ''))) issuer = published.replace(/\s+/gu, '');
  }
  if (!issuer) {
    const printed = lines.map((l) => /^([\p{Script=Han}（）]{2,40}?)\s*\d{4}\s*年.*印发$/u.exec(halfWidth(l))).find(Boolean);
    if (printed && isOrgName(printed[1])) issuer = printed[1];
  }

  // a notice that states no title ("现将有关事宜公告如下") is named by its issuer and its kind, not by its file
  const kind = new RegExp(`(${NOTICE_KINDS.join('|')})如下`, 'u').exec(lines.slice(0, 3).join(''));
  if (untitled && issuer && kind) title = `${issuer}${kind[1]}`;

  // ---- dates
  let issueDate: string | null = null;
  const labelledDate = field(fields, '成文日期', '发文日期', '印发日期');
  if (labelledDate) issueDate = parseChineseDate(labelledDate);
  const dateLine = lines.find((l) => isDateLine(halfWidth(l)));
  if (dateLine && !issueDate) issueDate = parseChineseDate(dateLine);
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
      const n = /\d/u.test(span[1]) ? Number(span[1]) : chineseSmallNumber(span[1]);
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
  // an issuer that names no district ("区政府办公室", as a district's own web page prints it) leaves it to the title;
  // a city body's title may name a district it writes about, so only then
  const district = DISTRICT_IN(issuer) ?? (issuer === null || /^区/.test(issuer) ? DISTRICT_IN(title) : null);
  // a document of another province or city (北京市西城区…, 西藏自治区…) is not Shanghai's
  const elsewhere = district ? null : (placeElsewhere(issuer ?? '') ?? placeElsewhere((title ?? '').replace(/^\d{4}年度?/u, '')));
  const region = district ?? elsewhere ?? '上海市';

  return {
    title,
    docNumber,
    issuer,
    issueDate,
    effectiveDate,
    expiryDate,
    citations,
    // a district, county or banner is district level; a city, prefecture (地区), province or 自治区 city level
    level: district || (/[区县旗]$/u.test(region) && !/(?:自治|地)区$/u.test(region)) ? 'district' : 'city',
    region,
  };
}
