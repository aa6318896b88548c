/**
 * The repair as the Class explanations panel shows it, from the numbers `causeway repair` stored for
 * the bias-audit demo (class cat, 100 held-out images): intervals from scipy's Wilson interval and
 * the paired change from the Newcombe/McNemar reference (test/fixtures/statistics/), the sentence
 * naming the removed channel, both accuracies, and a verdict that follows the paired interval.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repairSummary } from '../../src/main/features/explain/repair-summary.js';

const scipy = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/statistics/wilson-intervals.json'), 'utf8')) as { cases: { k: number; n: number; low: number; high: number }[] };
const wilson = (k: number) => scipy.cases.find((c) => c.k === k && c.n === 100)!;
type Counts = { both: number; beforeOnly: number; afterOnly: number; neither: number };
const reference = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/statistics/paired-differences.json'), 'utf8')) as { cases: (Counts & { low: number; high: number; p: number })[] };
const paired = (both: number, afterOnly: number, beforeOnly: number, neither: number) =>
  reference.cases.find((c) => c.both === both && c.afterOnly === afterOnly && c.beforeOnly === beforeOnly && c.neither === neither)!;
const counts = ({ both, beforeOnly, afterOnly, neither }: Counts): Counts => ({ both, beforeOnly, afterOnly, neither });
// 33% → 55% conflicting and 71% → 60% aligned, as per-image tables of the 100 images.
const conflicting = paired(30, 25, 3, 42);
const aligned = paired(55, 5, 16, 24);

const stored = {
  className: 'cat',
  feature: 'patch',
  threshold: 0.25,
  removed: [{ id: 'conv2:3', layer: 'conv2', channel: 3, effect: 0.83637, cleanEffect: 0.0112503, shareGrowth: 0.574042 }],
  before: { aligned: 0.71, conflicting: 0.33, clean: 0.61, groups: { classWithFeature: 1, classClean: 0, othersClean: 0.677778, othersWithFeature: 0.366667 } },
  after: { aligned: 0.6, conflicting: 0.55, clean: 0.6, groups: { classWithFeature: 0, classClean: 0, othersClean: 0.666667, othersWithFeature: 0.611111 } },
  paired: { conflicting: counts(conflicting), aligned: counts(aligned) },
  images: { search: 20, evaluation: 100, evaluationClass: 10 },
};

describe('repairSummary', () => {
  it('puts a Wilson interval on each accuracy, the paired change on each, and says the result in words', () => {
    const r = repairSummary(stored);
    expect(r.images).toBe(100);
    expect(r.intervals.before.conflicting[0]).toBeCloseTo(wilson(33).low, 12);
    expect(r.intervals.after.conflicting[1]).toBeCloseTo(wilson(55).high, 12);
    expect(r.intervals.before.aligned[0]).toBeCloseTo(wilson(71).low, 12);
    expect(r.change!.conflicting.interval[0]).toBeCloseTo(conflicting.low, 10);
    expect(r.change!.conflicting.interval[1]).toBeCloseTo(conflicting.high, 10);
    expect(r.change!.conflicting.p).toBeCloseTo(conflicting.p, 12);
    expect(r.change!.aligned.interval[1]).toBeCloseTo(aligned.high, 10);
    expect(r.change!.conflicting.counts).toEqual(counts(conflicting));
    // +22 points [12.1, 31.1], McNemar p = 2.7e-5; aligned −11 [−19.7, −2.0].
    expect(r.sentence).toBe(
      'Removing conv2:3, the channel through which the patch raises p(cat), moves accuracy on bias-conflicting images from 33% [25, 43] to 55% [45, 64] and on bias-aligned ones from 71% to 60% ' +
        '(100 held-out images, Wilson 95% intervals). On the same images, bias-conflicting accuracy changes by +22 points [12, 31] (paired 95% interval, Newcombe; McNemar p < 0.001; ' +
        '25 images right only after, 3 only before) and bias-aligned by −11 points [−20, −2]; the change is clear: the model leaned on the patch for "cat" through that channel.',
    );
  });

  it('says when nothing was removed, when the paired interval holds 0, and when the paired outcomes were not stored', () => {
    expect(repairSummary({ ...stored, removed: [] }).sentence).toMatch(/^No channel's share of p\(cat\) grows by more than 0.25 with the patch: nothing was removed/);
    // 33% → 40%: paired interval [−1.2, 15.0] points holds 0.
    const unclear = paired(28, 12, 5, 55);
    const r = repairSummary({ ...stored, after: { ...stored.after, conflicting: 0.4 }, paired: { ...stored.paired, conflicting: counts(unclear) } });
    expect(r.change!.conflicting.interval[0]).toBeCloseTo(unclear.low, 10);
    expect(r.sentence).toMatch(/changes by \+7 points \[−1, 15\] \(paired 95% interval, Newcombe; McNemar p = 0\.14; .*; on 100 images the change is not clear\.$/);
    const older = repairSummary({ ...stored, paired: undefined });
    expect(older.change).toBeNull();
    expect(older.sentence).toMatch(/stored before the per-image outcomes were kept: run it again to see whether the change is clear\.$/);
  });
});
