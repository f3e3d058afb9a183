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
  /** ... or is a near-verbatim match of its question or a similar question. */
  verbatim: 0.85,
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

export function decide(result: SearchResult, t = THRESHOLDS): Decision {
  const [top, second] = result.candidates;
  if (!top || top.score < t.suggest) return { outcome: 'no_answer', top: null, suggestions: [] };
  const suggestions = result.candidates.filter((c) => c.score >= t.suggest).slice(0, t.suggestions);
  const verbatim = top.questionSimilarity >= t.verbatim;
  const leads = !second || top.score - second.score >= t.margin;
  if (top.score >= t.answer && result.unknownShare < t.unknownShare && (verbatim || leads)) {
    return { outcome: 'answered', top, suggestions: suggestions.filter((c) => c !== top) };
  }
  if (result.unknownShare >= t.unknownShare && !verbatim) return { outcome: 'no_answer', top: null, suggestions: [] };
  return { outcome: 'suggest', top: null, suggestions };
}
