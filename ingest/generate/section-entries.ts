/** The entries one section gives: the section itself, its responsible units, its 一是/二是 lists and its facts. */
import type { CategoryCode } from '../types.js';
import type { Builder } from './builder.js';
import { audienceOf, classifyText } from './classify.js';
import { lead } from './document.js';
import { extractFacts, FACT_ORDER } from './facts/index.js';
import { glossaryEntry } from './glossary.js';
import { isBoilerplateHeading } from './quality.js';
import { clauseHeadingQuestions, cleanQuestion, headingQuestions } from './questions.js';
import { firstClause, splitClauses, splitLongHeading, stripNotes, unitNote, withSubject, type FlatSection, type Unit } from './sections.js';
import { markerLabel } from '../outline.js';
import { quoted, tidyText, trimPunct, uniq } from './text.js';
import { BOILERPLATE_HEADING_RE, HOTLINE_QUESTION_RE, HOTLINE_TOPIC_RE, TASK_VERB_RE } from './vocabulary.js';

/** The section itself ("s:"): its body and its children's first sentences, asked about by its heading. */
export function sectionEntry(b: Builder, f: FlatSection, parent: string | null, unitsIn: Unit[]): void {
  // no heading, nothing to ask by; 附则 and the like: its articles have entries of their own, and “…规则有哪些附则？”
  // is a question nobody asks
  if (!f.heading || isBoilerplateHeading(f.heading)) return;
  let units = unitsIn;
  const ctx = b.ctx;
  const children = f.section.children;
  const childLines: string[] = [];
  const leafChildren = children.every((c) => c.children.length === 0);
  for (const c of children) {
    const split = splitLongHeading(tidyText(c.heading || ''));
    const ch = split.heading;
    const firstPara = c.paragraphs.length ? stripNotes(tidyText(c.paragraphs[0])).text : split.body ?? '';
    const firstSentence = firstPara ? trimPunct(firstPara.split(/(?<=[。])/)[0]) : '';
    let line = `- ${markerLabel(c.marker)}${ch}`;
    const grand = c.children.map((g) => trimPunct(splitLongHeading(tidyText(g.heading || '')).heading)).filter(Boolean);
    if (leafChildren && children.length <= 8 && firstSentence && firstSentence.length <= 90 && firstSentence !== ch) line += `${ch ? '：' : ''}${firstSentence}。`;
    else if (!ch && firstSentence) line += `${firstSentence.slice(0, 40)}…`;
    // a bare sub-heading says nothing: name what it covers
    else if (ch && grand.length) line += `：${grand.join('；')}`;
    else if (ch && firstSentence && firstSentence !== ch) line += `：${firstSentence.length <= 60 ? firstSentence : `${firstSentence.slice(0, 60)}…`}`;
    childLines.push(line);
  }
  if (!f.paragraphs.length && !childLines.length) return;
  let qs = f.asked ? [f.heading] : f.pseudo ? clauseHeadingQuestions(f.heading, ctx) : headingQuestions(f.heading, parent, ctx, childLines.length > 0 && !f.paragraphs.length);
  if (!qs.length) return;
  if (BOILERPLATE_HEADING_RE.test(f.heading)) units = [];
  // what the body says it does: "如何探索运用大模型技术赋能政务服务？"
  const clauseQs: string[] = [];
  for (const u of units) {
    for (const c of splitClauses(u.text)) {
      const t = c.text;
      if (t.length >= 8 && t.length <= 22 && TASK_VERB_RE.test(t) && !/[后时]|要|应/.test(t.slice(2)) && (!/、/.test(t) || /等/.test(t))) clauseQs.push(`如何${t}？`);
    }
  }
  qs = uniq([...qs.slice(0, 3), ...clauseQs.slice(0, 2), ...qs.slice(3)]);
  const text = f.paragraphs.join('\n\n');
  const body: string[] = [];
  if (text) body.push(text);
  if (childLines.length) body.push(`${text ? (/[：:]$/.test(text) ? '' : '具体包括：\n\n') : '主要包括：\n\n'}${childLines.join('\n')}`);
  const note = unitNote(f);
  const answer = `根据${ctx.label}，关于${quoted(f.heading)}：\n\n${body.join('\n\n')}${note ? `\n\n${note}` : ''}`;
  let category = classifyText(f.heading, text + childLines.join(''));
  if (/职责|分工/.test(f.heading)) category = 'department';
  b.add({
    key: `s:${f.path}`,
    kind: 'section',
    category,
    question: qs[0],
    similar: qs.slice(1),
    answer,
    core: units.map((u) => u.text).join('') + childLines.join(''),
    department: f.units.join('、') || undefined,
    sourceSection: f.path,
    extraTerms: [f.shortHeading.length <= 12 ? f.shortHeading : '', ...f.units.slice(0, 2)],
    audience: audienceOf(ctx, f.heading, /职责|分工/.test(f.heading) ? '' : text),
  });
}

/** The units a section names responsible ("d:"). */
export function deptEntry(b: Builder, f: FlatSection, units: Unit[]): void {
  const ctx = b.ctx;
  const h = f.shortHeading;
  const role = f.unitRole;
  const first = units[0] ? withSubject(units[0]) : '';
  const answer = `根据${ctx.label}，${quoted(f.heading)}的${role}为：${f.units.join('、')}。` + (first && first.length <= 120 ? `\n\n主要要求：${first}。` : '');
  const lead = role.startsWith('牵头') ? '牵头' : '负责';
  b.add({
    key: `d:${f.path}`,
    kind: 'dept',
    category: 'department',
    question: `${h}由哪些单位${lead}？`,
    similar: [`${h}的${role}是谁？`, `哪个部门负责${h}？`, `${h}由谁负责？`, `${h}归哪个单位管？`],
    answer,
    core: `dept${f.heading}${f.units.join('')}`,
    department: f.units.join('、'),
    sourceSection: f.path,
    extraTerms: [...f.units.slice(0, 3), role],
    audience: audienceOf(ctx, f.heading),
  });
}

/** Lists introduced by 一是/二是 ("l:"), and their long items ("i:"). */
export function listEntries(b: Builder, f: FlatSection, units: Unit[]): void {
  const ctx = b.ctx;
  const lists = uniq(units.filter((u) => u.list !== undefined).map((u) => u.list!));
  let n = 0;
  for (const id of lists) {
    const members = units.filter((u) => u.list === id);
    const leadUnit = members.find((u) => u.role === 'lead');
    const itemUnits = members.filter((u) => u.role === 'item');
    if (itemUnits.length < 2) continue;
    n++;
    // items with the sentences that continue them
    const items: Array<{ head: string; texts: Unit[] }> = [];
    for (const u of members) {
      if (u.role === 'item') items.push({ head: trimPunct(firstClause(u.text).replace(/^[一二三四五六七八九十]是/, '')), texts: [u] });
      else if (u.role === 'cont' && items.length) items[items.length - 1].texts.push(u);
    }
    const leadText = leadUnit?.text ?? '';
    const leadClean = leadText || f.heading;
    if (!leadClean) continue;
    let qs: string[] = [];
    const cnt = /(\d+|[两三四五六七八九十])(个|项|种|类|条)/.exec(leadClean);
    // "起草主要基于以下考虑", "包括以下几个方面": the lead-in already asks, with 以下 standing for the list
    const following = /以下(?:几[个项方面点类]*)?/.exec(leadClean);
    if (following) {
      qs.push(cleanQuestion(`${leadClean.slice(0, following.index)}哪些${leadClean.slice(following.index + following[0].length)}`));
    } else if (cnt) {
      const pre = leadClean.slice(0, cnt.index);
      const post = leadClean.slice(cnt.index + cnt[0].length);
      qs.push(cleanQuestion(`${pre}哪些${post}`), cleanQuestion(`${pre}${/\d/.test(cnt[1]) ? '多少' : '几'}${cnt[2]}${post}`));
    } else if (leadClean.length <= 24) {
      qs = headingQuestions(leadClean, null, ctx);
    } else {
      qs = [cleanQuestion(`${f.shortHeading || leadClean.slice(0, 20)}包括哪几个方面`)];
    }
    if (f.heading && leadText && f.heading !== leadText) qs.push(...headingQuestions(f.heading, null, ctx).slice(0, 1));
    qs = uniq(qs.filter(Boolean));
    if (!qs.length) continue;
    const listText = items.map((it) => it.texts.map((u) => withSubject(u)).join('。')).join('；');
    const answer = `${lead(ctx, f.heading || null)}${leadText ? `${leadText}：` : ''}${listText}。${unitNote(f)}`;
    b.add({
      key: `l:${f.path || '_'}:${n}`,
      kind: 'list',
      category: classifyText(f.heading, listText),
      question: qs[0],
      similar: qs.slice(1),
      answer,
      core: leadText + items.map((it) => it.texts.map((u) => u.text).join('')).join(''),
      department: f.units.join('、') || undefined,
      sourceSection: f.path,
      extraTerms: items.map((it) => it.head).filter((h) => h.length <= 10).slice(0, 4),
      audience: audienceOf(ctx, f.heading, listText),
    });
    // long items get their own entry
    items.forEach((it, k) => {
      const text = it.texts.map((u) => withSubject(u)).join('。');
      if (text.length < 60 || !it.head || it.head.length > 20) return;
      const iq = headingQuestions(it.head, null, ctx);
      if (!iq.length) return;
      const ctxQ = leadClean.length <= 20 ? cleanQuestion(`${leadClean}中的${it.head}是怎样的`) : '';
      b.add({
        key: `i:${f.path || '_'}:${n}.${k + 1}`,
        kind: 'item',
        category: classifyText(it.head, text),
        question: iq[0],
        similar: uniq([...iq.slice(1), ctxQ].filter(Boolean)),
        answer: `${lead(ctx, f.heading || null)}${leadText ? `${leadText}：` : ''}${text}。${unitNote(f)}`,
        core: it.texts.map((u) => u.text).join(''),
        department: f.units.join('、') || undefined,
        sourceSection: f.path,
        extraTerms: [it.head],
        audience: audienceOf(ctx, it.head, text),
      });
    });
  }
}

/** One entry per sentence / ；-clause holding facts; the terms a sentence defines become glossary entries. */
export function factEntries(b: Builder, f: FlatSection, units: Unit[], glossaryTerms: Set<string>): void {
  const ctx = b.ctx;
  const typeCounts = new Map<string, number>();
  for (const u of units) {
    if (u.role === 'lead') continue; // its list entry answers it
    const clauses = splitClauses(u.text);
    if (!clauses.length) continue;
    const facts = extractFacts({ unit: u, clauses, f });
    for (const d of facts.filter((x) => x.kind === 'define')) glossaryEntry(b, f, d, u, glossaryTerms);
    const rest = facts.filter((x) => x.kind !== 'define');
    if (!rest.length) continue;
    rest.sort((a, c) => FACT_ORDER.indexOf(a.kind) - FACT_ORDER.indexOf(c.kind));
    const main = rest[0];
    const n = (typeCounts.get(main.kind) ?? 0) + 1;
    typeCounts.set(main.kind, n);
    const ordered = uniq([...rest.map((x) => x.questions[0]), ...rest.flatMap((x) => x.questions)]);
    let context = u.role === 'item' && u.context ? `${u.context}：` : u.role === 'cont' && u.context ? `${u.context}，` : '';
    if (u.deadline) context += `${u.deadline}，`;
    const answer = `${lead(ctx, f.heading || null)}${context}${withSubject(u)}。${unitNote(f)}`;
    let category: CategoryCode;
    const isDuty = main.kind === 'duty' || main.kind === 'role';
    if (isDuty) category = HOTLINE_TOPIC_RE.test(main.actor ?? '') ? 'hotline' : 'department';
    else if (main.kind === 'list' || main.kind === 'topic') category = classifyText(f.heading, u.text);
    else category = 'faq';
    if (!isDuty && HOTLINE_QUESTION_RE.test(ordered[0])) category = 'hotline';
    b.add({
      key: `f:${f.path || '_'}:${main.kind}:${n}`,
      kind: 'fact',
      category,
      question: ordered[0],
      similar: ordered.slice(1),
      answer,
      core: u.text,
      department: isDuty ? main.actor?.replace(/[（(][^）)]*[）)]/g, '') : f.units.join('、') || undefined,
      sourceSection: f.path,
      extraTerms: [...rest.flatMap((x) => x.terms), ...f.units.slice(0, 1)],
      audience: audienceOf(ctx, f.heading, u.text),
    });
  }
}
