/** Targets: percentages a text sets ("接通率原则上要达到90%") asked as 多少. */
import { cleanQuestion } from '../questions.js';
import { isActor, subjectOf, type Clause } from '../sections.js';
import { balanceQuotes, normKey } from '../text.js';
import { cutToQuote, questionPrefix, segments, type Fact, type FactContext } from './context.js';

const PCT_RE = /(\d+(?:\.\d+)?)\s*%/g;
const TARGET_VERB_RE = /(?:原则上)?(?:要|应|须)?(?:达到|不低于|不少于|不高于|不得高于|不超过|不得超过|超过|低于|提升至|提高到|提升到|提高至|达)$/;

/** Percentages that are targets ("接通率原则上要达到90%") asked as 多少. */
export function targetFacts(fc: FactContext, i: number, c: Clause, cm: string): Fact[] {
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
