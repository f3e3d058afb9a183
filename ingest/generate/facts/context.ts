/** What every fact extractor shares: the fact it returns, the sentence it reads, and how a question is made to stand alone. */
import { actorPrefix, isActor, startsWithVerb, subjectOf, type Clause, type FlatSection, type Unit } from '../sections.js';
import { mask } from '../text.js';
import { DEADLINE_RE, INCLUDING_VERBS, MODAL_RE, OBJECT_VERB_RE, PREPOSITION_RE, QUESTION_WORD_RE } from '../vocabulary.js';

const INCLUDING_RE = new RegExp(`^(?:${INCLUDING_VERBS})`);

/** A fact found in one sentence: the questions it answers (best first) and the terms worth indexing. */
export interface Fact {
  kind: 'time' | 'freq' | 'target' | 'count' | 'deadline' | 'duty' | 'role' | 'transform' | 'list' | 'topic' | 'define';
  questions: string[];
  terms: string[];
  actor?: string;
}
/** The unit facts are extracted from, its clauses and its section. */
export interface FactContext {
  unit: Unit;
  clauses: Clause[];
  f: FlatSection;
}
/** Is this clause a short topic ("对…的问题" "在工作时段") rather than a statement? */
export function isTopicClause(t: string): boolean {
  return /^(?:对于|对|针对|在)/.test(t) && t.length <= 20 && !/(?:应|要|将|须|可)/.test(t);
}
/** Is this clause a short noun phrase that the next clause talks about ("未能解答的咨询，应当…")? */
export function isNounTopic(t: string): boolean {
  return t.length >= 2 && t.length <= 16 && !startsWithVerb(t) && !PREPOSITION_RE.test(t) && !MODAL_RE.test(mask(t).slice(2)) && !/\d/.test(t);
}
/** Adds what a question built from clause i needs to stand alone: the deadline, the 对… topic, the actor. */
export function questionPrefix(fc: FactContext, i: number, bodyIn: string, hasSubject = false): string {
  let body = bodyIn.replace(/^(?:实现|确保|力争|并)(?=[“\p{Script=Han}])/u, '');
  const parts: string[] = [];
  const cl = fc.clauses;
  if (i > 0 && DEADLINE_RE.test(cl[0].text) && cl[0].text.length <= 10 && !body.includes(cl[0].text)) parts.push(cl[0].text);
  else if (fc.unit.deadline && /多少|几|多长时间|多久/.test(body)) parts.push(fc.unit.deadline);
  const topicIdx = cl.findIndex((c, j) => j < i && isTopicClause(c.text));
  if (topicIdx >= 0 && !body.includes(cl[topicIdx].text)) parts.push(cl[topicIdx].text);
  // "于…之日起3个工作日内报送…" says when to send what the previous clause made ("填写《…记录表》")
  if (/^于/.test(body) && i > 0 && startsWithVerb(cl[i - 1].text.replace(/^并/, ''))) body = `${cl[i - 1].text.replace(/^并/, '')}，${body}`;
  const needsActor = !hasSubject && (startsWithVerb(body) || QUESTION_WORD_RE.test(body) || /^(?:以|通过|按照|根据)/.test(body) || INCLUDING_RE.test(body));
  if (needsActor) {
    let actor: string | null = null;
    if (i > 0 && isNounTopic(cl[i - 1].text) && !parts.includes(cl[i - 1].text)) actor = cl[i - 1].text;
    for (let j = i - 1; j >= 0 && !actor; j--) {
      const s = subjectOf(cl[j].text);
      if (isActor(s)) actor = s;
      else actor = actorPrefix(cl[j].text);
    }
    if (!actor && isActor(fc.unit.subject)) actor = fc.unit.subject;
    // No actor: what the clause before introduced ("推出延时服务，包括……四种方式" → 延时服务包括…) or was about
    // ("延时服务需要提前预约，可在……提出" → 延时服务可在…)
    if (!actor && i > 0 && INCLUDING_RE.test(body)) actor = trailingObject(cl[i - 1].text);
    if (!actor && i > 0 && /^(?:可|须|需)/.test(body)) actor = subjectOf(cl[i - 1].text);
    if (actor && !body.startsWith(actor) && !parts.some((p) => p.includes(actor!))) body = actor + body;
  }
  return (parts.length ? parts.join('，') + '，' : '') + body;
}
/** What a clause ends by introducing ("……自2022年7月18日起推出延时服务" → 延时服务): the object of its last building verb. */
function trailingObject(clause: string): string | null {
  let obj: string | null = null;
  for (let k = 0; k < clause.length; k++) {
    const m = OBJECT_VERB_RE.exec(clause.slice(k));
    if (m) obj = clause.slice(k + m[0].length);
  }
  return obj && obj.length >= 2 && obj.length <= 12 && !/\d/.test(obj) && !startsWithVerb(obj) ? obj : null;
}

/** Clause i, extended by the next clause when the question word ends it ("在多长时间内，将…补充至知识库"). */
export function withNextClause(cl: Clause[], i: number, replaced: string): string {
  // only an action done within that time continues the question ("…，将…补充至知识库"), not a new statement
  if (/(?:多长时间内|多久|什么时候|多长时间)$/.test(replaced) && cl[i + 1] && (startsWithVerb(cl[i + 1].text) || /^将/.test(cl[i + 1].text))) {
    const next = cl[i + 1].text;
    return replaced + (/^将/.test(next) ? '要' : '') + next;
  }
  return replaced;
}
/** When the fact is inside a long quotation that opens in this clause, ask about the quoted part only. */
export function cutToQuote(clause: string, index: number): { text: string; offset: number } {
  const open = clause.lastIndexOf('“', index);
  const close = clause.lastIndexOf('”', index);
  if (open >= 0 && open > close && open < index) {
    const rest = clause.slice(open + 1);
    const end = rest.indexOf('”');
    return { text: end >= 0 ? rest.slice(0, end) : rest, offset: open + 1 };
  }
  return { text: clause, offset: 0 };
}
/** Segments of a clause split at 、 (outside short quotes), with their offsets. */
export function segments(text: string): Clause[] {
  const m = mask(text);
  const out: Clause[] = [];
  let start = 0;
  for (let i = 0; i <= m.length; i++) {
    if (i === m.length || m[i] === '、') {
      out.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
  }
  return out;
}
/** The masked text with a match replaced by □ (same length). */
export function blankOut(masked: string, m: RegExpExecArray): string {
  return masked.slice(0, m.index) + '□'.repeat(m[0].length) + masked.slice(m.index + m[0].length);
}
