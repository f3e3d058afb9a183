/** Roles: "X是Y的牵头部门", "X为第一责任人" asked as 谁是Y的牵头部门. */
import { cleanQuestion } from '../questions.js';
import type { Clause } from '../sections.js';
import { uniq } from '../text.js';
import type { Fact, FactContext } from './context.js';

/** Roles: "X是Y的牵头部门" / "X作为Y的责任单位" / "X为第一责任人". */
export function roleFacts(fc: FactContext, i: number, c: Clause): Fact[] {
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
