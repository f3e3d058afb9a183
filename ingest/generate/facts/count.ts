/** Counts: "7个高频事项", "新增5项、优化24项" asked as 多少 / 几. */
import { withListCommas } from '../enumeration.js';
import { cleanQuestion } from '../questions.js';
import { startsWithVerb, type Clause } from '../sections.js';
import { uniq } from '../text.js';
import { questionPrefix, type Fact, type FactContext } from './context.js';

// a range ("1-2名") is one figure asked as 多少
const COUNT_RE = /((?:\d+\s*[-－~～至到]\s*)?\d+|[两三四五六七八九十]+)(个|项|种|类|家|条|批|名|位|张|支|场|所|套|款|件)(?!工作日|月|星期|小时|自然日|次)/g;

/** Counts ("7个高频企业和个人事项", "新增5项、优化24项") asked as 多少 / 几. */
export function countFacts(fc: FactContext, i: number, c: Clause, cm: string): Fact[] {
  const out: Fact[] = [];
  const counts = [...cm.matchAll(COUNT_RE)].filter((m) => {
    const before = cm.slice(Math.max(0, m.index! - 1), m.index!);
    if (/[第\d.□]/.test(before)) return false;
    // "…、自助终端5种渠道", "包括“早晚弹性办”“午间不间断”和……四种方式": the count closes an enumeration, which a count
    // question would give away; the list question asks it better
    const lead = withListCommas(cm.slice(0, m.index!));
    if (/、/.test(lead) && !/、/.test(cm.slice(m.index!)) && !/\d/.test(lead)) return false;
    return true;
  });
  if (counts.length) {
    let body = '';
    let last = 0;
    for (const m of counts) {
      body += c.text.slice(last, m.index!) + (/^\d/.test(m[1]) ? '多少' : '几') + m[2];
      last = m.index! + m[0].length;
    }
    body += c.text.slice(last);
    // "盟本级驻厅的33个部门、1116个事项，以及……纳入延时服务": the count names what, the sentence's last clause what is done with it
    const closing = fc.clauses[fc.clauses.length - 1];
    if (i < fc.clauses.length - 1 && verbAt(body) < 0) body += closingPredicate(closing.text) ?? '';
    const q = cleanQuestion(questionPrefix(fc, i, body));
    out.push({ kind: 'count', questions: uniq([q, q.replace(/多少(?=[个项种类])/, '几').replace(/几(?=[个项种类])/, '多少')]), terms: counts.map((m) => m[0]) });
  }
  return out;
}

/** Where the first verb at or after `from` starts (-1: none; a noun phrase like "驻厅的多少个部门、多少个事项" has none). */
function verbAt(text: string, from = 0, to = text.length): number {
  for (let k = from; k < to; k++) if (startsWithVerb(text.slice(k))) return k;
  return -1;
}

/** The predicate closing a clause after its last figure ("……1496个事项纳入延时服务" → 纳入延时服务), if short and plain. */
function closingPredicate(clause: string): string | null {
  const afterFigures = Math.max(1, ...[...clause.matchAll(/\d|、/g)].map((m) => m.index! + 1));
  const k = verbAt(clause, afterFigures, clause.length - 1);
  const rest = k < 0 ? '' : clause.slice(k);
  return rest && rest.length <= 12 && !/\d/.test(rest) ? rest : null;
}
