/** Glossary entries ("g:<term>"): terms a sentence defines, quoted terms of headings, the document's recurring jargon. */
import type { Builder } from './builder.js';
import { audienceOf } from './classify.js';
import { lead } from './document.js';
import type { Fact } from './facts/index.js';
import { sectionUnits, splitUnits, withSubject, type FlatSection, type Unit } from './sections.js';
import { BOILERPLATE_HEADING_RE } from './vocabulary.js';

/** Quoted terms used in several sections are the document's own jargon (“老法师”, “普小二”): explain them. */
export function recurringTerms(b: Builder, flat: FlatSection[], seen: Set<string>): void {
  const ctx = b.ctx;
  const mentions = new Map<string, Array<{ f: FlatSection; u: Unit }>>();
  const order: string[] = [];
  for (const f of flat) {
    if (f.path === '' || /^附件/.test(f.section.marker) || (f.heading && BOILERPLATE_HEADING_RE.test(f.heading))) continue;
    for (const u of sectionUnits(f)) {
      for (const q of u.text.matchAll(/“([^“”]{2,8})”/g)) {
        const term = q[1];
        if (!mentions.has(term)) {
          mentions.set(term, []);
          order.push(term);
        }
        const list = mentions.get(term)!;
        if (!list.some((m) => m.u.text === u.text)) list.push({ f, u });
      }
    }
  }
  const sections = (t: string) => new Set(mentions.get(t)!.map((m) => m.f.path)).size;
  const terms = order
    .filter((t) => sections(t) >= 2 && !ctx.ubiquitous.has(t) && !seen.has(t) && !/^\d+$/.test(t) && !/[，、。：]/.test(t))
    .sort((a, c) => sections(c) - sections(a) || order.indexOf(a) - order.indexOf(c))
    .slice(0, 8);
  for (const term of terms) {
    seen.add(term);
    const picked: Array<{ f: FlatSection; u: Unit }> = [];
    for (const m of mentions.get(term)!) if (picked.length < 2 && !picked.some((p) => p.f === m.f)) picked.push(m);
    const body = picked.map((m) => withSubject(m.u).replace(/^[一二三四五六七八九十]是/, '')).join('。');
    b.add({
      key: `g:${term}`,
      kind: 'glossary',
      category: 'glossary',
      question: `什么是“${term}”？`,
      similar: [`“${term}”是什么？`, `${term}是什么意思？`, `${term}指的是什么？`, `${term}是做什么的？`],
      answer: `${lead(ctx, null)}${body}。`,
      core: `g${term}${body}`,
      sourceSection: picked[0].f.path,
      extraTerms: [term],
      audience: audienceOf(ctx, body),
    });
  }
}

/** A term a sentence defines ("g:<term>"); a 简称 also gets the short sentences elsewhere that start with it. */
export function glossaryEntry(b: Builder, f: FlatSection, d: Fact, u: Unit, seen: Set<string>): void {
  const ctx = b.ctx;
  const term = d.terms[0];
  if (!term || seen.has(term)) return;
  seen.add(term);
  // a 简称 is explained further by short sentences elsewhere that start with it ("“小申”提供7*24小时…")
  const others: string[] = [];
  if (d.terms[1] === '简称') {
    for (const p of ctx.text.split(/\n+/)) {
      for (const s of splitUnits(p)) {
        if (others.length >= 2) break;
        if (s === u.text || !s.startsWith(`“${term}”`) || s.length > 120) continue;
        others.push(s);
      }
    }
  }
  const body = [withSubject(u), ...others].join('。');
  b.add({
    key: `g:${term}`,
    kind: 'glossary',
    category: 'glossary',
    question: d.questions[0],
    similar: d.questions.slice(1),
    answer: `${lead(ctx, null)}${body}。`,
    core: `g${term}${body}`,
    sourceSection: f.path,
    extraTerms: [term],
    audience: audienceOf(ctx, body),
  });
}

/** Quoted terms of a section's heading (“一网通办”帮办 …) explained by the sentences that mention them. */
export function headingTermEntries(b: Builder, f: FlatSection, units: Unit[], glossaryTerms: Set<string>): void {
  const ctx = b.ctx;
  for (const q of f.heading.matchAll(/“([^“”]{2,12})”/g)) {
    const term = q[1];
    if (ctx.ubiquitous.has(term) || /^\d+$/.test(term) || glossaryTerms.has(term)) continue;
    const mentions = units.filter((u) => u.text.includes(term)).slice(0, 2);
    if (!mentions.length) continue;
    glossaryTerms.add(term);
    const body = mentions.map((u) => withSubject(u)).join('。');
    b.add({
      key: `g:${term}`,
      kind: 'glossary',
      category: 'glossary',
      question: `什么是“${term}”？`,
      similar: [`“${term}”是什么？`, `${term}是什么意思？`, `${term}指的是什么？`, `${ctx.region}怎么推进“${term}”？`],
      answer: `${lead(ctx, null)}${body}。`,
      core: `g${term}${body}`,
      sourceSection: f.path,
      extraTerms: [term],
      audience: audienceOf(ctx, f.heading, body),
    });
  }
}
