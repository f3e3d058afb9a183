import { foundByWordsOrMeaning, type Candidate, type SearchResult } from './engine.js';
import type { AskOutcome } from '../kb/asks.js';
import { textSimilarity, diceOf, charBigrams, compact } from './similarity.js';
import { isGrammarChar } from './tokenizer.js';
import { confidenceFeatures, probability, runnerUp, type ConfidenceModel } from './confidence.js';
import { ownQuestion } from './question-form.js';

export type Outcome = AskOutcome;

/**
 * Decision thresholds on the fused score (0..1), calibrated with `npm run eval -- --calibrate` on the question set
 * (see README “答案判定”). A confident wrong answer is the worst outcome, so `answer` sits above the best score
 * any no-answer question reached, with a margin.
 */
export const THRESHOLDS = {
  /** Top score at or above which one entry may be answered. */
  answer: 0.45,
  /** ... provided it leads the runner-up (a different question) by at least this much, */
  margin: 0.01,
  /** ... or is a near-verbatim match of its question or a similar question, */
  verbatim: 0.85,
  /**
   * ... or the runner-up is the same fact stated by another document: bigram overlap of the questions and of the
   * answers (企业开办 vs 企业注销 材料 share the question form, not the answer).
   */
  sameQuestion: 0.7,
  sameAnswer: 0.5,
  identicalQuestion: 0.9,
  /**
   * Two different facts this close, asked in the same form (question overlap), each with words the query lacks,
   * mean the query is underspecified (“企业需要哪些材料” between 企业开办 and 企业注销).
   */
  ambiguousMargin: 0.05,
  /** … or covering the question's weight within this much of each other. */
  ambiguousCoverage: 0.05,
  ambiguousForm: 0.6,
  ambiguousUnmatched: 0.3,
  /**
   * Below this nothing fits: no_answer. Above it, a question not answered with confidence gets 猜你想问 — a list
   * the citizen chooses from is honest about the doubt and costs far less than a wrong answer or none.
   */
  suggest: 0.2,
  /**
   * A question mostly in unknown words still gets 猜你想问 when the top unit covers at least this share of it: a
   * list to choose from costs little, and colloquial words the KB lacks (发文编号 for 文号) are common (at 0.4 the
   * right entry was hidden from several such questions; measured @3 on the dev sets rose at 0.25, refusals unchanged).
   */
  suggestCoverage: 0.25,
  /**
   * Never answer with a unit covering less than this share of the question's weight, however the other signals
   * agree: in a KB of a few entries every relative signal (lead, crowd, first on every list) says “sure”.
   */
  answerCoverage: 0.15,
  /** When this share of the query's weight is in words the KB never mentions, do not answer. */
  unknownShare: 0.45,
  /** Typeahead (/suggest) lists questions scoring at least this. */
  typeahead: 0.2,
  /** How many entries 猜你想问 offers. */
  suggestions: 3,
};

export interface Decision {
  outcome: Exclude<Outcome, 'out_of_scope'>;
  top: Candidate | null;
  suggestions: Candidate[];
}

/** The figures an answer states: 5个工作日, 90%, 35个, 1分钟 … */
function figures(text: string): Set<string> {
  // With a unit only: bare numbers are years, 文号 and section numbers, not the fact.
  return new Set(text.match(/\d+(?:\.\d+)?(?:%|个工作日|个星期|个月|个|项|分钟|小时|天|次)/g) ?? []);
}

/**
 * Two candidates that ask and answer the same thing (one fact restated by two documents): the same question, or
 * close questions whose answers overlap or state the same figures.
 */
export function sameFact(a: Candidate, b: Candidate, t = THRESHOLDS): boolean {
  // An entry generated from a section, and the source passage quoting that section, state one fact.
  if (a.passage !== b.passage && a.documentId !== null && a.documentId === b.documentId) {
    const [p, e] = a.passage ? [a, b] : [b, a];
    if (e.sections.some((s) => p.sections.includes(s))) return true;
  }
  const q = textSimilarity(a.question, b.question);
  if (q < t.sameQuestion) return false;
  const fa = figures(a.answerText);
  const fb = figures(b.answerText);
  const [small, large] = fa.size <= fb.size ? [fa, fb] : [fb, fa];
  const sameFigures = small.size > 0 && [...small].every((f) => large.has(f)); // one restates the other's figures
  if (small.size > 0 && !sameFigures) return false; // 5个工作日 vs 10个工作日: different facts, however alike the wording
  // answerText is already normalised without spaces: compare its bigrams directly.
  return q >= t.identicalQuestion || sameFigures || diceOf(charBigrams(a.answerText), charBigrams(b.answerText)) >= t.sameAnswer;
}

/**
 * The first `limit` candidates that each state a fact none before it states: an entry and the source passage it was
 * generated from, or one fact restated by two documents, take one place among the 猜你想问, not two.
 */
function distinctFacts(candidates: Candidate[], limit: number, t: typeof THRESHOLDS): Candidate[] {
  const out: Candidate[] = [];
  for (const c of candidates) {
    if (out.length === limit) break;
    if (!out.some((o) => sameFact(o, c, t))) out.push(c);
  }
  return out;
}

/** Two questions worded alike (企业开办 / 企业注销 需要哪些材料); never when either unit answers no question of its own. */
function askedAlike(a: string | null, b: string | null, threshold: number): boolean {
  return a !== null && b !== null && textSimilarity(a, b) >= threshold;
}

/**
 * The question names something only the first of two alike questions says, and nothing only the second says: it is
 * not underspecified between them (“能马上改的问题整改时间…” between 能即知即改 / 不能立即整改 — only the first says
 * 整改时间), as “企业需要哪些材料” is between 企业开办 and 企业注销.
 */
export function tellsApart(query: string, first: string, second: string): boolean {
  const q = new Set(charBigrams(compact(query)).filter((g) => !isGrammarChar(g[0]) || !isGrammarChar(g[1])));
  const a = new Set(charBigrams(compact(first)));
  const b = new Set(charBigrams(compact(second)));
  const only = (x: Set<string>, y: Set<string>) => [...q].some((g) => x.has(g) && !y.has(g));
  return only(a, b) && !only(b, a);
}

/** The result as the decision weighs it: only units found by words or meaning (see foundByWordsOrMeaning). */
export function weighed(result: SearchResult): SearchResult {
  return result.candidates.every(foundByWordsOrMeaning) ? result : { ...result, candidates: result.candidates.filter(foundByWordsOrMeaning) };
}

/**
 * One outcome per question. With a confidence model (fitted per embedder, see confidence.ts) the top candidate is
 * answered when the model's probability reaches its threshold; without one, when the fused score and its lead
 * reach the fixed thresholds. Either way: never when it contradicts a slot the question names, or when two
 * different facts fit an underspecified question equally.
 */
export function decide(all: SearchResult, t = THRESHOLDS, model: ConfidenceModel | null = null): Decision {
  const result = weighed(all);
  const [top] = result.candidates;
  if (!top || top.score < t.suggest) return { outcome: 'no_answer', top: null, suggestions: [] };
  const suggestions = distinctFacts(all.candidates.filter((c) => c.score >= t.suggest), t.suggestions + 1, t);
  const verbatim = top.questionSimilarity >= t.verbatim;
  // Mostly about things the KB never mentions (迪士尼, 护照), and the best unit covers little of the rest: neither an
  // answer nor anything to suggest, however clearly that unit leads a short list.
  const familiar = result.unknownShare < t.unknownShare || verbatim;
  if (!familiar && top.coverage < t.suggestCoverage) return { outcome: 'no_answer', top: null, suggestions: [] };
  // The runner-up is the first candidate saying something else: the top's own source passage or the same fact in
  // another document, close behind it, neither makes it less sure nor makes the question ambiguous.
  const runner = runnerUp(result.candidates, (c) => sameFact(top, c, t));
  const { rival } = runner;
  // Ambiguous: the next candidate is another fact, close either in the fused score or in how much of the question
  // each covers (the fused score also weighs answer length and wording, which can part two entries the question
  // itself does not tell apart). Only the very next one: a rival further down, behind the top's own passage, is
  // mostly a sibling of one template family, and holding it against the top refused right answers (measured:
  // out-of-fold calibration objective 115 → 110 on the dev sets). “Asked alike” compares the questions the two
  // answer (ownQuestion): a passage answers none, and comparing its title-and-section heading made two passages of
  // one document always look alike (objective 115 → 117 once they were not).
  const topAsks = ownQuestion(top);
  const rivalAsks = rival && ownQuestion(rival);
  const ambiguous = rival !== null && rival === result.candidates[1] &&
    (top.score - rival.score < t.ambiguousMargin || rival.coverage >= top.coverage - t.ambiguousCoverage) &&
    top.unmatched >= t.ambiguousUnmatched && rival.unmatched >= t.ambiguousUnmatched && askedAlike(topAsks, rivalAsks, t.ambiguousForm) &&
    !tellsApart(result.normalized, topAsks!, rivalAsks!); // both non-null: askedAlike holds
  const leads = !rival || (top.score - rival.score >= t.margin && !ambiguous);
  // A unit that states another district, year or 文号 than the one asked for is never the confident answer.
  // Nor one that speaks of only one of two places the question names (“长宁区的……跟普陀一样吗” against 普陀区's).
  const agrees = top.conflicts.length === 0 && top.placesLeftOut.length === 0;
  // Mostly in words the KB never uses: never sure, model or not (a model fitted on large KBs reads a tiny KB's lone
  // candidate as a clear lead).
  const confident = familiar && (model
    ? probability(model, confidenceFeatures(result, runner)) >= model.threshold && !ambiguous
    : top.score >= t.answer && (verbatim || leads));
  if (confident && agrees && top.coverage >= t.answerCoverage) {
    return { outcome: 'answered', top, suggestions: distinctFacts([top, ...suggestions.filter((c) => c !== top)], t.suggestions + 1, t).slice(1) };
  }
  return { outcome: 'suggest', top: null, suggestions: suggestions.slice(0, t.suggestions) };
}
