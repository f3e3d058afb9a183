import type { Candidate, SearchResult } from './engine.js';

export type Outcome = 'answered' | 'suggest' | 'no_answer' | 'out_of_scope';

/**
 * Decision thresholds on the fused score (0..1), calibrated with `npm run eval -- --calibrate` on the question set
 * (see README “答案判定”). A confident wrong answer is the worst outcome, so `answer` sits above the best score
 * any no-answer question reached, with a margin.
 */
export const THRESHOLDS = {
  /** Top score at or above which one entry may be answered. */
  answer: 0.62,
  /** ... provided it leads the runner-up (a different question) by at least this much, */
  margin: 0.04,
  /** ... or is a near-verbatim match of its question or a similar question, */
  verbatim: 0.85,
  /** ... or the runner-up asks the same thing (the same fact stated by two documents): bigram overlap of questions. */
  sameQuestion: 0.7,
  /** Below this nothing fits: no_answer. Between suggest and answer: 猜你想问. */
  suggest: 0.4,
  /** When this share of the query's weight is in words the KB never mentions, do not answer. */
  unknownShare: 0.45,
  /** How many entries 猜你想问 offers. */
  suggestions: 3,
};

export interface Decision {
  outcome: Exclude<Outcome, 'out_of_scope'>;
  top: Candidate | null;
  suggestions: Candidate[];
}

/** Character-bigram overlap (Dice) of two questions, ignoring punctuation. */
function dice(a: string, b: string): number {
  const grams = (s: string) => {
    const c = s.normalize('NFKC').replace(/[\p{P}\p{S}\s]/gu, '');
    return Array.from({ length: Math.max(c.length - 1, 0) }, (_, i) => c.slice(i, i + 2));
  };
  const ga = grams(a);
  const gb = grams(b);
  if (!ga.length || !gb.length) return 0;
  const pool = [...ga];
  let common = 0;
  for (const g of gb) {
    const i = pool.indexOf(g);
    if (i >= 0) {
      common++;
      pool.splice(i, 1);
    }
  }
  return (2 * common) / (ga.length + gb.length);
}

export function decide(result: SearchResult, t = THRESHOLDS): Decision {
  const [top, second] = result.candidates;
  if (!top || top.score < t.suggest) return { outcome: 'no_answer', top: null, suggestions: [] };
  const suggestions = result.candidates.filter((c) => c.score >= t.suggest).slice(0, t.suggestions);
  const verbatim = top.questionSimilarity >= t.verbatim;
  const leads = !second || top.score - second.score >= t.margin || dice(top.question, second.question) >= t.sameQuestion;
  if (top.score >= t.answer && result.unknownShare < t.unknownShare && (verbatim || leads)) {
    return { outcome: 'answered', top, suggestions: suggestions.filter((c) => c !== top) };
  }
  if (result.unknownShare >= t.unknownShare && !verbatim) return { outcome: 'no_answer', top: null, suggestions: [] };
  return { outcome: 'suggest', top: null, suggestions };
}
