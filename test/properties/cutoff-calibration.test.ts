/**
 * The S4 cut-off calibration (issue 16) against the committed scipy/numpy fixture
 * (test/fixtures/properties/make_calibration_fixtures.py): Wilson intervals against
 * scipy.stats.binomtest, rounding up to two significant digits against an enumerated grid, and the
 * calibrated cut-off of random control curves with the share it flags on each control.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrateCutoff, effectPerUnit, flaggedRate, isFlagged, roundUpAbove, wilson } from '../../src/main/properties/cutoff-calibration.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/properties/calibration.json', import.meta.url), 'utf8'));

describe('cut-off calibration', () => {
  it('Wilson 95% intervals match scipy', () => {
    for (const c of fixture.wilson) {
      const r = wilson(c.count, c.n);
      expect(r.rate).toBe(c.count / c.n);
      expect(r.lo).toBeCloseTo(c.lo, 12);
      expect(r.hi).toBeCloseTo(c.hi, 12);
    }
  });

  it('rounds up to the next two-significant-digit number, strictly above', () => {
    for (const c of fixture.roundup) expect(roundUpAbove(c.x)).toBe(c.up);
    expect(roundUpAbove(0)).toBe(0);
  });

  it('chooses the cut-off of the fixture, flagging at most 5% of each control', () => {
    const { controls, alpha, cutoff, flagged } = fixture.cutoff;
    expect(calibrateCutoff(controls, alpha)).toBe(cutoff);
    controls.forEach((curves: { epgm: number; frames: number; p: number }[], i: number) => {
      const r = flaggedRate(curves, cutoff, alpha);
      expect(r.count).toBe(flagged[i]);
      expect(r.count).toBeLessThanOrEqual(Math.floor(0.05 * curves.length));
    });
    // one step below the cut-off flags more than 5% of some control: it is the smallest that works
    const below = cutoff - 10 ** (Math.floor(Math.log10(cutoff)) - 1);
    expect(controls.some((curves: { epgm: number; frames: number; p: number }[]) => flaggedRate(curves, below, alpha).count > Math.floor(0.05 * curves.length))).toBe(true);
  });

  it('flags only significant curves, by EPGM·T', () => {
    expect(effectPerUnit({ epgm: 0.002, frames: 101, p: 0 })).toBeCloseTo(0.2, 12);
    expect(isFlagged({ epgm: 0.002, frames: 101, p: 0.01 }, 0.2, 0.05)).toBe(true);
    expect(isFlagged({ epgm: 0.002, frames: 101, p: 0.05 }, 0.2, 0.05)).toBe(false);
    expect(isFlagged({ epgm: 0.0019, frames: 101, p: 0.01 }, 0.2, 0.05)).toBe(false);
    expect(calibrateCutoff([[{ epgm: 1, frames: 101, p: 1 }]], 0.05)).toBe(0);
  });
});
