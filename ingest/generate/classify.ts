/** What an entry is: its category, its audience and its keywords. */
import type { Audience, CategoryCode } from '../types.js';
import type { DocContext } from './document.js';
import { escapeRe, generatorTerms } from './terms.js';
import { DOMAIN_TERMS, ENTERPRISE_RE, GENERIC_HEADING_RE, HOTLINE_TOPIC_RE, PEOPLE_RE } from './vocabulary.js';

/** Words of getting served: general ones, and the service channels the terms file names. */
const GUIDE_RE = new RegExp(['渠道', '平台', '端', '流程', '办理', '申请', '指引', '窗口', '自助', '在线', '网上', '入口', '功能', '服务', ...generatorTerms().channels.map(escapeRe)].join('|'), 'g');

/** guide (how to get served) or faq (rules), unless the heading says department / hotline. */
export function classifyText(heading: string, body: string): CategoryCode {
  if (/职责|分工/.test(heading)) return 'department';
  if (HOTLINE_TOPIC_RE.test(heading)) return 'hotline';
  if (/^(?:体系架构|帮办形式|服务渠道)$/.test(heading)) return 'guide';
  if (GENERIC_HEADING_RE.test(heading)) return 'faq';
  const guide = (body.match(GUIDE_RE) ?? []).length;
  const rule = (body.match(/应当|应|须|不得|原则上|工作日|%|考核|时限|至少|每半年|每季度|每年|要求|标准/g) ?? []).length;
  if (/(?:机制|标准|要求|考核|规范|制度|保障|目标|范围|重点)/.test(heading) && rule >= guide / 2) return 'faq';
  return guide > rule ? 'guide' : 'faq';
}

/** enterprise when the document or the text is about enterprises only, else all. */
export function audienceOf(ctx: DocContext, ...texts: string[]): Audience {
  if (ctx.enterpriseDoc) return 'enterprise';
  const t = texts.join(' ');
  if (ENTERPRISE_RE.test(t) && !PEOPLE_RE.test(t)) return 'enterprise';
  return 'all';
}

/** Up to 8 keywords: the given terms, quoted terms, domain terms, then the region and generic ones to reach 3. */
export function keywordsOf(question: string, body: string, extra: string[], ctx: DocContext): string[] {
  const out: string[] = [];
  const add = (k: string | undefined | null) => {
    const t = (k ?? '').replace(/[“”‘’《》\s]/g, '').trim();
    if (t.length < 2 || t.length > 12 || /[、，。；：]/.test(t)) return;
    if (out.some((x) => x === t || (x.includes(t) && t.length <= 2))) return;
    out.push(t);
  };
  for (const e of extra) add(e);
  for (const q of question.matchAll(/“([^”]{2,12})”/g)) add(q[1]);
  for (const t of DOMAIN_TERMS) if (question.includes(t)) add(t);
  for (const t of DOMAIN_TERMS) if (body.includes(t)) add(t);
  for (const q of body.matchAll(/“([^”]{2,10})”/g)) add(q[1]);
  for (const f of [ctx.region, ...generatorTerms().theme]) if (out.length < 3) add(f);
  return out.slice(0, 8);
}
