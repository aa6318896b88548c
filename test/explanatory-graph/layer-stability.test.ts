/**
 * Issue 16's S2 statistics against the committed scipy fixture
 * (test/fixtures/explanatory-graph/make_layer_fixtures.py): per-layer Jaccard and Spearman of two
 * channel sets, their mean over runs, and the Student-t interval of a result repeated over seeds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tInterval } from '../../src/main/explanatory-graph/seed-interval.js';
import { meanAgreement, setAgreement } from '../../src/main/explanatory-graph/stability.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/explanatory-graph/layer-fixtures.json', import.meta.url), 'utf8'));

describe('per-layer stability', () => {
  it('gives each layer its own Jaccard and Spearman, as Python sets and scipy', () => {
    const s = fixture.stability;
    const a = setAgreement(s.a, s.b, (l, c) => s.scoresA[l][c], (l, c) => s.scoresB[l][c]);
    for (const [layer, expected] of Object.entries(s.layers) as [string, { jaccard: number; spearman: number | null }][]) {
      expect(a.layers![layer].jaccard).toBeCloseTo(expected.jaccard, 12);
      if (expected.spearman === null) expect(Number.isNaN(a.layers![layer].spearman)).toBe(true);
      else expect(a.layers![layer].spearman).toBeCloseTo(expected.spearman, 12);
    }
    // the same channels in another order are the same set
    expect(a.layers!.conv4.jaccard).toBe(1);
  });

  it('averages each layer over the runs that have it', () => {
    const m = meanAgreement([
      { jaccard: 0.5, spearman: 1, layers: { top: { jaccard: 1, spearman: 1 }, low: { jaccard: 0, spearman: Number.NaN } } },
      { jaccard: 0.25, spearman: 0, layers: { top: { jaccard: 0.5, spearman: 0 } } },
    ]);
    expect(m.layers).toEqual({ top: { jaccard: 0.75, spearman: 0.5 }, low: { jaccard: 0, spearman: Number.NaN } });
  });
});

describe('seed intervals', () => {
  it('match scipy’s Student-t 95% interval', () => {
    for (const c of fixture.tinterval) {
      const t = tInterval(c.values);
      expect(t.mean).toBeCloseTo(c.mean, 12);
      expect(t.lo).toBeCloseTo(c.lo, 10);
      expect(t.hi).toBeCloseTo(c.hi, 10);
    }
    expect(Number.isNaN(tInterval([0.3]).lo)).toBe(true);
  });
});
