/**
 * Fact extraction: the precise questions one sentence answers — time limits, service hours, frequencies, targets,
 * counts, duties and roles, transformations, enumerations, definitions, topics and deadlines.
 */
import { enumeration } from './enumeration.js';
import { cleanQuestion, stem } from './questions.js';
import { actorPrefix, isActor, objectOf, startsWithVerb, subjectOf, type Clause, type FlatSection, type Unit } from './sections.js';
import { balanceQuotes, mask, normKey, trimPunct, uniq } from './text.js';
import { ACTOR_RE, DEADLINE_RE, MODAL_RE, PREPOSITION_RE, QUESTION_WORD_RE } from './vocabulary.js';

/** A fact found in one sentence: the questions it answers (best first) and the terms worth indexing. */
export interface Fact {
  kind: 'time' | 'freq' | 'target' | 'count' | 'deadline' | 'duty' | 'role' | 'transform' | 'list' | 'topic' | 'define';
  questions: string[];
  terms: string[];
  actor?: string;
}

/** When a sentence holds several facts, the first kind in this order names its entry. */
export const FACT_ORDER: Fact['kind'][] = ['time', 'freq', 'target', 'count', 'role', 'duty', 'transform', 'list', 'define', 'topic', 'deadline'];

const CN_NUM = '[一二两三四五六七八九十百半]+';
const NUM = `(?:\\d+(?:\\.\\d+)?|${CN_NUM})`;
const DUR_SRC = `(${NUM})(个工作日|工作日|个自然日|自然日|个小时|小时|分钟|个星期|星期|个月|周|天|日(?=内|以内|之内)|年(?=内|以内|之内))`;
const FREQ_RE = /每(?:人)?(?:每)?(半年|季度|年度|年|月|周|星期|天|日)(?:至少|定期|都|均)?/g;
const PCT_RE = /(\d+(?:\.\d+)?)\s*%/g;
const COUNT_RE = /(\d+|[两三四五六七八九十]+)(个|项|种|类|家|条|批|名|位|张|支|场|所|套|款|件)(?!工作日|月|星期|小时|自然日|次)/g;
const SERVICE_HOURS_RE = /7\s*[*×xX]\s*24\s*小时/;
const RELATIVE_DAY_RE = /(?:在)?(下一个工作日|下个工作日|次一工作日|次日|当日|当天)(?:内)?/;
const TARGET_VERB_RE = /(?:原则上)?(?:要|应|须)?(?:达到|不低于|不少于|不高于|不得高于|不超过|不得超过|超过|低于|提升至|提高到|提升到|提高至|达)$/;

/** The unit facts are extracted from, its clauses and its section. */
interface FactContext {
  unit: Unit;
  clauses: Clause[];
  f: FlatSection;
}

/** Is this clause a short topic ("对…的问题" "在工作时段") rather than a statement? */
function isTopicClause(t: string): boolean {
  return /^(?:对于|对|针对|在)/.test(t) && t.length <= 20 && !/(?:应|要|将|须|可)/.test(t);
}

/** Is this clause a short noun phrase that the next clause talks about ("未能解答的咨询，应当…")? */
function isNounTopic(t: string): boolean {
  return t.length >= 2 && t.length <= 16 && !startsWithVerb(t) && !PREPOSITION_RE.test(t) && !MODAL_RE.test(mask(t).slice(2)) && !/\d/.test(t);
}

/** Adds what a question built from clause i needs to stand alone: the deadline, the 对… topic, the actor. */
function questionPrefix(fc: FactContext, i: number, bodyIn: string, hasSubject = false): string {
  let body = bodyIn.replace(/^(?:实现|确保|力争|并)(?=[“\p{Script=Han}])/u, '');
  const parts: string[] = [];
  const cl = fc.clauses;
  if (i > 0 && DEADLINE_RE.test(cl[0].text) && cl[0].text.length <= 10 && !body.includes(cl[0].text)) parts.push(cl[0].text);
  else if (fc.unit.deadline && /多少|几|多长时间|多久/.test(body)) parts.push(fc.unit.deadline);
  const topicIdx = cl.findIndex((c, j) => j < i && isTopicClause(c.text));
  if (topicIdx >= 0 && !body.includes(cl[topicIdx].text)) parts.push(cl[topicIdx].text);
  // "于…之日起3个工作日内报送…" says when to send what the previous clause made ("填写《…记录表》")
  if (/^于/.test(body) && i > 0 && startsWithVerb(cl[i - 1].text.replace(/^并/, ''))) body = `${cl[i - 1].text.replace(/^并/, '')}，${body}`;
  const needsActor = !hasSubject && (startsWithVerb(body) || QUESTION_WORD_RE.test(body) || /^(?:以|通过|按照|根据)/.test(body));
  if (needsActor) {
    let actor: string | null = null;
    if (i > 0 && isNounTopic(cl[i - 1].text) && !parts.includes(cl[i - 1].text)) actor = cl[i - 1].text;
    for (let j = i - 1; j >= 0 && !actor; j--) {
      const s = subjectOf(cl[j].text);
      if (isActor(s)) actor = s;
      else actor = actorPrefix(cl[j].text);
    }
    if (!actor && isActor(fc.unit.subject)) actor = fc.unit.subject;
    if (actor && !body.startsWith(actor) && !parts.some((p) => p.includes(actor!))) body = actor + body;
  }
  return (parts.length ? parts.join('，') + '，' : '') + body;
}

/** Clause i, extended by the next clause when the question word ends it ("在多长时间内，将…补充至知识库"). */
function withNextClause(cl: Clause[], i: number, replaced: string): string {
  // only an action done within that time continues the question ("…，将…补充至知识库"), not a new statement
  if (/(?:多长时间内|多久|什么时候|多长时间)$/.test(replaced) && cl[i + 1] && (startsWithVerb(cl[i + 1].text) || /^将/.test(cl[i + 1].text))) {
    const next = cl[i + 1].text;
    return replaced + (/^将/.test(next) ? '要' : '') + next;
  }
  return replaced;
}

/** When the fact is inside a long quotation that opens in this clause, ask about the quoted part only. */
function cutToQuote(clause: string, index: number): { text: string; offset: number } {
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
function segments(text: string): Clause[] {
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

/** The facts of one unit (sentence or ；-clause), clause by clause, then those of the whole unit. */
export function extractFacts(fc: FactContext): Fact[] {
  const facts: Fact[] = [];
  const maskedUnit = mask(fc.unit.text);
  fc.clauses.forEach((c, i) => {
    // service hours and relative days are blanked out of the masked clause: the duration patterns must skip them
    let cm = maskedUnit.slice(c.start, c.start + c.text.length);
    const sh = SERVICE_HOURS_RE.exec(c.text);
    if (sh) {
      facts.push(serviceHoursFact(fc, i, c, sh));
      cm = blankOut(cm, sh);
    }
    const rel = RELATIVE_DAY_RE.exec(c.text);
    if (rel) {
      facts.push(relativeDayFact(fc, i, c, rel));
      cm = blankOut(cm, rel);
    }
    facts.push(
      ...durationFacts(fc, i, c.text, cm),
      ...clockFacts(fc, i, c),
      ...frequencyFacts(fc, i, c, cm),
      ...targetFacts(fc, i, c, cm),
      ...countFacts(fc, i, c, cm),
      ...dutyFacts(fc, i, c),
      ...roleFacts(fc, i, c),
      ...transformFacts(fc, i, c),
      ...enumerationFacts(fc, i, c),
    );
  });
  facts.push(...definitions(fc.unit.text));
  if (!facts.some((x) => x.kind === 'time')) facts.push(...topicFacts(fc.unit.text));
  // a deadline alone is asked about only when nothing more precise was found
  if (!facts.some((x) => x.kind !== 'define')) facts.push(...deadlineFacts(fc.clauses));
  return facts.filter((x) => x.questions.length && x.questions[0]);
}

/** The masked text with a match replaced by □ (same length). */
function blankOut(masked: string, m: RegExpExecArray): string {
  return masked.slice(0, m.index) + '□'.repeat(m[0].length) + masked.slice(m.index + m[0].length);
}

/** Service hours ("7*24小时"): what runs when, and whether the named service is round the clock. */
function serviceHoursFact(fc: FactContext, i: number, c: Clause, sh: RegExpExecArray): Fact {
  const before = c.text.slice(0, sh.index);
  const inParens = /（[^）]*$/.test(before);
  const body = inParens ? '' : before + '什么时段的' + c.text.slice(sh.index + sh[0].length).replace(/^的/, '');
  const named = /(“[^”]+”[^，（“]{0,8})（[^）]*$/.exec(before)?.[1];
  const actor = named ?? subjectOf(c.text) ?? fc.unit.subject;
  const qs = body ? [cleanQuestion(questionPrefix(fc, i, body))] : [];
  if (isActor(actor) || named) {
    if (!qs.length || normKey(qs[0]).length < 12) qs.unshift(`${actor}的服务时间是怎样的？`);
    else qs.push(`${actor}的服务时间是怎样的？`);
    qs.push(`${actor}是24小时服务吗？`);
  }
  return { kind: 'time', questions: qs, terms: ['7*24小时'] };
}

/** A relative day ("在下一个工作日回复", "当日办结") asked as 什么时候. */
function relativeDayFact(fc: FactContext, i: number, c: Clause, rel: RegExpExecArray): Fact {
  const body = c.text.slice(0, rel.index) + '什么时候' + c.text.slice(rel.index + rel[0].length);
  return { kind: 'time', questions: [cleanQuestion(questionPrefix(fc, i, body))], terms: [rel[1]] };
}

/** Durations ("5个工作日内", "3个月") asked as 多长时间 / 几个工作日; one question for each of several listed with 、. */
function durationFacts(fc: FactContext, i: number, text: string, masked: string): Fact[] {
  const out: Fact[] = [];
  const re = new RegExp(DUR_SRC, 'g');
  const matches = [...masked.matchAll(re)].filter((m) => !/^\d{4,}$/.test(m[1]));
  if (!matches.length) return out;
  // several durations listed with 、 ("一般事项在5个工作日、复杂事项在13个工作日内完成整改"): one question each
  const segs = segments(text);
  const withDur = segs.filter((s) => matches.some((m) => m.index! >= s.start && m.index! < s.start + s.text.length));
  const lastSeg = withDur[withDur.length - 1];
  const lastMatch = matches[matches.length - 1];
  const tail = text.slice(lastMatch.index! + lastMatch[0].length);
  for (const m of matches) {
    let work = text;
    let a = m.index!;
    const own = segs.find((s) => a >= s.start && a < s.start + s.text.length)!;
    if (withDur.length >= 2) {
      work = own !== lastSeg ? own.text + tail : own.text;
      a = a - own.start;
    } else if (segs.length >= 2 && segs.some((s) => s !== own && /\d/.test(s.text))) {
      // "实现1分钟响应、90%解决率": ask about this segment only
      work = own.text;
      a = a - own.start;
    }
    const q = cutToQuote(work, a);
    const txt = q.text;
    const aa = a - q.offset;
    const bb = aa + m[0].length;
    let before = txt.slice(0, aa);
    let after = txt.slice(bb);
    let qw = '多长时间';
    if (/前$/.test(before)) {
      qw = '多久';
      before = before.replace(/^在/, '');
    } else if (/^(?:内|以内|之内)/.test(after)) {
      qw = '多长时间内';
      after = after.replace(/^(?:内|以内|之内)/, '');
    }
    const replaced = withNextClause(fc.clauses, i, before + qw + after);
    const question = cleanQuestion(questionPrefix(fc, i, replaced));
    const unitWord = m[2];
    const qs = [question];
    const swap = (to: string) => question.replace(/多长时间内|多长时间|多久/, to);
    if (/工作日/.test(unitWord)) qs.push(swap(qw === '多久' ? '几个工作日' : '几个工作日内'));
    else if (/月/.test(unitWord)) qs.push(swap('几个月'));
    else if (/分钟/.test(unitWord)) qs.push(swap('几分钟内'));
    else if (/星期|周|天|日/.test(unitWord)) qs.push(swap('几天'));
    out.push({ kind: 'time', questions: qs, terms: [`${m[1]}${unitWord}`] });
  }
  return out;
}

/** A time of day ("工作日10:00前") asked as 最晚什么时候. */
function clockFacts(fc: FactContext, i: number, c: Clause): Fact[] {
  const out: Fact[] = [];
  const clock = /(?:工作日)?\d{1,2}[:：]\d{2}(?:前|之前)/.exec(c.text);
  if (clock) {
    const body = c.text.slice(0, clock.index) + '最晚什么时候' + c.text.slice(clock.index + clock[0].length);
    out.push({ kind: 'time', questions: [cleanQuestion(questionPrefix(fc, i, body))], terms: [clock[0]] });
  }
  return out;
}

/** Frequencies ("每半年", "每人每年至少开展一次") asked as 多久 / 几次. */
function frequencyFacts(fc: FactContext, i: number, c: Clause, cm: string): Fact[] {
  const out: Fact[] = [];
  for (const m of cm.matchAll(FREQ_RE)) {
    const a = m.index!;
    let body = c.text.slice(0, a) + '多久' + c.text.slice(a + m[0].length);
    body = body.replace(/多久(应|要)?(开展|参加|进行|组织)(?:1|一)次/, '多久$1$2一次');
    const qs = [cleanQuestion(questionPrefix(fc, i, body))];
    if (/至少(?:应|要)?(?:开展|参加|进行|组织)(?:1|一)次/.test(c.text)) {
      qs.push(cleanQuestion(questionPrefix(fc, i, c.text.replace(/(至少(?:应|要)?(?:开展|参加|进行|组织))(?:1|一)次/, '$1几次'))));
    }
    out.push({ kind: 'freq', questions: qs, terms: [m[0].replace(/至少|定期|都|均/g, '')] });
  }
  return out;
}

/** Percentages that are targets ("接通率原则上要达到90%") asked as 多少. */
function targetFacts(fc: FactContext, i: number, c: Clause, cm: string): Fact[] {
  const { clauses } = fc;
  const out: Fact[] = [];
  for (const m of cm.matchAll(PCT_RE)) {
    const a = m.index!;
    const q = cutToQuote(c.text, a);
    const txt = q.text;
    const aa = a - q.offset;
    const bb = aa + m[0].length;
    const seg = segments(txt).find((s) => aa >= s.start && aa < s.start + s.text.length) ?? { text: txt, start: 0 };
    const pre = txt.slice(seg.start, aa);
    const post = txt.slice(bb, seg.start + seg.text.length).replace(/[”’].*$/, '');
    if (/^的/.test(post)) continue; // "占…75%的高频事项": a modifier, not a target
    let metric = pre;
    let verb = '';
    const vm = TARGET_VERB_RE.exec(pre);
    if (vm) {
      verb = vm[0];
      metric = pre.slice(0, vm.index);
    }
    metric = metric.replace(/^(?:实现|确保|力争|推进|使|并)/, '');
    let owner = '';
    if (!normKey(metric) && post) {
      // "…实现1分钟响应、90%解决率": the metric follows the number; its owner starts the clause
      metric = post;
      owner = subjectOf(c.text) ?? '';
      for (let j = i - 1; j >= 0 && !owner; j--) owner = subjectOf(clauses[j].text) ?? '';
    }
    metric = balanceQuotes(metric);
    if (!normKey(metric)) continue;
    const modal = /(?:要|应|须|原则上)$/.test(metric) || /^(?:原则上|要|应|须)/.test(verb);
    const bare = verb.replace(/^(?:原则上)?(?:要|应|须)?/, '');
    const tail = !verb ? '的目标是多少' : /^(?:不|低于|超过)/.test(bare) ? `${verb}多少` : `${modal ? '' : '要'}${verb}多少`;
    let body = metric + tail;
    if (owner && !metric.startsWith(owner)) body = owner + metric + (verb ? tail : '要达到多少');
    else if (normKey(metric).length <= 3) {
      // "接通率原则上要达到90%": say whose rate it is
      const prev = i > 0 ? clauses[i - 1].text : '';
      const s = prev ? subjectOf(prev) : null;
      if (s && s !== prev && isActor(s)) body = s + body;
      else if (prev && prev.length <= 30) body = `${prev}，${body}`;
      else if (isActor(fc.unit.subject)) body = fc.unit.subject + body;
    }
    const question = cleanQuestion(questionPrefix(fc, i, body));
    const plainMetric = metric.replace(/(?:原则上)?(?:要|应)$/, '').replace(/原则上/, '');
    const plain = normKey(plainMetric).length > 3 ? cleanQuestion(`${plainMetric}的要求是多少`) : '';
    out.push({ kind: 'target', questions: [question, plain].filter(Boolean), terms: [`${m[1]}%`] });
  }
  return out;
}

/** Counts ("7个高频企业和个人事项", "新增5项、优化24项") asked as 多少 / 几. */
function countFacts(fc: FactContext, i: number, c: Clause, cm: string): Fact[] {
  const out: Fact[] = [];
  const counts = [...cm.matchAll(COUNT_RE)].filter((m) => {
    const before = cm.slice(Math.max(0, m.index! - 1), m.index!);
    if (/[第\d.□]/.test(before)) return false;
    // "…、自助终端5种渠道": the count closes an enumeration, the list question asks it better
    if (/、/.test(cm.slice(0, m.index!)) && !/、/.test(cm.slice(m.index!)) && !/\d/.test(cm.slice(0, m.index!))) return false;
    return true;
  });
  if (counts.length) {
    let body = '';
    let last = 0;
    for (const m of counts) {
      body += c.text.slice(last, m.index!) + (/^\d+$/.test(m[1]) ? '多少' : '几') + m[2];
      last = m.index! + m[0].length;
    }
    body += c.text.slice(last);
    const q = cleanQuestion(questionPrefix(fc, i, body));
    out.push({ kind: 'count', questions: uniq([q, q.replace(/多少(?=[个项种类])/, '几').replace(/几(?=[个项种类])/, '多少')]), terms: counts.map((m) => m[0]) });
  }
  return out;
}

/** Duties: "X负责Y" / "由X负责Y". */
function dutyFacts(fc: FactContext, i: number, c: Clause): Fact[] {
  const { clauses } = fc;
  const out: Fact[] = [];
  const dutyIdx = c.text.search(/负责(?!人)/);
  if (dutyIdx >= 0) {
    const y = trimPunct(c.text.slice(dutyIdx + 2));
    const byM = /^(.*?)由(.{2,40}?)负责/.exec(c.text);
    let x: string | null = null;
    let topic = '';
    if (byM) {
      x = byM[2];
      topic = trimPunct(byM[1]);
    } else {
      const own = c.text.slice(0, dutyIdx).replace(/(?:主要|具体|要|应|应当|也|均|是)+$/, '');
      x = own && !startsWithVerb(own) && !PREPOSITION_RE.test(own) ? own : null;
      if (!x) {
        for (let j = i - 1; j >= 0 && !x; j--) x = subjectOf(clauses[j].text);
        x = x ?? fc.unit.subject;
      }
    }
    if (!topic && i > 0 && isNounTopic(clauses[0].text) && clauses[0].text !== x) topic = clauses[0].text;
    if (y.length >= 2 && y.length <= 60 && x && ACTOR_RE.test(x)) {
      const q1 = topic ? cleanQuestion(`${topic}由谁负责${y}`) : cleanQuestion(`谁负责${y}`);
      const q2 = cleanQuestion(`${topic}${y}由哪个部门负责`);
      const q3 = cleanQuestion(`${x}负责什么工作`);
      out.push({ kind: 'duty', questions: uniq([q1, q2, q3]), terms: [x], actor: x });
    }
  }
  return out;
}

/** Roles: "X是Y的牵头部门" / "X作为Y的责任单位" / "X为第一责任人". */
function roleFacts(fc: FactContext, i: number, c: Clause): Fact[] {
  const { clauses } = fc;
  const out: Fact[] = [];
  const role = /^(.{2,120}?)(?:是|作为)(.{2,40}?)的(牵头部门|落实部门|责任单位|责任部门|主管部门|实施主体|第一责任人)/.exec(c.text);
  if (role) {
    const x = role[1].replace(/[（(]以下(?:简称|统称)[^）)]*[）)]/g, '');
    const y = role[2];
    const r = role[3];
    out.push({
      kind: 'role',
      questions: uniq([cleanQuestion(`${y}的${r}是谁`), cleanQuestion(`谁是${y}的${r}`), cleanQuestion(`哪些单位是${y}的${r}`)]),
      terms: [r, ...x.split('、').slice(0, 2)],
      actor: x,
    });
  } else {
    const first = /^(.{2,30}?)(?:要|应)?(?:作为|为|是)第一责任人/.exec(c.text);
    if (first) {
      const topic = i > 0 ? clauses[i - 1].text : fc.f.shortHeading;
      out.push({
        kind: 'role',
        questions: uniq([cleanQuestion(`${topic}的第一责任人是谁`), cleanQuestion(`谁是${topic}的第一责任人`)]),
        terms: ['第一责任人'],
        actor: first[1],
      });
    }
  }
  return out;
}

/** Transformations: "由“找我办”提升为“帮你办”". */
function transformFacts(fc: FactContext, i: number, c: Clause): Fact[] {
  const { clauses } = fc;
  const out: Fact[] = [];
  const tr = /(由|从)(“?[^，。；]{1,24}?”?)(提升|转变|转化|变)为(“?[^，。；]{1,24}”?)/.exec(c.text);
  if (tr) {
    const actor = [subjectOf(c.text), subjectOf(clauses[0].text), fc.unit.subject].find(isActor) ?? '';
    out.push({
      kind: 'transform',
      questions: uniq([
        cleanQuestion(`${actor}要${tr[1]}什么${tr[3]}为什么`),
        cleanQuestion(`${actor}要${tr[1]}${tr[2]}${tr[3]}为什么`),
        cleanQuestion(`${actor}的服务方式要怎样转变`),
      ]),
      terms: [tr[2].replace(/[“”]/g, ''), tr[4].replace(/[“”]/g, '')],
    });
  }
  return out;
}

/** Enumerations "A、B、C等X" asked as "哪些X". */
function enumerationFacts(fc: FactContext, i: number, c: Clause): Fact[] {
  const { clauses } = fc;
  const out: Fact[] = [];
  if (!(i === 0 && /^(?:对于|对|针对)/.test(c.text)) && !/^(?:以及|及|和|并|或)/.test(c.text)) {
    const en = enumeration(c.text, i + 1 < clauses.length);
    if (en) {
      let body = en.question;
      let hasSubject = en.subjectList;
      if (en.subjectList) {
        // "帮办工作开展情况、服务成效…等方面工作，纳入…考核" → "哪些方面工作纳入…考核"
        const rest = clauses.slice(i + 1).map((x) => x.text).join('，');
        if (rest) body = `${en.question}${rest}`;
      } else if (/[后时]$/.test(en.question) && clauses[i + 1]) {
        body = `${en.question}，${clauses[i + 1].text}`;
      } else if (/^(?:围绕|聚焦|针对|依托)$/.test(en.prefix) && en.endsClause && clauses[i + 1]) {
        // "围绕“中华武数”“半马苏河”等特色领域，拓展自管公共服务事项" → "围绕哪些特色领域拓展…"
        body = `${en.question}${clauses[i + 1].text}`;
      } else if (normKey(en.prefix).length <= 3 && i > 0 && clauses[i - 1].text.length <= 24 && clauses[i - 1].text.length + en.question.length <= 40) {
        const prev = clauses[i - 1].text;
        const obj = startsWithVerb(en.prefix) ? objectOf(prev) : null;
        body = obj ? obj + body : `${prev}，${body}`;
        hasSubject = !!obj;
      }
      const q = cleanQuestion(questionPrefix(fc, i, body, hasSubject));
      const qs = [q];
      if (fc.f.shortHeading && !q.includes(fc.f.shortHeading)) qs.push(cleanQuestion(`${fc.f.shortHeading}，${stem(q)}`));
      out.push({ kind: 'list', questions: qs, terms: en.items.slice(0, 3) });
    }
  }
  return out;
}

/** A unit opening with "对X，…": how X is handled. */
function topicFacts(unitText: string): Fact[] {
  const out: Fact[] = [];
  const topic = /^(对于|对|针对)([^，]{2,30})，(.+)$/.exec(unitText);
  if (topic) {
    const x = topic[2];
    let qs: string[];
    if (/(?:问题|情况|事项|差评|咨询|诉求)$/.test(x)) qs = [`对${x}怎么办？`, `${x}如何处理？`, `对${x}有什么要求？`];
    else if (/(?:群体|企业|人|者|对象|单位|群众)$/.test(x)) qs = [`对${x}有什么服务？`, `${x}能享受什么帮办服务？`, `对${x}有什么特别的安排？`];
    else qs = [`对${x}有什么要求？`, `对${x}怎么办？`];
    out.push({ kind: 'topic', questions: qs, terms: [x.slice(0, 12)] });
  }
  return out;
}

/** A unit opening with a deadline ("2022年底前，整合…，上线…，设立…"): when each thing is due. */
function deadlineFacts(clauses: Clause[]): Fact[] {
  const out: Fact[] = [];
  const dl = DEADLINE_RE.exec(clauses[0]?.text ?? '');
  if (dl && clauses.length > 1) {
    const when = /起$/.test(dl[0]) ? '从什么时候起' : '什么时候';
    const qs = clauses
      .slice(1, 5)
      .map((x) => x.text)
      .filter((t) => t.length >= 4 && t.length <= 40)
      .map((t) => cleanQuestion(`${when}要${t.replace(/^(?:要|应)/, '')}`));
    if (qs.length) out.push({ kind: 'deadline', questions: qs, terms: [dl[0]] });
  }
  return out;
}

/** Terms the unit defines: （以下简称“X”）, “X”即…, X是指…, “X”是…制度/平台/…. */
function definitions(unit: string): Fact[] {
  const out: Fact[] = [];
  for (const m of unit.matchAll(/([^，。；（）]{2,50}?)[（(]以下(简称|统称)“([^”]{1,15})”[）)]/g)) {
    const term = m[3];
    if (m[2] === '统称') out.push({ kind: 'define', questions: [`“${term}”指哪些单位？`, `“${term}”包括哪些？`, `什么是“${term}”？`], terms: [term, '统称'] });
    else out.push({ kind: 'define', questions: [`什么是“${term}”？`, `“${term}”是什么？`, `${term}指的是什么？`], terms: [term, '简称'] });
  }
  for (const m of unit.matchAll(/“([^”]{2,12})”[，,]?即/g)) {
    out.push({ kind: 'define', questions: [`什么是“${m[1]}”？`, `“${m[1]}”指什么？`, `${m[1]}是什么意思？`], terms: [m[1]] });
  }
  for (const m of unit.matchAll(/(?:^|[，。；])([^，。；]{2,20}?)是指/g)) {
    out.push({ kind: 'define', questions: [`什么是${m[1]}？`, `${m[1]}指什么？`], terms: [m[1]] });
  }
  const isA = /^(“[^”]{2,15}”[^，。；是“”]{0,8})是([^，。；]{4,80})/.exec(unit);
  if (isA && !ACTOR_RE.test(isA[1]) && /(?:制度|安排|举措|平台|机制|方式|模式|服务|渠道|体系|工作)/.test(isA[2])) {
    out.push({ kind: 'define', questions: [`什么是${isA[1]}？`, `${isA[1]}是什么？`, `${isA[1].replace(/[“”]/g, '')}有什么意义？`], terms: [isA[1].replace(/[“”]/g, '')] });
  }
  return out;
}
