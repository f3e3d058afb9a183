/** Deadlines: a sentence opening with "2022年底前，…" asked as 什么时候要…. */
import { cleanQuestion } from '../questions.js';
import type { Clause } from '../sections.js';
import { DEADLINE_RE } from '../vocabulary.js';
import type { Fact } from './context.js';

/** A unit opening with a deadline ("2022年底前，整合…，上线…，设立…"): when each thing is due. */
export function deadlineFacts(clauses: Clause[]): Fact[] {
  const out: Fact[] = [];
  const dl = DEADLINE_RE.exec(clauses[0]?.text ?? '');
  if (dl && clauses.length > 1) {
    const when = /起$/.test(dl[0]) ? '从什么时候起' : '什么时候';
    const qs = clauses
      .slice(1, 5)
      .map((x) => x.text)
      .filter((t) => t.length >= 4 && t.length <= 40)
      .map((t) => cleanQuestion(`${when}要${t.replace(/^(?:要|应)/, '')}`));
    if (qs.length) out.push({ kind: 'deadline', questions: qs, terms: [dl[0]] });
  }
  return out;
}
