/** Duties: "X负责Y" / "由X负责Y" asked as 谁负责Y. */
import { cleanQuestion } from '../questions.js';
import { startsWithVerb, subjectOf, type Clause } from '../sections.js';
import { trimPunct, uniq } from '../text.js';
import { ACTOR_RE, PREPOSITION_RE } from '../vocabulary.js';
import { isNounTopic, type Fact, type FactContext } from './context.js';

/** Duties: "X负责Y" / "由X负责Y". */
export function dutyFacts(fc: FactContext, i: number, c: Clause): Fact[] {
  const { clauses } = fc;
  const out: Fact[] = [];
  // 负责人 / 负责同志 are people, not a duty ("主要负责同志亲自过问")
  const dutyIdx = c.text.search(/负责(?!人|同志|干部)/);
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
