/** Tables (mostly annexes: who helps with which item, forms to fill in) turned into entries. */
import type { ParsedDocument } from '../types.js';
import { isPublicationRecord } from '../metadata.js';
import type { Builder } from './builder.js';
import { audienceOf } from './classify.js';
import { bookTitle } from './document.js';
import type { FlatSection } from './sections.js';
import { tidyText, trimPunct, uniq } from './text.js';

// What a column holds, from its header.
const PERSON_HEADER_RE = /领导|姓名|负责人|联系人|帮办人|人员/;
const ITEM_HEADER_RE = /事项|项目|名称|内容|业务/;
const UNIT_HEADER_RE = /处室|单位|部门|科室|机构/;
const INDEX_HEADER_RE = /^(?:序号|编号|序)$/;
const PHONE_HEADER_RE = /电话|联系方式|热线/;

function cell(s: string): string {
  return tidyText(s).replace(/\s+/g, ''); // names printed with spaces ("朱  明") lose them
}

/** The section's tables, or the one its one-cell paragraphs spell out. */
export function tablesOf(f: FlatSection): string[][][] {
  return f.section.tables.length ? f.section.tables : reconstructTable(f);
}

/** The table's name: the section heading, a short paragraph, or the annex list's line for this annex. */
function tableTitle(f: FlatSection, doc: ParsedDocument, index: number): string {
  if (f.heading && !/^附件\d*$/.test(f.heading)) return f.heading;
  const paras = f.paragraphs.filter((p) => p.length <= 60 && !/[，。；]/.test(p));
  if (paras.length) return paras.join('');
  const num = /\d+/.exec(f.section.marker)?.[0] ?? String(index + 1);
  const m = new RegExp(`(?:附件[：:]\\s*|\\n)\\s*${num}\\s*[.．、]\\s*([^\\n]{4,60})`).exec(tidyText(doc.text));
  return m ? trimPunct(m[1]) : f.section.marker;
}

/** One table of a section with its columns found from the header (-1: no such column). */
interface Table {
  f: FlatSection;
  title: string;
  /** 附件1《title》, as answers cite it. */
  ref: string;
  /** "t:<path>" (".2" … for a section's further tables): what the entries' keys start with. */
  key: string;
  header: string[];
  /** The rows under the header that have (nearly) all its cells. */
  data: string[][];
  idx: number;
  person: number;
  unit: number;
  item: number;
  phone: number;
  personH: string;
  unitH: string;
  /** 帮办 when the items are 帮办事项, else 负责. */
  verb: string;
}

/**
 * Entries of a section's tables: one per service item ("t:<path>:row:<n>", all its people and units), one per row
 * of other tables, one for the whole list of people ("t:<path>:all") and one for a blank form ("t:<path>:form").
 */
export function tableEntries(b: Builder, f: FlatSection, doc: ParsedDocument): void {
  tablesOf(f).forEach((rawRows, ti) => {
    const rows = rawRows.map((r) => r.map(cell)).filter((r) => r.some((x) => x));
    if (rows.length < 2) return;
    const title = tableTitle(f, doc, ti);
    const ref = `${/^附件/.test(f.section.marker) ? f.section.marker : ''}${bookTitle(title)}`;
    const key = `t:${f.path}${ti > 0 ? `.${ti + 1}` : ''}`;
    // a web page's publication record (索引号, 发布机构, 文号 …) is the document's metadata, read by metadata.ts
    if (isPublicationRecord(rows)) return;
    const cells = rows.flat();
    const header = rows[0];
    const isForm = cells.filter((x) => x).length / cells.length < 0.75 || header.length < 2;
    if (isForm) {
      formEntry(b, f, title, ref, key, cells);
      return;
    }
    const col = (re: RegExp) => header.findIndex((h) => re.test(h));
    const idx = col(INDEX_HEADER_RE);
    const person = col(PERSON_HEADER_RE);
    const unit = header.findIndex((h, i) => i !== person && UNIT_HEADER_RE.test(h));
    const item = header.findIndex((h, i) => i !== person && i !== unit && i !== idx && ITEM_HEADER_RE.test(h));
    const phone = col(PHONE_HEADER_RE);
    const data = rows.slice(1).filter((r) => r.length >= header.length - 1);
    if (!data.length) return;
    const t: Table = {
      f, title, ref, key, header, data, idx, person, unit, item, phone,
      personH: person >= 0 ? header[person] : '',
      unitH: unit >= 0 ? header[unit] : '',
      verb: item >= 0 && /帮办/.test(header[item]) ? '帮办' : '负责',
    };
    // items are asked "由谁负责" only when the table says who
    if (item >= 0 && (person >= 0 || unit >= 0)) itemEntries(b, t);
    else rowEntries(b, t);
    if (person >= 0 && data.length >= 2) peopleEntry(b, t);
  });
}

/** A blank form: what it asks to fill in. */
function formEntry(b: Builder, f: FlatSection, title: string, ref: string, key: string, cells: string[]): void {
  const labels = uniq(cells.filter((x) => x && x.length <= 20));
  if (labels.length < 2) return;
  b.add({
    key: `${key}:form`,
    kind: 'table',
    category: 'guide',
    question: `${title}要填写哪些内容？`,
    similar: [`${title}包括哪些栏目？`, `怎么填写${title}？`, `${title}有哪些项目？`],
    answer: `根据${b.ctx.label}${ref}，需填写：${labels.join('、')}。`,
    core: `form${labels.join('')}`,
    sourceSection: f.path,
    extraTerms: [title, ...labels.slice(0, 4)],
  });
}

/** One entry per item, listing every person and unit of its rows. */
function itemEntries(b: Builder, t: Table): void {
  const { f, header, data, idx, person, unit, item, phone, personH, unitH, verb } = t;
  const ctx = b.ctx;
  const unitShort = unitH.replace(/^责任/, '') || '单位';
  const items = uniq(data.map((r) => r[item]).filter(Boolean));
  for (const it of items) {
    const rs = data.filter((r) => r[item] === it);
    const people = uniq(rs.map((r) => (person >= 0 ? r[person] : '')).filter(Boolean));
    const units = uniq(rs.map((r) => (unit >= 0 ? r[unit] : '')).filter(Boolean));
    const phones = uniq(rs.map((r) => (phone >= 0 ? r[phone] : '')).filter(Boolean));
    const rowNo = idx >= 0 && /^\d+$/.test(rs[0][idx]) ? rs[0][idx] : String(data.indexOf(rs[0]) + 1);
    const parts: string[] = [];
    if (people.length) parts.push(`由${personH}${people.join('、')}${verb}`);
    if (units.length) parts.push(`${unitH}为${units.join('、')}`);
    if (phones.length) parts.push(`${header[phone]}为${phones.join('、')}`);
    for (let ci = 0; ci < header.length; ci++) {
      if ([idx, person, unit, item, phone].includes(ci)) continue;
      const vals = uniq(rs.map((r) => r[ci]).filter(Boolean));
      if (vals.length && header[ci]) parts.push(`${header[ci]}为${vals.join('、')}`);
    }
    const qs: string[] = [];
    if (people.length && units.length) qs.push(`${it}由哪位${personH}${verb}、哪个${unitShort}负责？`);
    else if (people.length) qs.push(`${it}由哪位${personH}${verb}？`);
    else qs.push(`${it}由哪个${unitShort}负责？`);
    if (units.length) qs.push(`${it}的${unitH}是哪个？`, `${it}由哪个${unitShort}负责${verb === '帮办' ? '帮办' : ''}？`);
    if (people.length) qs.push(`哪位${personH}${verb}${it}？`);
    for (const p of people.slice(0, 3)) qs.push(`${p}${verb}什么事项？`);
    b.add({
      key: `${t.key}:row:${rowNo}`,
      kind: 'table',
      category: 'department',
      question: qs[0],
      similar: qs.slice(1),
      answer: `根据${ctx.label}${t.ref}，${it}${parts.join('，')}。`,
      core: `row${it}${people.join('')}${units.join('')}`,
      serviceItem: it,
      department: units.join('、') || undefined,
      sourceSection: f.path,
      extraTerms: [it, ...people.slice(0, 3), ...units.slice(0, 2)],
      audience: audienceOf(ctx, it),
    });
  }
}

/** One entry per row of a table without an item column, named by its first cell. */
function rowEntries(b: Builder, t: Table): void {
  const { f, title, header, data, idx, phone } = t;
  const ctx = b.ctx;
  data.forEach((r, k) => {
    const name = r.find((x, ci) => ci !== idx && x) ?? '';
    if (!name) return;
    const pairs = header.map((h, ci) => (ci !== idx && r[ci] && h && r[ci] !== name ? `${h}为${r[ci]}` : '')).filter(Boolean);
    if (!pairs.length) return;
    const asked = header.filter((_h, ci) => ci !== idx && r[ci] && r[ci] !== name).slice(0, 2);
    b.add({
      key: `${t.key}:row:${idx >= 0 && /^\d+$/.test(r[idx]) ? r[idx] : k + 1}`,
      kind: 'table',
      category: phone >= 0 ? 'hotline' : 'department',
      question: `${name}的${asked.join('和')}是什么？`,
      similar: [`${name}的相关信息是什么？`, `${title}中${name}是怎么规定的？`],
      answer: `根据${ctx.label}${t.ref}，${name}：${pairs.join('，')}。`,
      core: `row${r.join('')}`,
      serviceItem: name,
      sourceSection: f.path,
      extraTerms: [name],
    });
  });
}

/** The whole table: "有哪些局领导参加…". */
function peopleEntry(b: Builder, t: Table): void {
  const { f, title, data, idx, person, unit, item, personH, verb } = t;
  const ctx = b.ctx;
  const people = uniq(data.map((r) => r[person]).filter(Boolean));
  const activity = title.replace(/^\d{4}年度?/, '').replace(/(?:项目)?清单$|名单$|一览表$|表$/, '');
  const year = /^(\d{4})年/.exec(title)?.[1];
  const lines = data.map((r, k) => {
    const bits = [item >= 0 ? r[item] : '', unit >= 0 ? r[unit] : ''].filter(Boolean);
    const desc = bits.length === 2 ? `：${bits[0]}（${bits[1]}）` : bits.length === 1 ? `：${bits[0]}` : '';
    return `${idx >= 0 && r[idx] ? r[idx] : k + 1}. ${r[person]}${desc}`;
  });
  const act = activity.replace(/^(?:市局)?领导班子成员/, '');
  const allQ = /(?:帮办|活动|工作|调研|走访)$/.test(act) ? `有哪些${personH}参加${year ? `${year}年` : ''}${act}？` : `${title}中有哪些${personH}？`;
  b.add({
    key: `${t.key}:all`,
    kind: 'table',
    category: 'department',
    question: allQ,
    similar: [`${title}包括哪些${personH}？`, `${title}有哪些内容？`, `哪些${personH}参加${activity}？`, `${personH}分别${verb}哪些事项？`],
    answer: `根据${ctx.label}${t.ref}，共${people.length}位${personH}、${data.length}项：\n\n${lines.join('\n')}`,
    core: `all${lines.join('')}`,
    sourceSection: f.path,
    extraTerms: [title.length <= 12 ? title : act, personH, ...people.slice(0, 3)],
  });
}

/** When the outline found no table: one-cell paragraphs "序号 / 局领导 / … / 1 / 陈学军 / …". */
function reconstructTable(f: FlatSection): string[][][] {
  const cells = f.paragraphs.flatMap((p) => p.split(/\n+/)).map((x) => x.trim()).filter(Boolean);
  const firstNum = cells.findIndex((c) => c === '1');
  const idxHeader = cells.slice(0, Math.max(0, firstNum)).findIndex((c) => INDEX_HEADER_RE.test(c));
  if (firstNum < 2 || idxHeader < 0) return [];
  const width = firstNum - idxHeader;
  if (width < 2) return [];
  const rows: string[][] = [];
  for (let i = idxHeader; i + width <= cells.length; i += width) rows.push(cells.slice(i, i + width));
  const ok = rows.slice(1).every((r, k) => r[0] === String(k + 1));
  return ok && rows.length >= 3 ? [rows] : [];
}
