/**
 * The calibration's threshold (`npm run eval -- --calibrate`): the probability above which answering pays when a
 * confident wrong answer costs three right ones, read from out-of-fold probabilities with the truth.
 */
import { describe, it, expect } from 'vitest';
import { breakEvenThreshold } from '../server/search/confidence.js';
import { mulberry32 } from '../server/cli/prng.js';

/** Probabilities spread over 0..1, each right with the chance `truth(p)` says. */
function points(truth: (p: number) => number, n = 4000, seed = 7): Array<{ p: number; right: boolean }> {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const p = 0.02 + 0.96 * random();
    return { p, right: random() < truth(p) };
  });
}
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));

describe('the break-even threshold', () => {
  it('probabilities that are already true: answer from 3/4 up when a wrong answer costs three right ones', () => {
    const { threshold, slope } = breakEvenThreshold(points((p) => p), 3);
    expect(threshold).toBeGreaterThan(0.72);
    expect(threshold).toBeLessThan(0.78);
    expect(slope).toBeGreaterThan(0.85);
    expect(slope).toBeLessThan(1.15);
  });

  it('a model too timid (its 0.65 is right 3 times in 4) is trusted from its own lower figure, not from 0.75', () => {
    const { threshold, slope } = breakEvenThreshold(points((p) => sigmoid(2 * logit(p))), 3);
    expect(threshold).toBeGreaterThan(0.6);
    expect(threshold).toBeLessThan(0.67); // σ(logit(0.75) / 2) = 0.634
    expect(slope).toBeGreaterThan(1.7);
  });

  it('a model too sure of itself needs a higher figure; a cheaper wrong answer a lower one', () => {
    const bold = breakEvenThreshold(points((p) => sigmoid(0.5 * logit(p))), 3);
    expect(bold.threshold).toBeGreaterThan(0.85); // σ(2 · logit(0.75)) = 0.9
    expect(bold.slope).toBeLessThan(0.6);
    const even = breakEvenThreshold(points((p) => p), 1);
    expect(even.threshold).toBeGreaterThan(0.45);
    expect(even.threshold).toBeLessThan(0.55);
  });
});
