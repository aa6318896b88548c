/**
 * The detection statistics issue 16 adds, against the committed numpy/scipy/sklearn fixture
 * (test/fixtures/causal-effect/make_detection_fixtures.py): the DeLong interval of an AUROC and of a
 * paired AUROC difference (fixture: Sun & Xu's fast mid-rank DeLong, a different route than ours),
 * the two-sided calibrated score and its two-fold cross-fitting, CE on the log-probability and logit
 * scales, and the detection summary's one- and two-sided AUROC of every score (sklearn roc_auc_score).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { effectsFromLogits } from '../../src/main/causal-effect/ce-map.js';
import { DETECTION_SCORES, detectionSummary, twoFolds, verdictOf } from '../../src/main/causal-effect/detection.js';
import { aurocInterval, crossFittedTwoSided, pairedAurocDifference, twoSidedScores } from '../../src/main/causal-effect/detection-statistics.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/causal-effect/detection-reference.json', import.meta.url), 'utf8'));

describe('DeLong intervals', () => {
  it('match the fast mid-rank DeLong of the fixture (AUROC, variance, 95% interval)', () => {
    for (const c of fixture.delong) {
      const i = aurocInterval(c.positives, c.negatives);
      expect(i.estimate).toBeCloseTo(c.auroc, 12);
      expect(i.lo).toBeCloseTo(c.lo, 10);
      expect(i.hi).toBeCloseTo(c.hi, 10);
      // the interval is symmetric about the estimate unless clipped
      if (c.hi < 1 && c.lo > 0) expect(((i.hi! - i.lo!) / (2 * 1.959963984540054)) ** 2).toBeCloseTo(c.variance, 10);
    }
  });

  it('give the paired difference of two correlated scores on the same images', () => {
    for (const c of fixture.paired) {
      const d = pairedAurocDifference(c.a.positives, c.a.negatives, c.b.positives, c.b.negatives);
      expect(d.estimate).toBeCloseTo(c.difference, 12);
      expect(d.lo).toBeCloseTo(c.lo, 10);
      expect(d.hi).toBeCloseTo(c.hi, 10);
    }
    // a score against itself: difference 0 with a zero-width interval
    const c = fixture.paired[0];
    const self = pairedAurocDifference(c.a.positives, c.a.negatives, c.a.positives, c.a.negatives);
    expect(self.estimate).toBe(0);
    expect(self.hi! - self.lo!).toBeCloseTo(0, 12);
  });

  it('have no interval with one image on a side, and name the verdict from the interval', () => {
    expect(aurocInterval([1], [0, 2])).toEqual({ estimate: 0.5, lo: null, hi: null });
    expect(verdictOf({ estimate: 0.1, lo: 0.02, hi: 0.18 })).toBe('better');
    expect(verdictOf({ estimate: -0.1, lo: -0.18, hi: -0.02 })).toBe('worse');
    expect(verdictOf({ estimate: 0.1, lo: -0.02, hi: 0.18 })).toBe('indistinguishable');
    expect(verdictOf({ estimate: 0.5, lo: null, hi: null })).toBe('undetermined');
  });
});

describe('two-sided detector', () => {
  it('scores |F(v) − ½| against the calibration sample, ties at mid-rank', () => {
    const t = fixture.twosided;
    const ours = twoSidedScores(t.calibration, t.values);
    ours.forEach((v, i) => expect(v).toBeCloseTo(t.scores[i], 12));
    // far outside the calibration range on either side: the largest distance, ½
    expect(ours.at(-1)).toBe(0.5);
    expect(ours.at(-2)).toBe(0.5);
  });

  it('cross-fits: each fold is scored against the other fold’s clean values', () => {
    const t = fixture.twosided;
    const ours = crossFittedTwoSided(t.positives, t.negatives, t.positiveFolds, t.negativeFolds);
    ours.positives.forEach((v, i) => expect(v).toBeCloseTo(t.crossFitted.positives[i], 12));
    ours.negatives.forEach((v, i) => expect(v).toBeCloseTo(t.crossFitted.negatives[i], 12));
    expect(aurocInterval(ours.positives, ours.negatives).estimate).toBeCloseTo(t.auroc, 12);
  });

  it('detects a shift in either direction, where a one-sided score detects only one', () => {
    const clean = Array.from({ length: 40 }, (_, i) => 10 + (Math.floor(i / 2) % 10));
    const up = Array.from({ length: 20 }, (_, i) => 30 + i);
    const down = Array.from({ length: 20 }, (_, i) => -i);
    const folds = clean.map((_, i) => i % 2);
    const two = crossFittedTwoSided([...up, ...down], clean, [...up, ...down].map((_, i) => i % 2), folds);
    expect(aurocInterval(two.positives, two.negatives).estimate).toBeCloseTo(1, 12);
    expect(aurocInterval([...up, ...down], clean).estimate).toBeCloseTo(0.5, 12);
  });

  it('splits images into two seeded folds of equal size', () => {
    const f = twoFolds(11, 3);
    expect(f.filter((x) => x === 0)).toHaveLength(6);
    expect(twoFolds(11, 3)).toEqual(f);
    expect(twoFolds(11, 4)).not.toEqual(f);
  });
});

describe('CE on three scales', () => {
  it('matches scipy softmax / log_softmax, unsaturated and saturated', () => {
    for (const s of fixture.scales) {
      const m = effectsFromLogits(s.clean, s.masked, s.cls, s.cells);
      for (let r = 0; r < s.cells; r++) {
        expect(m.ce[r]).toBeCloseTo(s.ce[r], 12);
        expect(m.ece[r]).toBeCloseTo(s.ece[r], 12);
        expect(m.ceLog[r]).toBeCloseTo(s.ceLog[r], 12);
        expect(m.ceLogit[r]).toBeCloseTo(s.ceLogit[r], 12);
      }
    }
    // Why the logit scale: at a saturated prediction probability and log-probability differences
    // vanish, logit differences do not.
    const maxAbs = (xs: ArrayLike<number>) => Math.max(...Array.from(xs, Math.abs));
    const saturated = fixture.scales.find((s: { boost: number }) => s.boost > 0);
    const m = effectsFromLogits(saturated.clean, saturated.masked, saturated.cls, saturated.cells);
    expect(maxAbs(m.ce)).toBeLessThan(1e-9);
    expect(maxAbs(m.ceLog)).toBeLessThan(1e-9);
    expect(maxAbs(m.ceLogit)).toBeGreaterThan(1);
  });
});

describe('detection summary', () => {
  it('gives every score the fixture’s one-sided and cross-fitted two-sided AUROC', () => {
    const d = fixture.detection;
    const summary = detectionSummary(d.images, 0, d.folds);
    expect(summary.scores.map((s) => s.name).sort()).toEqual(Object.keys(d.expected).sort());
    expect(DETECTION_SCORES.filter((s) => s.family === 'baseline').map((s) => s.name)).toEqual(['low-confidence', 'predictive-entropy']);
    for (const s of summary.scores) {
      expect(s.oneSided.estimate).toBeCloseTo(d.expected[s.name].oneSided, 12);
      expect(s.twoSided.estimate).toBeCloseTo(d.expected[s.name].twoSided, 12);
    }
    const byName = (n: string) => summary.scores.find((s) => s.name === n)!;
    const p = summary.primary;
    expect([p.ce, p.baseline]).toEqual(['ce-mass', 'low-confidence']);
    expect(p.difference.estimate).toBeCloseTo(byName('ce-mass').twoSided.estimate! - byName('low-confidence').twoSided.estimate!, 12);
    expect(p.verdict).toBe(verdictOf(p.difference));
    expect(p.sentence).toContain(byName('ce-mass').twoSided.estimate!.toFixed(2));
    // one-sided: each score in its better direction, so the difference is of max(A, 1 − A)
    const oriented = (n: string) => Math.max(byName(n).oneSided.estimate!, 1 - byName(n).oneSided.estimate!);
    expect(summary.oneSidedPrimary.difference.estimate).toBeCloseTo(oriented('ce-mass') - oriented('low-confidence'), 12);
    const bestCe = Math.max(...summary.scores.filter((s) => s.family === 'causal-effect').map((s) => s.twoSided.estimate!));
    expect(byName(summary.best.ce).twoSided.estimate).toBe(bestCe);
  });
});
