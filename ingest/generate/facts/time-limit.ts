/** Time limits: durations ("5个工作日内"), service hours ("7*24小时"), relative days ("次日"), times of day ("10:00前"). */
import { cleanQuestion } from '../questions.js';
import { isActor, subjectOf, type Clause } from '../sections.js';
import { normKey } from '../text.js';
import { cutToQuote, questionPrefix, segments, withNextClause, type Fact, type FactContext } from './context.js';

const CN_NUM = '[一二两三四五六七八九十百半]+';
const NUM = `(?:\\d+(?:\\.\\d+)?|${CN_NUM})`;
const DUR_SRC = `(${NUM})(个工作日|工作日|个自然日|自然日|个小时|小时|分钟|个星期|星期|个月|周(?!年)|天|日(?=内|以内|之内)|年(?=内|以内|之内))`;
export const SERVICE_HOURS_RE = /7\s*[*×xX]\s*24\s*小时/;
export const RELATIVE_DAY_RE = /(?:在)?(下一个工作日|下个工作日|次一工作日|次日|当日|当天)(?:内)?/;

/** Service hours ("7*24小时"): what runs when, and whether the named service is round the clock. */
export function serviceHoursFact(fc: FactContext, i: number, c: Clause, sh: RegExpExecArray): Fact {
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
export function relativeDayFact(fc: FactContext, i: number, c: Clause, rel: RegExpExecArray): Fact {
  const body = c.text.slice(0, rel.index) + '什么时候' + c.text.slice(rel.index + rel[0].length);
  return { kind: 'time', questions: [cleanQuestion(questionPrefix(fc, i, body))], terms: [rel[1]] };
}
/** Durations ("5个工作日内", "3个月") asked as 多长时间 / 几个工作日; one question for each of several listed with 、. */
export function durationFacts(fc: FactContext, i: number, text: string, masked: string): Fact[] {
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
    // "放假前一天上午12:00" is a point in time, not a span: asked by its clock time, if at all
    if (/^(?:上午|下午|中午|晚上)?\d{1,2}[:：]\d{2}/.test(after)) continue;
    let qw = '多长时间';
    if (/前$/.test(before)) {
      qw = '多久';
      before = before.replace(/^在/, '');
    } else if (/^(?:内|以内|之内)/.test(after)) {
      qw = '多长时间内';
      after = after.replace(/^(?:内|以内|之内)/, '');
    } else after = after.replace(/^的?时间/, ''); // "2个月的时间" asks 多长时间, not 多长时间的时间
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
export function clockFacts(fc: FactContext, i: number, c: Clause): Fact[] {
  const out: Fact[] = [];
  const clock = /(?:工作日)?\d{1,2}[:：]\d{2}(?:前|之前)/.exec(c.text);
  if (clock) {
    const body = c.text.slice(0, clock.index) + '最晚什么时候' + c.text.slice(clock.index + clock[0].length);
    out.push({ kind: 'time', questions: [cleanQuestion(questionPrefix(fc, i, body))], terms: [clock[0]] });
  }
  return out;
}
