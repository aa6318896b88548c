/** Rank correlations, percentiles and the bootstrap against scipy/numpy; fidelity helpers and AUC against closed forms. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { curveArea, removalCounts, removalOrder } from '../../src/main/evaluation/ablation-curves.js';
import { bootstrapDistribution, bootstrapLayerMean, percentile } from '../../src/main/evaluation/bootstrap.js';
import { lexicographicScores, overallFidelity, precisionAt, topCount } from '../../src/main/evaluation/fidelity.js';
import { averageRanks, kendallTauB, pearson, spearman } from '../../src/main/evaluation/rank-correlation.js';

interface Fixtures {
  correlations: { name: string; x: number[]; y: number[]; pearson: number; spearman: number; kendall: number }[];
  percentile: { values: number[]; q: number[]; expected: number[] };
  bootstrap: {
    explicit: { layers: { truth: number[]; scores: number[] }[]; draws: number[][][]; distribution: number[]; low: number; high: number };
    scipy: { truth: number[]; scores: number[]; low: number; high: number; estimate: number };
  };
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/evaluation/evaluation-fixtures.json', import.meta.url), 'utf8')) as Fixtures;

describe('rank correlations (scipy.stats)', () => {
  for (const c of fixtures.correlations) {
    it(`${c.name}: Pearson, Spearman ρ and Kendall τ-b`, () => {
      expect(pearson(c.x, c.y)).toBeCloseTo(c.pearson, 12);
      expect(spearman(c.x, c.y)).toBeCloseTo(c.spearman, 12);
      expect(kendallTauB(c.x, c.y)).toBeCloseTo(c.kendall, 12);
    });
  }

  it('average ranks share tied positions; a constant scoring has no correlation', () => {
    expect(Array.from(averageRanks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2]);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(kendallTauB([1, 2, 3], [5, 5, 5])).toBeNaN();
  });
});

describe('bootstrap (numpy / scipy)', () => {
  it('percentile interpolates linearly as numpy.percentile', () => {
    const { values, q, expected } = fixtures.percentile;
    q.forEach((qq, i) => expect(percentile(values, qq)).toBeCloseTo(expected[i], 12));
  });

  it('the layer-mean distribution over given resamples equals numpy/scipy on the same indices', () => {
    const { layers, draws, distribution, low, high } = fixtures.bootstrap.explicit;
    const stats = layers.map((l) => ({
      n: l.truth.length,
      statistic: (idx: Int32Array) => spearman(Array.from(idx, (i) => l.truth[i]), Array.from(idx, (i) => l.scores[i])),
    }));
    const dist = bootstrapDistribution(stats, draws.length, (layer, b) => Int32Array.from(draws[b][layer]));
    dist.forEach((v, b) => expect(v).toBeCloseTo(distribution[b], 12));
    const interval = bootstrapLayerMean(stats, { resamples: draws.length, draw: (layer, b) => Int32Array.from(draws[b][layer]) });
    expect(interval.low).toBeCloseTo(low, 12);
    expect(interval.high).toBeCloseTo(high, 12);
  });

  it('the percentile interval of Spearman ρ agrees with scipy.stats.bootstrap within Monte Carlo error', () => {
    const { truth, scores, low, high, estimate } = fixtures.bootstrap.scipy;
    const interval = overallFidelity([{ truth, scores }], { resamples: 20000, seed: 3 }).spearman;
    expect(interval.estimate).toBeCloseTo(estimate, 12);
    // 20,000 resamples each: the 2.5% quantiles' standard errors are ≈ 0.005.
    expect(Math.abs(interval.low - low)).toBeLessThan(0.02);
    expect(Math.abs(interval.high - high)).toBeLessThan(0.02);
  });
});

describe('fidelity helpers and curve areas', () => {
  it('ground-truth key: accuracy drop first, margin drop breaks ties, exact repeats stay tied', () => {
    const key = lexicographicScores([0.1, 0, 0.1, 0, 0], [0.5, 0.2, 0.7, 0.2, -0.1]);
    expect(key).toEqual([4, 2.5, 5, 2.5, 1]);
  });

  it('precision@10%: top 10% (at least 1) overlap', () => {
    expect(topCount(6)).toBe(1);
    expect(topCount(32)).toBe(3);
    const truth = Array.from({ length: 30 }, (_, i) => i); // top 3: 29, 28, 27
    expect(precisionAt(truth, truth)).toBe(1);
    const scores = truth.map((v) => (v === 29 ? 100 : v === 0 ? 99 : v === 1 ? 98 : v));
    expect(precisionAt(truth, scores)).toBeCloseTo(1 / 3, 12);
  });

  it('removal orders and counts', () => {
    expect(removalOrder([0.3, 0.1, 0.3, 0.2], 'leastFirst')).toEqual([1, 3, 0, 2]);
    expect(removalOrder([0.3, 0.1, 0.3, 0.2], 'mostFirst')).toEqual([0, 2, 3, 1]);
    expect(removalCounts(6, [0, 0.1, 0.5, 0.9])).toEqual([0, 1, 3, 5]);
  });

  it('trapezoid area equals the closed form for piecewise-linear curves', () => {
    const x = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    // y = 0.8 − 0.5x: ∫_0^0.9 = 0.72 − 0.25·0.81 = 0.5175 (exact for a line).
    expect(curveArea(x, x.map((v) => 0.8 - 0.5 * v))).toBeCloseTo(0.5175, 12);
    // Flat at 0.7 until 0.4, then down to 0.1 at 0.9: 0.4·0.7 + 0.5·(0.7 + 0.1)/2 = 0.48.
    expect(curveArea(x, x.map((v) => (v <= 0.4 ? 0.7 : 0.7 - 1.2 * (v - 0.4))))).toBeCloseTo(0.48, 12);
    // Repeated x (round(f·C) equal for two fractions) adds no area.
    expect(curveArea([0, 1 / 6, 1 / 6, 2 / 6], [0.6, 0.5, 0.5, 0.4])).toBeCloseTo(((0.6 + 0.5) / 2 + (0.5 + 0.4) / 2) / 6, 12);
  });
});
