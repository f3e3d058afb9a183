/**
 * Learning the ranking weights from the dev sets (`npm run eval -- --fit-ranking`): for each answerable question, the
 * candidate pool with every unit's raw features and whether it is right; the weights maximise the probability the
 * softmax of the fused scores gives the right units (non-negative weights, gradient descent). Judged out of fold
 * (5 folds over the dev questions) and on the held-out sets, beside the weights in use. It prints; a person copies
 * weights into server/search/ranking.ts when they help out of fold (docs/ranking.md).
 */
import { createServices, type Services } from '../../server/services.js';
import { DEFAULT_RANKING, FEATURE_NAMES, rankingWith, type FeatureWeights } from '../../server/search/ranking.js';
import type { EvalQuestion, EvalSet } from './sets.js';

/** One candidate: its features in FEATURE_NAMES order, the slot/figure penalty applied to it, and whether it is right. */
export interface PooledCandidate {
  features: number[];
  penalty: number;
  right: boolean;
}

export interface RankingPoint {
  set: string;
  split: EvalSet['split'];
  candidates: PooledCandidate[];
}

/** Units retrieved per question: the pool the engine fuses (every list's candidates), not only the ten shown. */
const POOL = 300;

/**
 * The pools of one KB's answerable questions. Ranked with a huge questionSimilarity weight only so the engine computes
 * that feature for every unit (it skips units that could not overtake the best); the weights do not enter the points.
 */
export async function rankingPoints(
  dataDir: string,
  sets: EvalSet[],
  isRight: (set: EvalSet, q: EvalQuestion, unitId: number, s: Services) => boolean,
): Promise<RankingPoint[]> {
  const s = await createServices({ dataDir, embedderMode: (process.env.KB_EMBEDDER as 'auto') ?? 'auto', ranking: rankingWith({ weights: { questionSimilarity: 100 } }) });
  const points: RankingPoint[] = [];
  try {
    for (const set of sets) {
      for (const q of set.questions) {
        if (q.kind !== 'answer') continue;
        const res = await s.engine.search(q.q, {}, POOL);
        points.push({
          set: set.name, split: set.split,
          candidates: res.candidates.map((c) => ({
            features: FEATURE_NAMES.map((f) => Math.max(0, Number(c[f]))),
            penalty: c.conflicts.length ? DEFAULT_RANKING.slotPenalty : 1,
            right: isRight(set, q, c.entryId, s),
          })),
        });
      }
    }
  } finally {
    s.close();
  }
  return points;
}

const fused = (w: number[], c: PooledCandidate) => c.penalty * c.features.reduce((sum, x, i) => sum + w[i] * x, 0);

/** Share of questions whose right unit the weights rank first, and among the first three. */
export function rankingMetrics(w: number[], points: RankingPoint[]): { first: number; at3: number } {
  let first = 0;
  let at3 = 0;
  for (const p of points) {
    const scores = p.candidates.map((c) => fused(w, c));
    // rank of the best right unit: how many units score strictly higher (ties count against it)
    const best = Math.max(-Infinity, ...p.candidates.filter((c) => c.right).map((c) => fused(w, c)));
    if (best === -Infinity) continue;
    const above = scores.filter((x) => x >= best).length - 1;
    if (above === 0) first++;
    if (above < 3) at3++;
  }
  return { first: first / points.length, at3: at3 / points.length };
}

/**
 * Non-negative weights maximising Σ log(Σ_right e^s / Σ_all e^s) over the questions with a right unit in the pool,
 * each pool cut to its 40 best units under the weights in use plus its right ones (the rest never compete).
 * Returned normalised to sum to 1; the engine divides by the sum anyway.
 */
export function fitRankingWeights(points: RankingPoint[], start: number[], { l2 = 0.001, steps = 400, rate = 0.5 } = {}): number[] {
  const usable = points
    .filter((p) => p.candidates.some((c) => c.right))
    .map((p) => [...p.candidates].sort((a, b) => fused(start, b) - fused(start, a)).slice(0, 40).concat(p.candidates.filter((c) => c.right)));
  let w = start.map((x) => x * 10); // a sharper softmax than the 0..1 fused score gives
  for (let step = 0; step < steps; step++) {
    const grad = new Array<number>(w.length).fill(0);
    for (const pool of usable) {
      const s = pool.map((c) => fused(w, c));
      const top = Math.max(...s);
      const e = s.map((x) => Math.exp(x - top));
      const all = e.reduce((a, b) => a + b, 0);
      const right = pool.reduce((a, c, i) => a + (c.right ? e[i] : 0), 0);
      pool.forEach((c, i) => {
        const coef = e[i] / all - (c.right ? e[i] / right : 0);
        for (let j = 0; j < w.length; j++) grad[j] += coef * c.penalty * c.features[j];
      });
    }
    w = w.map((x, j) => Math.max(0, x - rate * (grad[j] / usable.length + l2 * x)));
  }
  const sum = w.reduce((a, b) => a + b, 0) || 1;
  return w.map((x) => x / sum);
}

/** Fits on dev, judges out of fold and on held-out, and prints both beside the weights in use. */
export function printRankingFit(points: RankingPoint[], inUse: FeatureWeights): void {
  const current = FEATURE_NAMES.map((f) => inUse[f]);
  const dev = points.filter((p) => p.split === 'dev');
  const heldOut = points.filter((p) => p.split === 'held-out');
  const FOLDS = 5;
  let first = 0;
  let at3 = 0;
  for (let f = 0; f < FOLDS; f++) {
    const test = dev.filter((_, i) => i % FOLDS === f);
    const w = fitRankingWeights(dev.filter((_, i) => i % FOLDS !== f), current);
    const m = rankingMetrics(w, test);
    first += m.first * test.length;
    at3 += m.at3 * test.length;
  }
  const fitted = fitRankingWeights(dev, current);
  const sum = current.reduce((a, b) => a + b, 0);
  const fmt = (m: { first: number; at3: number }) => `首位正确 ${m.first.toFixed(3)}，@3 ${m.at3.toFixed(3)}`;
  console.log(`\n排序权重学习：开发集 ${dev.length} 题、留出集 ${heldOut.length} 题（可答题的候选池，按各单元的原始特征重排）`);
  console.log(`  现用权重：开发 ${fmt(rankingMetrics(current, dev))}；留出 ${heldOut.length ? fmt(rankingMetrics(current, heldOut)) : '—'}`);
  console.log(`  学出权重：开发折外（${FOLDS} 折）首位正确 ${(first / dev.length).toFixed(3)}，@3 ${(at3 / dev.length).toFixed(3)}；留出 ${heldOut.length ? fmt(rankingMetrics(fitted, heldOut)) : '—'}`);
  console.log(`  学出的权重（按现用权重之和 ${sum.toFixed(2)} 缩放）：${FEATURE_NAMES.map((f, i) => `${f} ${(fitted[i] * sum).toFixed(3)}`).join('，')}`);
}
