/**
 * Learning the ranking weights from dev pools (`npm run eval -- --fit-ranking`): the fit must find the feature that
 * tells right units from wrong ones, whatever weights it starts from, and the metrics must count a tie against it.
 */
import { describe, it, expect } from 'vitest';
import { fitRankingWeights, rankingMetrics, type RankingPoint } from '../scripts/eval/fit-ranking.js';
import { mulberry32 } from '../server/cli/prng.js';

/**
 * Pools of 20 units with three features: the first is noise, the second is higher for the right unit in 9 pools of
 * 10, the third is higher for the right unit only half the time. The right unit is the first of each pool.
 */
function pools(n = 200, seed = 3): RankingPoint[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const tells = random() < 0.9;
    return {
      set: 'synthetic', split: 'dev',
      candidates: Array.from({ length: 20 }, (_, i) => ({
        features: [random(), i === 0 && tells ? 0.8 + 0.2 * random() : 0.7 * random(), random()],
        penalty: 1,
        right: i === 0,
      })),
    };
  });
}

describe('learning the ranking weights', () => {
  it('moves the weight to the feature that finds the right unit, starting from weights that favour the noise', () => {
    const dev = pools();
    const start = [0.6, 0.2, 0.2];
    const fitted = fitRankingWeights(dev, start);
    expect(fitted[1]).toBeGreaterThan(fitted[0] + fitted[2]);
    expect(fitted.every((w) => w >= 0)).toBe(true);
    expect(fitted.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const fresh = pools(200, 11);
    expect(rankingMetrics(fitted, fresh).first).toBeGreaterThan(0.85);
    expect(rankingMetrics(start, fresh).first).toBeLessThan(0.5);
  });

  it('a right unit tied with a wrong one is not counted first', () => {
    const tie: RankingPoint = { set: 's', split: 'dev', candidates: [{ features: [1], penalty: 1, right: false }, { features: [1], penalty: 1, right: true }] };
    expect(rankingMetrics([1], [tie])).toEqual({ first: 0, at3: 1 });
  });
});
