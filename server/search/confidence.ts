/**
 * How sure the service may be that its top candidate is right: a logistic model over the top candidate's features
 * (score, lead over the runner-up, coverage, similarity …), fitted per embedder on the dev question sets by
 * `npm run eval -- --calibrate --write` and checked on the held-out sets. The decision answers only above the
 * model's threshold, chosen on dev data so that a confident wrong answer costs three right ones.
 */
import fs from 'node:fs';
import type { Candidate, SearchResult } from './engine.js';
import { FEATURE_NAMES } from './ranking.js';
import { formRelation, ownQuestion, questionForm } from './question-form.js';

export const CONFIDENCE_FEATURES = [
  'score', 'margin', 'coverage', 'questionCoverage', 'bigramCoverage', 'questionSimilarity', 'cosine', 'lexical', 'unknownShare', 'passage',
  'lexicalFirst', 'vectorFirst', 'unmatched', 'agreement', 'runnerUpRatio', 'crowd', 'formAgrees', 'formDiffers', 'missingKey', 'grams',
] as const;

/** Candidates within this much of the top score count as crowding it. */
const CROWD_SCORE = 0.05;
const CROWD_MAX = 5;
/** The list the features compare the top with: the answer path's ten (命中测试 lists more, and must decide alike). */
export const COMPARED_CANDIDATES = 10;

export interface ConfidenceModel {
  /** The embedder kind it was fitted with (builtin or transformers): cosines differ in scale between them. */
  embedder: string;
  features: readonly string[];
  mean: number[];
  std: number[];
  coef: number[];
  bias: number;
  /** Answer when the probability is at least this. */
  threshold: number;
  /** What it was fitted on: sets and question counts. */
  fittedOn: string;
}

/** The top's runner-up and the candidates crowding it, counting only candidates that say something else. */
export interface RunnerUp {
  /** The first candidate after the top that does not state the top's fact; null when none of the compared does. */
  rival: Candidate | null;
  /** How many such candidates score within CROWD_SCORE of the top. */
  crowd: number;
}

/**
 * The runner-up of a ranked list: candidates stating the top's fact (`sameAsTop`: its own source passage, the same
 * fact in another document) are neither its rival nor a crowd around it. Candidates come sorted by score, so the
 * walk stops once the rival is found and the rest are out of crowding range (sameAsTop compares answers: not cheap).
 */
export function runnerUp(candidates: Candidate[], sameAsTop: (c: Candidate) => boolean): RunnerUp {
  const [top] = candidates;
  let rival: Candidate | null = null;
  let crowd = 0;
  for (const c of candidates.slice(1, COMPARED_CANDIDATES)) {
    const near = c.score >= top.score - CROWD_SCORE;
    if (rival && !near) break;
    if (sameAsTop(c)) continue;
    rival ??= c;
    if (near) crowd++;
  }
  return { rival, crowd };
}

/** The features of a result's top candidate, in CONFIDENCE_FEATURES order, given its runner-up (see runnerUp). */
export function confidenceFeatures(result: SearchResult, { rival, crowd }: RunnerUp): number[] {
  const [top] = result.candidates;
  const compared = result.candidates.slice(0, COMPARED_CANDIDATES);
  const margin = rival ? Math.min(0.2, top.score - rival.score) : 0.2;
  const offered = ownQuestion(top);
  const form = formRelation(questionForm(result.normalized), offered === null ? null : questionForm(offered));
  return [
    top.score, margin, top.coverage, top.questionCoverage, top.bigramCoverage, top.questionSimilarity, Math.max(0, top.cosine), top.lexical,
    result.unknownShare, top.passage ? 1 : 0,
    // Both retrieval paths agreeing on the top unit; the share of its own question the query leaves unsaid.
    top.lexicalRank === 1 ? 1 : 0, top.vectorRank === 1 ? 1 : 0, top.unmatched,
    agreement(compared), rival ? rival.score / Math.max(top.score, 1e-6) : 0, Math.min(crowd, CROWD_MAX) / CROWD_MAX,
    form === 'same' ? 1 : 0, form === 'different' ? 1 : 0, top.missingKey, top.grams,
  ];
}

/**
 * The share of the ranking's features on which the top candidate is also the best of the list: several independent
 * signals agreeing on one unit is worth more than one high fused score.
 */
function agreement(candidates: Candidate[]): number {
  const [top] = candidates;
  let agree = 0;
  for (const f of FEATURE_NAMES) if (candidates.every((c) => c[f] <= top[f])) agree++;
  return agree / FEATURE_NAMES.length;
}

export function probability(model: ConfidenceModel, x: number[]): number {
  let z = model.bias;
  for (let i = 0; i < x.length; i++) z += model.coef[i] * ((x[i] - model.mean[i]) / (model.std[i] || 1));
  return 1 / (1 + Math.exp(-z));
}

/** L2-regularised logistic regression by gradient descent on standardised features (a few hundred points). */
export function fitLogistic(samples: Array<{ x: number[]; y: 0 | 1 }>, l2 = 0.05, steps = 3000, rate = 0.3): Pick<ConfidenceModel, 'mean' | 'std' | 'coef' | 'bias'> {
  const d = samples[0].x.length;
  const n = samples.length;
  const mean = Array.from({ length: d }, (_, j) => samples.reduce((s, p) => s + p.x[j], 0) / n);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(samples.reduce((s, p) => s + (p.x[j] - mean[j]) ** 2, 0) / n) || 1);
  const xs = samples.map((p) => p.x.map((v, j) => (v - mean[j]) / std[j]));
  const coef = new Array(d).fill(0);
  let bias = 0;
  for (let step = 0; step < steps; step++) {
    const grad = new Array(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let z = bias;
      for (let j = 0; j < d; j++) z += coef[j] * xs[i][j];
      const err = 1 / (1 + Math.exp(-z)) - samples[i].y;
      for (let j = 0; j < d; j++) grad[j] += err * xs[i][j];
      gb += err;
    }
    for (let j = 0; j < d; j++) coef[j] -= rate * (grad[j] / n + l2 * coef[j]);
    bias -= rate * (gb / n);
  }
  return { mean, std, coef, bias };
}

/**
 * The probability threshold at which answering breaks even when a confident wrong answer costs `wrongCost` right
 * ones: the top must be right with probability wrongCost / (wrongCost + 1) (3/4 for 3). `points` are a model's
 * out-of-fold probabilities with the truth; they are put on a true-probability scale by Platt scaling (a logistic
 * fit of right/wrong on their logits), and the threshold returned is the raw probability at which the rescaled one
 * reaches the break-even. `slope` above 1 says the raw probabilities sit too near the middle, below 1 too far out.
 */
export function breakEvenThreshold(points: Array<{ p: number; right: boolean }>, wrongCost: number): { threshold: number; slope: number } {
  const logit = (p: number) => {
    const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
    return Math.log(q / (1 - q));
  };
  const platt = fitLogistic(points.map((x) => ({ x: [logit(x.p)], y: x.right ? 1 : 0 })), 0);
  const slope = platt.coef[0] / platt.std[0];
  const z = platt.mean[0] + (Math.log(wrongCost) - platt.bias) / slope;
  return { threshold: 1 / (1 + Math.exp(-z)), slope };
}

/** The model for an embedder kind from a calibration file (`{ "builtin": {...}, "transformers": {...} }`), if any. */
export function loadConfidenceModel(file: string, embedderKind: string): ConfidenceModel | null {
  if (!fs.existsSync(file)) return null;
  const all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, ConfidenceModel>;
  const model = all[embedderKind];
  if (!model || model.features.join() !== CONFIDENCE_FEATURES.join()) return null; // fitted on other features: not usable
  return model;
}
