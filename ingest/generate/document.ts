/** The document as a whole: the context its entries share, its summary (the 政策文件 entry) and its preamble. */
import { NOTICE_KINDS, titleFromFileName } from '../metadata.js';
import { markerLabel } from '../outline.js';
import type { ParsedDocument } from '../types.js';
import type { Builder } from './builder.js';
import { generatorTerms } from './terms.js';
import type { FlatSection } from './sections.js';
import { normKey, quoted, tidyText, trimPunct } from './text.js';
import { ACTOR_RE, BOILERPLATE_HEADING_RE } from './vocabulary.js';

/** What every entry of a document needs to know about the document. */
export interface DocContext {
  title: string;
  /** 《title》（文号） */
  label: string;
  /** The title without 实施方案/工作方案/工作要点 …, for questions. */
  topic: string;
  region: string;
  /** The issuing authority: the 责任单位 of what the text assigns to nobody. */
  issuer: string | null;
  enterpriseDoc: boolean;
  /** Quoted terms that appear almost everywhere (the document's theme, not glossary material). */
  ubiquitous: Set<string>;
  text: string;
}

/** "关于《X》的政策解读", "《X》起草说明": the title of a text explaining another document. */
const EXPLAINS_RE = /^(?:(?:关于)?《([^《》]+)》(?:的)?(?:政策解读|解读|起草说明|编制说明|说明)|(?:政策解读|解读)[：:]《([^《》]+)》)$/;

/**
 * A title as a citizen reads it: inside 《》, unless it already holds one ("关于《X》的政策解读" and "政策解读：《X》"
 * read 《X》的政策解读).
 */
export function bookTitle(title: string): string {
  return /《/.test(title) ? title.replace(/^关于(?=《)/, '').replace(/^(政策解读|解读)[：:](《[^《》]+》)$/, '$2的$1') : `《${title}》`;
}

export function docContext(doc: ParsedDocument, flat: FlatSection[]): DocContext {
  const m = doc.metadata;
  const title = tidyText(m.title || doc.fileName).replace(/^《([^《》]+)》$/, '$1');
  const label = `${bookTitle(title)}${m.docNumber ? `（${m.docNumber}）` : ''}`;
  // a 政策解读 or 起草说明 of 《X》 is about X: its sections are asked as X's (X的目的及意义是什么？)
  const reads = EXPLAINS_RE.exec(title);
  const explained = reads ? (reads[1] ?? reads[2]) : undefined;
  let topic = (explained ?? title).replace(/(?:的)?(?:实施方案|工作方案|工作要点|实施意见|实施细则|管理办法|办事指引|服务指南|办事指南|服务说明|方案|要点|意见|通知|办法|指引|指南|说明|规定|细则)$/, '');
  if (topic.length < 4) topic = explained ?? title;
  const counts = new Map<string, number>();
  for (const f of flat) {
    const seen = new Set<string>();
    for (const q of (f.heading + f.paragraphs.join('')).matchAll(/“([^“”]{1,12})”/g)) seen.add(q[1]);
    for (const q of seen) counts.set(q, (counts.get(q) ?? 0) + 1);
  }
  const ubiquitous = new Set<string>(generatorTerms().theme.slice(0, 1));
  const n = Math.max(1, flat.length);
  for (const [q, c] of [...counts.entries()].sort()) if (c / n > 0.35 && c >= 4) ubiquitous.add(q);
  return {
    title,
    label,
    topic,
    region: m.region || '',
    issuer: m.issuer ? tidyText(m.issuer) : null,
    enterpriseDoc: /为企|惠企|涉企/.test(title),
    ubiquitous,
    text: tidyText(doc.text || ''),
  };
}

/** How an answer opens: "根据《…》关于“heading”的要求，" (or without the heading). */
export function lead(ctx: DocContext, heading: string | null): string {
  if (heading && !BOILERPLATE_HEADING_RE.test(heading)) return `根据${ctx.label}关于${quoted(heading)}的要求，`;
  return `根据${ctx.label}，`;
}

/** The 政策文件 entry's answer: title, 文号, issuer, dates, purpose and the level-1 headings. */
export function summariseDocument(doc: ParsedDocument): string {
  const ctx = docContext(doc, []);
  const m = doc.metadata;
  const lines: string[] = [];
  const issued = formatDate(m.issueDate);
  const effective = formatDate(m.effectiveDate);
  let head = ctx.label;
  if (m.issuer) head += `由${tidyText(m.issuer)}`;
  if (issued) head += `于${issued}`;
  head += m.issuer || issued ? '印发' : '是一份政策文件';
  // a text that states no title is named after its file: say so rather than pass the file name off as a title
  if (!normKey(doc.text || '').includes(normKey(ctx.title))) {
    if (normKey(ctx.title) === normKey(titleFromFileName(doc.fileName))) head += '（原文未载明标题，以文件名称代替）';
    else if (m.issuer && NOTICE_KINDS.some((k) => normKey(ctx.title) === normKey(`${m.issuer}${k}`))) head += '（原文未载明标题，以发文机关和文种代替）';
  }
  if (effective) head += effective === issued ? '，自印发之日起施行' : `，自${effective}起施行`;
  if (m.expiryDate) head += `，有效期至${formatDate(m.expiryDate)}`;
  lines.push(`${head}。`);
  const purpose = purposeSentence(doc);
  if (purpose) lines.push(purpose);
  // the top sections that have a heading (an article, a bare 一、 has none)
  const heads = doc.outline
    .filter((s) => s.path !== '' && s.level === 1 && !/^附件/.test(s.marker))
    .map((s) => ({ marker: s.marker, heading: trimPunct(tidyText(s.heading)) }))
    .filter((s) => s.heading !== '')
    .map((s) => `${markerLabel(s.marker)}${s.heading}`);
  if (heads.length) lines.push(`主要内容：${heads.join('；')}。`);
  const annexes = doc.outline.filter((s) => /^附件/.test(s.marker)).map((s) => `${s.marker}${s.heading ? `《${trimPunct(tidyText(s.heading))}》` : ''}`);
  if (annexes.length) lines.push(`附件：${annexes.join('；')}。`);
  return lines.join('\n\n');
}

/** The preamble's "为…，制定本方案。" sentence, if it has one. */
function purposeSentence(doc: ParsedDocument): string | null {
  const pre = doc.outline.find((s) => s.path === '');
  if (!pre) return null;
  for (const p of pre.paragraphs) {
    const sentences = tidyText(p).split(/(?<=[。])/).map((x) => x.trim()).filter(Boolean);
    for (let i = 0; i < sentences.length; i++) {
      const t = sentences[i];
      if (t.length >= 400 || !/(?:特?制定|现就|如下|形成本|现将|本(?:方案|办法|指引|说明|细则|意见|要点))/.test(t) || /印发给|现予印发|通知/.test(t)) continue;
      // "为…。根据…，制定本工作方案。": the purpose is the sentence before
      const full = /^为/.test(t) ? t : i > 0 && /^为/.test(sentences[i - 1]) ? sentences[i - 1] + t : /^(?:根据|按照)/.test(t) ? t : null;
      if (full) return `${full.replace(/[，：:。]+$/, '')}。`;
    }
  }
  return null;
}

/** A preamble sentence saying why the document was made (the document entry tells it). */
export function isPurposeSentence(u: string): boolean {
  return /^为/.test(u) && /(?:特?制定|现就|如下|印发|形成本|现将)/.test(u);
}

/** A preamble line that is the document's header or covering letter, not content. */
export function isHeaderBoilerplate(u: string, ctx: DocContext): boolean {
  if (/印发给你们|现予印发|请认真|请结合|特此通知|此件公开|审议通过|经.{0,10}同意/.test(u)) return true;
  if (/[：:]$/.test(u)) return true;
  if (/文件$/.test(u) && u.length < 30) return true;
  if (normKey(ctx.title).includes(normKey(u)) && u.length < 80) return true;
  if (/关于印发/.test(u) && u.length < 80) return true;
  if (/^\d{4}年\d{1,2}月\d{1,2}日$/.test(u)) return true;
  if (/〔\d{4}〕\d+号$/.test(u) && u.length < 30) return true;
  if (ACTOR_RE.test(u) && u.length < 30 && !/[，。]/.test(u)) return true;
  return false;
}

/** The one 政策文件 entry of the document ("doc"). */
export function documentEntry(b: Builder, doc: ParsedDocument): void {
  const ctx = b.ctx;
  const heads = doc.outline.filter((s) => s.path !== '' && s.level === 1 && !/^附件/.test(s.marker)).map((s) => trimPunct(tidyText(s.heading)));
  const docSimilar: string[] = [];
  if (doc.metadata.docNumber) docSimilar.push(`${doc.metadata.docNumber}讲的是什么？`, `${doc.metadata.docNumber}是什么文件？`);
  docSimilar.push(`${ctx.title}的主要内容是什么？`);
  if (doc.metadata.issuer) docSimilar.push(`${ctx.title}是哪个部门发布的？`);
  if (doc.metadata.effectiveDate) docSimilar.push(`${ctx.title}什么时候开始施行？`);
  docSimilar.push(`${ctx.topic}有哪些主要规定？`, `${ctx.title}包括哪几部分？`);
  const summary = summariseDocument(doc);
  b.add({
    key: 'doc',
    kind: 'doc',
    category: 'policy',
    question: `${bookTitle(ctx.title)}是什么文件？`,
    similar: docSimilar,
    answer: summary,
    core: summary,
    sourceSection: '',
    extraTerms: [doc.metadata.docNumber ?? '', ctx.title, '政策文件', ...heads.slice(0, 2)],
    audience: ctx.enterpriseDoc ? 'enterprise' : 'all',
  });
}

function formatDate(iso: string | null): string | null {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}
