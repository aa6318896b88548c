/**
 * The paired change of an accuracy against test/fixtures/statistics/make_paired_difference_fixture.py:
 * Newcombe's method 10 written in numpy over scipy's Wilson intervals, McNemar's exact p as scipy's
 * binomtest of the discordant pairs (1100 of them in the last case, past where ½^m underflows).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairedDifference, pairedOutcomes } from '../../src/main/evaluation/paired-difference.js';

interface Case { both: number; afterOnly: number; beforeOnly: number; neither: number; difference: number; low: number; high: number; p: number }
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/statistics/paired-differences.json'), 'utf8')) as { cases: Case[] };

describe('pairedDifference', () => {
  it.each(fixture.cases)('$both / $afterOnly / $beforeOnly / $neither matches the reference', ({ both, afterOnly, beforeOnly, neither, difference, low, high, p }) => {
    const d = pairedDifference({ both, afterOnly, beforeOnly, neither });
    expect(d.difference).toBeCloseTo(difference, 12);
    expect(d.interval[0]).toBeCloseTo(low, 10);
    expect(d.interval[1]).toBeCloseTo(high, 10);
    expect(d.p).toBeCloseTo(p, 10);
  });

  it('is undefined on no images', () => {
    const d = pairedDifference({ both: 0, afterOnly: 0, beforeOnly: 0, neither: 0 });
    expect(d.difference).toBeNaN();
    expect(d.interval[0]).toBeNaN();
  });
});

describe('pairedOutcomes', () => {
  it('counts each image by its correctness before and after', () => {
    expect(pairedOutcomes([1, 1, 0, 0, 1, 0], [1, 0, 1, 0, 1, 1])).toEqual({ both: 2, beforeOnly: 1, afterOnly: 2, neither: 1 });
  });

  it('refuses outcomes of different images', () => {
    expect(() => pairedOutcomes([1, 0], [1])).toThrow('paired outcomes need as many images after (1) as before (2)');
  });
});
