/** The Wilson interval against scipy.stats.binomtest(k, n).proportion_ci(method='wilson'). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/main/evaluation/wilson-interval.js';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/statistics/wilson-intervals.json'), 'utf8')) as { cases: { k: number; n: number; low: number; high: number }[] };

describe('wilsonInterval', () => {
  it.each(fixture.cases)('$k of $n matches scipy', ({ k, n, low, high }) => {
    const [lo, hi] = wilsonInterval(k, n);
    expect(lo).toBeCloseTo(low, 12);
    expect(hi).toBeCloseTo(high, 12);
  });
});
