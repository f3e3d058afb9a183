/**
 * The ranking knobs, in one place: every feature of the fused score with its weight and how it is computed, and the
 * other numbers ranking depends on. docs/ranking.md says what each is for and shows the measured ablation
 * (`npm run eval -- --ablate`).
 */

export interface FeatureWeights {
  /** IDF-weighted share of the query's concepts found anywhere in the unit (questions, keywords, answer, context). */
  coverage: number;
  /** The same share counting only the unit's questions, similar questions, keywords and context. */
  questionCoverage: number;
  /** IDF-weighted share of the query's character bigrams found in the unit: robust to segmentation and wording. */
  bigramCoverage: number;
  /** Cosine of query and unit embeddings (builtin hashing embedder or bge). */
  cosine: number;
  /** Best bigram Dice similarity of the query with the unit's question or a similar question (near-verbatim asks). */
  questionSimilarity: number;
  /** FTS5 bm25 relative to the best lexical match of this query. */
  lexical: number;
  /** BM25 of the query's character bigrams over the unit (saturated, length-normalised), relative to the best candidate. */
  grams: number;
  /**
   * BM25 of the query's single Han characters over the unit, relative to the best candidate: a colloquial question
   * often shares characters, not words or bigrams, with the official text (多少天之内得交上 / 多长时间内缴纳).
   */
  chars: number;
}

export interface RankingOptions {
  weights: FeatureWeights;
  /** Naming the unit's region or document (普陀区, 市场监管局) counts this share of naming its own words. */
  contextCredit: number;
  /** A unit contradicting a slot the query names (place, year, 文号) keeps this share of its score. */
  slotPenalty: number;
  /**
   * Everyday words weigh less: a concept's weight is its IDF in the KB times a factor from its frequency in general
   * Chinese (jieba's dictionary): 1 for rare words (general IDF ≥ `to`), `floor` for the commonest (≤ `from`).
   */
  generalWords: { from: number; to: number; floor: number };
  /** Candidates taken from each of the lexical and vector lists. */
  candidates: number;
  /** Audience / region preferences: a unit for another audience or district keeps this share of its score. */
  preferenceFactor: number;
  /**
   * A question word the KB never uses also finds the KB's words sharing a narrow CC-CEDICT sense with it
   * (消防栓 → 消火栓; server/search/related-words.ts).
   */
  relatedWords: boolean;
  /** A third candidate list beside the lexical and vector ones: bm25 of the query's character bigrams over whole units. */
  bigramList: boolean;
}

export const DEFAULT_RANKING: RankingOptions = {
  weights: { coverage: 0.235, questionCoverage: 0.095, bigramCoverage: 0.12, cosine: 0.12, questionSimilarity: 0.145, lexical: 0.045, grams: 0.195, chars: 0.245 },
  contextCredit: 0.8,
  slotPenalty: 0.6,
  generalWords: { from: 7, to: 12, floor: 0.15 },
  candidates: 30,
  preferenceFactor: 0.85,
  relatedWords: true,
  bigramList: true,
};

export const FEATURE_NAMES = Object.keys(DEFAULT_RANKING.weights) as Array<keyof FeatureWeights>;

/** Options with some knobs changed (weights merged, not replaced). */
export function rankingWith(changes: { weights?: Partial<FeatureWeights> } & Partial<Omit<RankingOptions, 'weights'>> = {}): RankingOptions {
  return { ...DEFAULT_RANKING, ...changes, weights: { ...DEFAULT_RANKING.weights, ...changes.weights } };
}

/** The general-language factor of a word's weight (see RankingOptions.generalWords); null frequency = rare. */
export function generalWordFactor(generalIdf: number | null, o: RankingOptions['generalWords']): number {
  if (generalIdf === null) return 1;
  const t = (generalIdf - o.from) / (o.to - o.from);
  return Math.min(1, Math.max(o.floor, t));
}
