/**
 * Fact extraction: the precise questions one sentence answers. One extractor per kind of fact, each in its own
 * module; this one runs them over a sentence's clauses and orders what they find.
 */
import { mask } from '../text.js';
import { blankOut, type Fact, type FactContext } from './context.js';
import { countFacts } from './count.js';
import { deadlineFacts } from './deadline.js';
import { definitions } from './definition.js';
import { dutyFacts } from './duty.js';
import { frequencyFacts } from './frequency.js';
import { enumerationFacts } from './list.js';
import { roleFacts } from './role.js';
import { targetFacts } from './target.js';
import { clockFacts, durationFacts, relativeDayFact, RELATIVE_DAY_RE, serviceHoursFact, SERVICE_HOURS_RE } from './time-limit.js';
import { topicFacts } from './topic.js';
import { transformFacts } from './transform.js';

export type { Fact, FactContext } from './context.js';

/** When a sentence holds several facts, the first kind in this order names its entry. */
export const FACT_ORDER: Fact['kind'][] = ['time', 'freq', 'target', 'count', 'role', 'duty', 'transform', 'list', 'define', 'topic', 'deadline'];

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
