/** Transformations: "由“找我办”提升为“帮你办”" asked as 由什么提升为什么. */
import { cleanQuestion } from '../questions.js';
import { isActor, subjectOf, type Clause } from '../sections.js';
import { uniq } from '../text.js';
import type { Fact, FactContext } from './context.js';

/** Transformations: "由“找我办”提升为“帮你办”". */
export function transformFacts(fc: FactContext, i: number, c: Clause): Fact[] {
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
