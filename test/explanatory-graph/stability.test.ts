/** Jaccard and Spearman agreement of channel sets against closed forms and scipy (fixtures.json). */
import { describe, expect, it } from 'vitest';
import { bootstrapWeights, jaccard, meanAgreement, setAgreement } from '../../src/main/explanatory-graph/stability.js';
import { fixtures } from './helpers.js';

describe('stability statistics', () => {
  it('Jaccard: closed forms', () => {
    expect(jaccard(['a', 'b', 'c'], ['b', 'c', 'd'])).toBeCloseTo(2 / 4, 12);
    expect(jaccard(['a'], ['b'])).toBe(0);
    expect(jaccard(['a', 'a', 'b'], ['b', 'a'])).toBe(1);
    expect(jaccard([], [])).toBe(1);
  });

  it('set agreement: pooled Jaccard and the layer mean of Spearman on each union, as scipy', () => {
    const s = fixtures.stability;
    const agreement = setAgreement(s.a, s.b, (l, c) => s.scoresA[l][c], (l, c) => s.scoresB[l][c]);
    expect(agreement.jaccard).toBeCloseTo(s.jaccard, 12);
    expect(agreement.spearman).toBeCloseTo(s.spearman, 12);
  });

  it('identical sets and scores agree perfectly; reversed scores give ρ = −1', () => {
    const sets = { conv1: [0, 1, 2, 3] };
    const score = (_l: string, c: number) => c;
    expect(setAgreement(sets, sets, score, score)).toEqual({ jaccard: 1, spearman: 1, layers: { conv1: { jaccard: 1, spearman: 1 } } });
    expect(setAgreement(sets, sets, score, (_l, c) => -c).spearman).toBeCloseTo(-1, 12);
    expect(Number.isNaN(setAgreement({ conv1: [0, 1] }, { conv1: [0] }, score, score).spearman)).toBe(true); // < 3 channels
  });

  it('bootstrap weights are seeded counts of n draws; meanAgreement skips undefined values', () => {
    const w = bootstrapWeights(50, 3);
    expect(w.reduce((a, b) => a + b, 0)).toBe(50);
    expect(Array.from(w)).toEqual(Array.from(bootstrapWeights(50, 3)));
    expect(Array.from(w)).not.toEqual(Array.from(bootstrapWeights(50, 4)));
    // The share of images drawn at least once is about 1 − 1/e.
    const drawn = Array.from(bootstrapWeights(10_000, 1)).filter((x) => x > 0).length / 10_000;
    expect(drawn).toBeCloseTo(1 - Math.exp(-1), 1);
    expect(meanAgreement([{ jaccard: 0.5, spearman: Number.NaN }, { jaccard: 1, spearman: 0.2 }])).toEqual({ jaccard: 0.75, spearman: 0.2, layers: {} });
  });
});
