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
    // whose way changes: the actor, else what the clause names before 由/从 ("服务方式由…转变为…")
    const actor = [subjectOf(c.text), subjectOf(clauses[0].text), fc.unit.subject].find(isActor) ?? '';
    const named = c.text.slice(0, tr.index).replace(/(?:要|应|将|逐步|全面|进一步)+$/, '');
    const who = actor || named;
    if (!who) return out;
    out.push({
      kind: 'transform',
      questions: uniq([
        cleanQuestion(`${who}要${tr[1]}什么${tr[3]}为什么`),
        cleanQuestion(`${who}要${tr[1]}${tr[2]}${tr[3]}为什么`),
        cleanQuestion(actor ? `${actor}的服务方式要怎样转变` : `${who}要怎样转变`),
      ]),
      terms: [tr[2].replace(/[“”]/g, ''), tr[4].replace(/[“”]/g, '')],
    });
  }
  return out;
}
