import { describe, expect, it } from 'vitest';
import { allocateProportionally, batchesOf, selectIndices, splitIndices } from '../../src/main/data/sampling.js';
import { mulberry32, shuffleInPlace } from '../../src/main/data/seeded-random.js';

// 100 images: class 0 ×50, class 1 ×30, class 2 ×20, interleaved.
const labels = Int32Array.from({ length: 100 }, (_, i) => (i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2));
const countPerClass = (indices: number[]) => {
  const counts = [0, 0, 0];
  for (const i of indices) counts[labels[i]]++;
  return counts;
};

describe('seeded random', () => {
  it('mulberry32 is deterministic per seed and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it('shuffleInPlace permutes (arrays and typed arrays)', () => {
    const array = shuffleInPlace(Array.from({ length: 50 }, (_, i) => i), mulberry32(1));
    expect([...array].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(array).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const typed = shuffleInPlace(Int32Array.from([1, 2, 3, 4, 5]), mulberry32(1));
    expect(Array.from(typed).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('selectIndices', () => {
  it('no limit → all in order; limit → the first N', () => {
    expect(selectIndices(labels)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(selectIndices(labels, { limit: 7 })).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(selectIndices(labels, { limit: 500, stratified: true })).toHaveLength(100);
    expect(() => selectIndices(labels, { limit: -1 })).toThrow(/non-negative integer/);
  });

  it('stratified: largest-remainder allocation summing to the limit, ascending, no repeats', () => {
    // 11 · (0.5, 0.3, 0.2) = 5.5, 3.3, 2.2 → floors 5, 3, 2 and the one left goes to class 0.
    const chosen = selectIndices(labels, { limit: 11, stratified: true, seed: 3 });
    expect(chosen).toHaveLength(11);
    expect(countPerClass(chosen)).toEqual([6, 3, 2]);
    expect([...chosen].sort((a, b) => a - b)).toEqual(chosen);
    expect(new Set(chosen).size).toBe(11);
    expect(countPerClass(selectIndices(labels, { limit: 10, stratified: true }))).toEqual([5, 3, 2]);
    // 9 · (0.5, 0.3, 0.2) = 4.5, 2.7, 1.8 → floors 4, 2, 1; the two left go to the largest remainders .8, .7.
    expect(allocateProportionally([50, 30, 20], 9)).toEqual([4, 3, 2]);
  });

  it('same seed → same indices; different seed → different', () => {
    const a = selectIndices(labels, { limit: 20, stratified: true, seed: 7 });
    expect(selectIndices(labels, { limit: 20, stratified: true, seed: 7 })).toEqual(a);
    expect(selectIndices(labels, { limit: 20, stratified: true, seed: 8 })).not.toEqual(a);
  });
});

describe('splitIndices', () => {
  it('is disjoint, covers everything, stratified 80/20, seeded', () => {
    const indices = Array.from({ length: 100 }, (_, i) => i);
    const { train, evaluation } = splitIndices(indices, labels, 0.8, 5);
    expect(train).toHaveLength(80);
    expect(evaluation).toHaveLength(20);
    expect([...train, ...evaluation].sort((a, b) => a - b)).toEqual(indices);
    expect(countPerClass(train)).toEqual([40, 24, 16]);
    expect(countPerClass(evaluation)).toEqual([10, 6, 4]);
    expect(splitIndices(indices, labels, 0.8, 5)).toEqual({ train, evaluation });
    expect(splitIndices(indices, labels, 0.8, 6).train).not.toEqual(train);
  });

  it('splits a subset and rejects fractions outside (0, 1)', () => {
    const subset = [1, 5, 8, 13, 22, 40, 41, 60, 77, 99];
    const { train, evaluation } = splitIndices(subset, labels, 0.5);
    expect([...train, ...evaluation].sort((a, b) => a - b)).toEqual(subset);
    expect(train).toHaveLength(5);
    expect(() => splitIndices(subset, labels, 1)).toThrow(/between 0 and 1/);
  });
});

describe('batchesOf', () => {
  it('yields consecutive slices, the last one shorter', () => {
    expect([...batchesOf([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...batchesOf([], 3)]).toEqual([]);
    expect(() => [...batchesOf([1], 0)]).toThrow(/positive integer/);
  });
});
