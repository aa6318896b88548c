/**
 * The statistics S3 reports, against independent references: AUROC against the direct pairwise
 * count and sklearn (committed fixture), the ROC curve against sklearn's roc_curve, Spearman against
 * scipy, the Gaussian blur fill against scipy.ndimage, and the CE-map statistics in closed form.
 * Fixture: test/fixtures/causal-effect/make_cemap_fixtures.py.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gaussianBlur } from '../../src/main/causal-effect/fills.js';
import { mapStatistics } from '../../src/main/causal-effect/map-statistics.js';
import { averageRanks, spearman } from '../../src/main/causal-effect/rank-correlation.js';
import { auroc, rocCurve } from '../../src/main/causal-effect/roc.js';
import { seededValues } from '../helpers/tiny-models.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/causal-effect/cemap-reference.json', import.meta.url), 'utf8'));

/** P(score⁺ > score⁻) + ½·P(tie) over all pairs: the definition of AUROC, computed directly. */
function pairwiseAuroc(pos: number[], neg: number[]): number {
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

describe('AUROC and ROC', () => {
  it('equals the direct pairwise computation, ties included', () => {
    for (const seed of [1, 2, 3]) {
      const pos = Array.from(seededValues(seed, 41, 3), (v) => Math.round(v * 2) / 2);
      const neg = Array.from(seededValues(seed + 10, 29, 3), (v) => Math.round(v * 2) / 2 - 0.5);
      expect(auroc(pos, neg)).toBeCloseTo(pairwiseAuroc(pos, neg), 12);
    }
    expect(auroc([1, 2], [3, 4])).toBe(0);
    expect(auroc([5], [5, 5])).toBe(0.5);
    expect(auroc([], [1])).toBeNull();
  });

  it('matches sklearn roc_auc_score and roc_curve(drop_intermediate=False)', () => {
    for (const c of fixture.roc) {
      expect(auroc(c.positives, c.negatives)).toBeCloseTo(c.auroc, 12);
      const points = rocCurve(c.positives, c.negatives);
      expect(points.map((p) => p.fpr)).toHaveLength(c.fpr.length);
      points.forEach((p, i) => {
        expect(p.fpr).toBeCloseTo(c.fpr[i], 12);
        expect(p.tpr).toBeCloseTo(c.tpr[i], 12);
        // sklearn's first threshold is "above every score" (max + 1 in older releases, ∞ in newer); ours is null.
        if (i > 0) expect(p.threshold).toBe(c.thresholds[i]);
      });
      // The trapezoid area under the curve is the same AUROC.
      let area = 0;
      for (let i = 1; i < points.length; i++) area += ((points[i].fpr - points[i - 1].fpr) * (points[i].tpr + points[i - 1].tpr)) / 2;
      expect(area).toBeCloseTo(c.auroc, 12);
    }
  });
});

describe('rank correlation', () => {
  it('gives tied values the mean of their ranks', () => {
    expect(Array.from(averageRanks([3, 1, 3, 2, 3]))).toEqual([4, 1, 4, 2, 4]);
  });

  it('matches scipy.stats.spearmanr with ties, and is null for a constant map', () => {
    for (const c of fixture.spearman) expect(spearman(c.a, c.b)).toBeCloseTo(c.rho, 12);
    expect(spearman([1, 2, 3], [0, 0, 0])).toBeNull();
  });
});

describe('fills and CE-map statistics', () => {
  it('blurs like scipy.ndimage.gaussian_filter (mode nearest, truncate 3)', () => {
    const { height, width, channels, image, cases } = fixture.blur;
    for (const c of cases) {
      const ours = gaussianBlur(image, height, width, channels, c.sigma);
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - c.blurred[i]));
      expect(worst).toBeLessThan(1e-6);
    }
  });

  it('computes mass, max and entropy of |CE| in closed form', () => {
    const s = mapStatistics([0.5, -0.25, 0.25, 0]);
    expect(s.mass).toBeCloseTo(1, 12);
    expect(s.max).toBeCloseTo(0.5, 12);
    // q = (1/2, 1/4, 1/4, 0): H = 1.5·ln 2.
    expect(s.entropy).toBeCloseTo(1.5 * Math.LN2, 12);
    expect(mapStatistics([0, 0]).entropy).toBe(0);
    expect(mapStatistics(new Array(64).fill(0.01)).entropy).toBeCloseTo(Math.log(64), 12);
  });
});
