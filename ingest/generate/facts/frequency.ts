/** Frequencies: "每半年", "每人每年至少参加1次" asked as 多久 / 几次. */
import { cleanQuestion } from '../questions.js';
import type { Clause } from '../sections.js';
import { questionPrefix, type Fact, type FactContext } from './context.js';

const FREQ_RE = /每(?:人)?(?:每)?(半年|季度|年度|年|月|周|星期|天|日)(?:至少|定期|都|均)?/g;

/** Frequencies ("每半年", "每人每年至少开展一次") asked as 多久 / 几次. */
export function frequencyFacts(fc: FactContext, i: number, c: Clause, cm: string): Fact[] {
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
