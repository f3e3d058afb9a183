/** Counts: "7个高频事项", "新增5项、优化24项" asked as 多少 / 几. */
import { cleanQuestion } from '../questions.js';
import type { Clause } from '../sections.js';
import { uniq } from '../text.js';
import { questionPrefix, type Fact, type FactContext } from './context.js';

const COUNT_RE = /(\d+|[两三四五六七八九十]+)(个|项|种|类|家|条|批|名|位|张|支|场|所|套|款|件)(?!工作日|月|星期|小时|自然日|次)/g;

/** Counts ("7个高频企业和个人事项", "新增5项、优化24项") asked as 多少 / 几. */
export function countFacts(fc: FactContext, i: number, c: Clause, cm: string): Fact[] {
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
