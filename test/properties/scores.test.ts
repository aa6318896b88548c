/** EPGM, shuffle p-values, Pearson ρ and the shuffle band against numpy/scipy (test/fixtures/properties/scores.json). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { epgm, gradient } from '../../src/main/properties/epgm.js';
import { argmaxRows, countFlips, scoreCurve, softmaxRows } from '../../src/main/properties/score-curve.js';
import { epgmShuffleTest, pearsonShuffleTest, quantileSorted, seededPermutations, shuffleBand, twoSidedP } from '../../src/main/properties/shuffle-test.js';

interface CurveFixture {
  name: string;
  seed: number;
  permutations: number;
  y: number[];
  firstPermutations: number[][];
  gradient: number[];
  epgm: number;
  p: number;
  rho: number;
  rhoP: number;
  nullMean: number;
  bandLower: number[];
  bandUpper: number[];
}

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/properties/scores.json', import.meta.url), 'utf8')) as CurveFixture[];

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol);
};

describe.each(fixtures)('curve "$name" against numpy', (f) => {
  const perms = seededPermutations(f.y.length, f.permutations, f.seed);

  it('draws the same seeded permutations as the numpy port of mulberry32 + Fisher–Yates', () => {
    expect(f.firstPermutations.map((_, k) => Array.from(perms[k]))).toEqual(f.firstPermutations);
  });

  it('gradient and EPGM follow numpy.gradient', () => {
    close(gradient(f.y), f.gradient, 1e-15);
    expect(epgm(f.y)).toBeCloseTo(f.epgm, 14);
  });

  it('the EPGM shuffle p-value matches exactly', () => {
    const test = epgmShuffleTest(f.y, perms);
    expect(test.epgm).toBeCloseTo(f.epgm, 14);
    expect(test.p).toBe(f.p);
    const mean = test.nullStats.reduce((s, v) => s + v, 0) / test.nullStats.length;
    expect(mean).toBeCloseTo(f.nullMean, 13);
  });

  it('Pearson ρ (scipy.stats.pearsonr) and its shuffle p-value match', () => {
    const { rho, p } = pearsonShuffleTest(f.y, perms);
    expect(rho).toBeCloseTo(f.rho, 12);
    expect(p).toBe(f.rhoP);
  });

  it('the 5–95 % band of the shuffled curves matches numpy.quantile', () => {
    const band = shuffleBand(f.y, perms);
    close(band.lower, f.bandLower, 1e-12);
    close(band.upper, f.bandUpper, 1e-12);
  });
});

describe('shuffle test properties', () => {
  it('a constant curve is never significant (p = 1 for EPGM and ρ)', () => {
    const perms = seededPermutations(21, 1000, 3);
    const y = new Array(21).fill(0.7);
    expect(epgmShuffleTest(y, perms).p).toBe(1);
    expect(pearsonShuffleTest(y, perms)).toEqual({ rho: 0, p: 1 });
  });

  it('p is two-sided about the permutation mean', () => {
    const nullStats = Float64Array.of(1, 2, 3, 4, 5); // mean 3
    expect(twoSidedP(3, nullStats)).toBe(1);
    expect(twoSidedP(5, nullStats)).toBe(0.4); // |1−3|, |5−3| ≥ 2
    expect(twoSidedP(1, nullStats)).toBe(0.4);
    expect(twoSidedP(0, nullStats)).toBe(0);
  });

  it('different seeds give different permutations; the same seed the same ones', () => {
    const a = seededPermutations(50, 10, 1);
    const b = seededPermutations(50, 10, 2);
    expect(Array.from(a[0])).not.toEqual(Array.from(b[0]));
    expect(Array.from(a[0]).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(seededPermutations(50, 10, 1)).toBe(a);
  });

  it('quantileSorted is numpy.quantile (linear)', () => {
    const s = [1, 2, 4, 8];
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(8);
    expect(quantileSorted(s, 0.5)).toBe(3);
    expect(quantileSorted(s, 0.25)).toBeCloseTo(1.75, 15);
  });
});

describe('scoreCurve from logits', () => {
  it('tracks the predicted class of x_0 by default, counts flips, and scores softmax_c', () => {
    // 3 frames × 2 classes: prediction 0, 1, 0 → 2 flips
    const logits = Float32Array.of(2, 0, 0, 1, 1, -1);
    const perms = seededPermutations(3, 1000, 0);
    const s = scoreCurve(logits, 3, 2, perms);
    expect(s.class).toBe(0);
    expect(s.predicted).toEqual([0, 1, 0]);
    expect(s.flips).toBe(2);
    const probs = softmaxRows(logits, 3, 2);
    expect(s.y).toEqual([probs[0], probs[2], probs[4]]);
    expect(s.y[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(s.epgm).toBe(epgm(s.y));
    expect(s.change).toBe(s.y[2] - s.y[0]);
    expect(scoreCurve(logits, 3, 2, perms, 1).class).toBe(1);
    expect(() => scoreCurve(logits, 3, 2, perms, 2)).toThrow(/class 2 is out of range/);
  });

  it('argmax and flips', () => {
    expect(argmaxRows([0, 1, 5, 2], 2, 2)).toEqual([1, 0]);
    expect(countFlips([1, 1, 2, 2, 1])).toBe(2);
  });
});
