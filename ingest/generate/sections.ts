/**
 * Sections and their sentences: flattening the outline (notes of responsible units taken out, headings that are
 * whole sentences split), sentences and ；-clauses ("units"), clauses, and the actor a clause or section names.
 */
import type { Section } from '../types.js';
import { balanceQuotes, COPULA_END_RE, mask, tidyText, trimPunct, uniq } from './text.js';
import {
  ACTOR_RE, DEADLINE_RE, OBJECT_VERB_RE, PREPOSITION_RE, QUESTION_WORD_RE, RESPONSIBLE_LABEL, SUBJECT_STOP_RE, VERB_START_RE,
} from './vocabulary.js';

/** A section of the outline with its text tidied, notes taken out and a heading to ask about. */
export interface FlatSection {
  section: Section;
  path: string;
  heading: string;
  /** The heading's first part (before "，"), for short questions. */
  shortHeading: string;
  /** The section has no heading: its first clause stands in for one. */
  pseudo: boolean;
  /** The heading is itself a question ("在哪里查询缴费记录？"): it is asked as it stands. */
  asked?: boolean;
  parents: Section[];
  paragraphs: string[];
  /** Responsible units stated for the section: 责任单位 / 牵头单位 / (…负责). */
  units: string[];
  unitRole: string;
  /** The actor of the section's first sentence, when it names one. */
  subject: string | null;
}

type UnitRole = 'plain' | 'lead' | 'item' | 'cont';

/** One sentence or ；-clause of a section, the grain facts are extracted at. */
export interface Unit {
  /** One sentence or ；-clause, without terminal punctuation. */
  text: string;
  /** The actor resolved for this unit (its own, or carried over from an earlier sentence/the section). */
  subject: string | null;
  /** The text starts with a verb/modal, i.e. lacks its own subject. */
  needsSubject: boolean;
  role: UnitRole;
  /** A deadline stated by an earlier sentence of the paragraph ("2022年底前，…。实现…") that still applies. */
  deadline?: string;
  /** For items: the list's lead-in; for continuations: the item's head ("三是上门办"). */
  context?: string;
  /** The 一是/二是 list of the section the unit belongs to (lead-in, item or continuation). */
  list?: number;
}

const NOTE_RE = new RegExp(`[（(]\\s*(${RESPONSIBLE_LABEL})\\s*[：:]\\s*([^（）()]*?)\\s*[）)]`, 'g');
const NOTE_RESP_RE = /[（(]([^（）()：:。，]{2,80}?)负责[）)]/g;

/** Removes responsibility notes from a paragraph, returning the units they name. */
export function stripNotes(p: string): { text: string; units: string[]; role: string | null } {
  const units: string[] = [];
  let role: string | null = null;
  let text = p.replace(NOTE_RE, (_all, r: string, list: string) => {
    role = role ?? r;
    units.push(...list.split(/[、，,；]/).map((x) => x.trim()).filter(Boolean));
    return '';
  });
  text = text.replace(NOTE_RESP_RE, (_all, list: string) => {
    role = role ?? '责任单位';
    units.push(...list.split(/[、，,；]/).map((x) => x.trim()).filter(Boolean));
    return '';
  });
  return { text: text.trim(), units, role };
}

/** A heading that is a whole sentence: "配置线上帮办人员：有关业务部门应…" → heading + body. */
export function splitLongHeading(heading: string): { heading: string; body: string | null } {
  const h = trimPunct(heading);
  if (h.length <= 40) return { heading: h, body: null };
  const m = /^(.{2,30}?)[。：]/.exec(h);
  if (m) return { heading: m[1], body: h.slice(m[0].length) };
  return { heading: '', body: h };
}

function isBoilerplateParagraph(p: string): boolean {
  const t = p.trim();
  if (!t) return true;
  if (/^(?:信息来源|抄送|主题词|联系人|联系电话)[：:]?/.test(t)) return true;
  if (/^附件[：:]/.test(t)) return true;
  if (/^[（(]?此件公开发布[）)]?$/.test(t)) return true;
  if (/印发$/.test(t) && /\d{4}年\d{1,2}月\d{1,2}日/.test(t) && t.length < 60) return true;
  if (/^(?:本|此)(?:实施)?(?:方案|办法|意见|要点|通知|细则)自.{0,10}(?:施行|实施)。?$/.test(t)) return true;
  if (/^特此通知。?$/.test(t)) return true;
  return false;
}

/** The outline as a list of sections in document order, each with its parents. */
export function flattenSections(outline: Section[]): FlatSection[] {
  const out: FlatSection[] = [];
  const walk = (s: Section, parents: Section[]) => {
    const split = splitLongHeading(tidyText(s.heading || ''));
    const raw: string[] = [];
    if (split.body) raw.push(split.body);
    for (const p of s.paragraphs) {
      const t = tidyText(p);
      if (t) raw.push(t);
    }
    const units: string[] = [];
    let role: string | null = null;
    const clean: string[] = [];
    let annexList = false;
    for (const p of raw) {
      const r = stripNotes(p);
      units.push(...r.units);
      role = role ?? r.role;
      if (/^附件[：:]/.test(r.text)) annexList = true;
      // the list of annexes at the end of the body ("附件：1.xxx" "2.yyy")
      if (annexList && /^\d+\s*[.．、]/.test(r.text) && !/[，。；]/.test(r.text)) continue;
      if (r.text) clean.push(r.text);
    }
    const paragraphs = clean.filter((p) => !isBoilerplateParagraph(p));
    let heading = split.heading;
    let pseudo = false;
    let asked = false;
    // a question and its answer ("（一）在哪里查询缴费记录？在“随申办”…"): the question is the heading
    const q = /^([^。；？]{4,60}？)\s*(.*)$/s.exec(heading ? `${heading}${split.body ? '' : ''}` : paragraphs[0] ?? '');
    if (q && s.path !== '' && !/^附件/.test(s.marker)) {
      asked = true;
      if (heading) {
        heading = q[1];
        if (q[2]) paragraphs.unshift(q[2]);
      } else {
        heading = q[1];
        if (q[2]) paragraphs[0] = q[2];
        else paragraphs.shift();
      }
    }
    if (!heading && s.path !== '' && paragraphs.length && !/^附件/.test(s.marker)) {
      const first = /^[^，。；：]{2,40}(?=[，。；：]|$)/.exec(paragraphs[0]);
      if (first) {
        // "县政府工作的指导思想是，……": the clause names its topic before the 是 (县政府工作的指导思想)
        heading = first[0].length > 3 && COPULA_END_RE.test(first[0]) ? first[0].slice(0, -1) : first[0];
        pseudo = true;
      }
    }
    // a heading that is the whole content (the body is only a responsibility note)
    if (!paragraphs.length && !s.children.length && split.heading.length > 12 && /[，、]/.test(split.heading)) {
      paragraphs.push(`${split.heading}。`);
    }
    out.push({
      section: s,
      path: s.path,
      heading,
      shortHeading: heading.split(/[，；]/)[0] || heading,
      pseudo,
      asked,
      parents,
      paragraphs,
      units: uniq(units),
      unitRole: role ?? '责任单位',
      subject: null,
    });
    for (const c of s.children) walk(c, [...parents, s]);
  };
  for (const s of outline) walk(s, []);
  for (const f of out) f.subject = sectionSubject(f);
  return out;
}

function sectionSubject(f: FlatSection): string | null {
  const first = f.paragraphs[0];
  if (!first) return null;
  const unit = splitUnits(first)[0];
  if (!unit) return null;
  const subj = subjectOf(firstClause(unit));
  return subj && ACTOR_RE.test(subj) ? subj : null;
}

// ── sentences, clauses and the actors they name ──

/** Sentences (。！？) and ；-clauses of a paragraph, without terminal punctuation; "…：一是" starts a new unit. */
export function splitUnits(p: string): string[] {
  const out: string[] = [];
  const marked = p.replace(/：(?=[一二三四五六七八九十]是)/g, '：\u0001');
  for (const sentence of marked.split(/(?<=[。！？])|\u0001/)) {
    for (const clause of sentence.split(/；/)) {
      // a list item's own marker ("a）", "①") is not part of what it says
      const t = trimPunct(clause.replace(/^——+/, '').replace(/^(?:[a-z][)）]|[（(][a-z][)）]|[①-⑳])\s*/u, ''));
      if (t.length >= 4) out.push(t);
    }
  }
  return out;
}

/** A clause of a unit and where it starts in the unit. */
export interface Clause {
  text: string;
  start: number;
}

/** Splits a unit at ， and ： outside short quotes. */
export function splitClauses(u: string): Clause[] {
  const m = mask(u);
  const out: Clause[] = [];
  let start = 0;
  for (let i = 0; i < m.length; i++) {
    if (m[i] === '，' || m[i] === '：') {
      if (i > start) out.push({ text: u.slice(start, i), start });
      start = i + 1;
    }
  }
  if (start < u.length) out.push({ text: u.slice(start), start });
  return out.filter((c) => c.text.trim().length > 0);
}

export function firstClause(u: string): string {
  return splitClauses(u)[0]?.text ?? u;
}

export function startsWithVerb(s: string): boolean {
  return VERB_START_RE.test(s.replace(/^[“‘]/, ''));
}

/** The actor or topic at the start of a clause ("区行政服务中心应…" → 区行政服务中心), if it has one. */
export function subjectOf(clause: string): string | null {
  const c = clause.trim();
  if (!c || startsWithVerb(c) || PREPOSITION_RE.test(c) || /^\d/.test(c) || QUESTION_WORD_RE.test(c)) return null;
  const m = mask(c);
  const stop = SUBJECT_STOP_RE.exec(m.slice(2));
  let subj = stop ? c.slice(0, stop.index + 2) : c;
  subj = subj.replace(/(?:也|均|都|还|主要|具体)$/, '');
  subj = subj.replace(/[（(]以下(?:简称|统称)[^）)]*[）)]/g, '');
  if (subj.length < 2 || subj.length > 50 || /[，。；]/.test(subj)) return null;
  return balanceQuotes(subj);
}

/** The unit named at the start of a clause that goes on with a verb ("有关业务部门制发…" → 有关业务部门). */
export function actorPrefix(clause: string): string | null {
  for (let k = 3; k <= Math.min(clause.length - 1, 30); k++) {
    const head = clause.slice(0, k);
    if (ACTOR_RE.test(head) && !startsWithVerb(head) && !PREPOSITION_RE.test(head) && startsWithVerb(clause.slice(k))) return head;
  }
  return null;
}

/** What a clause builds ("区政务服务中心要建设统一受理平台" / "定制开发我区…平台" → the platform), if it says. */
export function objectOf(clause: string): string | null {
  let rest = clause;
  const subj = subjectOf(clause);
  if (subj) rest = rest.slice(subj.length);
  rest = rest.replace(/^(?:也|还)?(?:应当|应|要|须|需|将|可)/, '');
  if (!OBJECT_VERB_RE.test(rest)) return null;
  const obj = rest.replace(OBJECT_VERB_RE, '');
  return obj.length >= 2 && !/^(?:应|要|将|并|和)/.test(obj) ? obj : null;
}

export function isActor(s: string | null | undefined): s is string {
  return !!s && (ACTOR_RE.test(s) || /^“[^”]{1,12}”$/.test(s));
}

/** Units of a section with actors resolved and 一是/二是 lists marked. */
export function sectionUnits(f: FlatSection): Unit[] {
  const out: Unit[] = [];
  let listNo = 0;
  for (const p of f.paragraphs) {
    const texts = splitUnits(p);
    let carried: string | null = null;
    let lead: string | null = null;
    let itemHead: string | null = null;
    let deadline: string | null = null;
    texts.forEach((text, k) => {
      const head = firstClause(text);
      const own = subjectOf(head);
      const needsSubject = !own && startsWithVerb(head);
      if (own && ACTOR_RE.test(own)) carried = own;
      const u: Unit = { text, subject: own ?? carried ?? f.subject, needsSubject, role: 'plain' };
      const dl = DEADLINE_RE.exec(head);
      if (dl && dl.index === 0 && /前$/.test(dl[0])) deadline = dl[0];
      else if (deadline && !/\d{4}年/.test(text)) u.deadline = deadline;
      const next = texts[k + 1];
      if (next && /^一是/.test(next) && !/^[一二三四五六七八九十]是/.test(text)) {
        u.role = 'lead';
        lead = text;
        itemHead = null;
        listNo++;
        u.list = listNo;
      } else if (/^[一二三四五六七八九十]是/.test(text)) {
        // a new list: one without a lead-in sentence (the heading introduces it), or a second 一是 run
        if (lead === null || (/^一是/.test(text) && itemHead !== null)) {
          listNo++;
          lead = lead ?? '';
        }
        u.role = 'item';
        u.context = lead ?? '';
        u.list = listNo;
        itemHead = trimPunct(head);
      } else if (itemHead) {
        u.role = 'cont';
        u.context = itemHead;
        u.list = listNo;
      }
      out.push(u);
    });
  }
  return out;
}

/** The unit with its actor written out when it starts with a verb. */
export function withSubject(u: Unit): string {
  if (u.needsSubject && u.subject && !u.text.startsWith(u.subject)) return u.subject + u.text;
  return u.text;
}

/** "（责任单位：…）" closing an answer from a section that names its responsible units. */
export function unitNote(f: FlatSection): string {
  return f.units.length ? `（${f.unitRole}：${f.units.join('、')}）` : '';
}
