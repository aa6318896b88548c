/**
 * Deletion and insertion curves on a toy "model" whose p_c is the share of a known cell weight v
 * still present, so the AUC has a closed form: with v a permutation of 1…n and cells deleted in
 * decreasing v, p_k = 1 − (k·n − k(k−1)/2)/T (T = n(n+1)/2) and the trapezoid AUC is (2n+1)/(6n);
 * insertion in the same order gives (4n−1)/(6n), and the reversed order swaps the two.
 */
import { describe, expect, it } from 'vitest';
import { curveAuc, deletionMask, insertionMask, mapOrder } from '../../src/main/causal-effect/faithfulness.js';
import { mulberry32, shuffleInPlace } from '../../src/main/data/seeded-random.js';

function toyCurves(map: number[], weights: number[]) {
  const order = mapOrder(map);
  const n = map.length;
  const total = weights.reduce((a, b) => a + b, 0);
  const present = (filled: Uint8Array) => weights.reduce((s, w, i) => s + (filled[i] ? 0 : w), 0) / total;
  const deletion = Array.from({ length: n + 1 }, (_, k) => present(deletionMask(order, k)));
  const insertion = Array.from({ length: n + 1 }, (_, k) => present(insertionMask(order, k)));
  return { deletion, insertion, deletionAuc: curveAuc(deletion), insertionAuc: curveAuc(insertion) };
}

describe('deletion and insertion AUC', () => {
  for (const n of [4, 16, 64]) {
    it(`has the closed form for a perfect and a reversed map (n = ${n})`, () => {
      const weights = shuffleInPlace(Array.from({ length: n }, (_, i) => i + 1), mulberry32(n));
      const perfect = toyCurves(weights, weights);
      expect(perfect.deletion[0]).toBe(1);
      expect(perfect.deletion[n]).toBe(0);
      expect(perfect.insertion[0]).toBe(0);
      expect(perfect.insertion[n]).toBe(1);
      expect(perfect.deletionAuc).toBeCloseTo((2 * n + 1) / (6 * n), 12);
      expect(perfect.insertionAuc).toBeCloseTo((4 * n - 1) / (6 * n), 12);
      const reversed = toyCurves(weights.map((w) => -w), weights);
      expect(reversed.deletionAuc).toBeCloseTo((4 * n - 1) / (6 * n), 12);
      expect(reversed.insertionAuc).toBeCloseTo((2 * n + 1) / (6 * n), 12);
    });
  }

  it('orders ties by cell index and integrates by trapezoids', () => {
    expect(mapOrder([0.2, 0.5, 0.2, 0.9])).toEqual([3, 1, 0, 2]);
    expect(curveAuc([1, 0])).toBe(0.5);
    expect(curveAuc([1, 1, 0])).toBe(0.75);
    expect(() => curveAuc([1])).toThrow(/two points/);
  });
});
