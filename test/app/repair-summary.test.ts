/**
 * The repair as the Class explanations panel shows it, from the numbers `causeway repair` stored for
 * the bias-audit demo (class cat, 100 held-out images): intervals from scipy's Wilson interval
 * (test/fixtures/statistics/), the sentence naming the removed channel and both accuracies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repairSummary } from '../../src/main/features/explain/repair-summary.js';

const scipy = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/statistics/wilson-intervals.json'), 'utf8')) as { cases: { k: number; n: number; low: number; high: number }[] };
const wilson = (k: number) => scipy.cases.find((c) => c.k === k && c.n === 100)!;

const stored = {
  className: 'cat',
  feature: 'patch',
  threshold: 0.25,
  removed: [{ id: 'conv2:3', layer: 'conv2', channel: 3, effect: 0.83637, cleanEffect: 0.0112503, shareGrowth: 0.574042 }],
  before: { aligned: 0.71, conflicting: 0.33, clean: 0.61, groups: { classWithFeature: 1, classClean: 0, othersClean: 0.677778, othersWithFeature: 0.366667 } },
  after: { aligned: 0.6, conflicting: 0.55, clean: 0.6, groups: { classWithFeature: 0, classClean: 0, othersClean: 0.666667, othersWithFeature: 0.611111 } },
  images: { search: 20, evaluation: 100, evaluationClass: 10 },
};

describe('repairSummary', () => {
  it('puts a Wilson interval on each accuracy and says the result in words', () => {
    const r = repairSummary(stored);
    expect(r.images).toBe(100);
    expect(r.intervals.before.conflicting[0]).toBeCloseTo(wilson(33).low, 12);
    expect(r.intervals.after.conflicting[1]).toBeCloseTo(wilson(55).high, 12);
    expect(r.intervals.before.aligned[0]).toBeCloseTo(wilson(71).low, 12);
    // 33% [25, 43] and 55% [45, 64]: the intervals do not overlap.
    expect(r.sentence).toBe(
      'Removing conv2:3, the channel through which the patch raises p(cat), moves accuracy on bias-conflicting images from 33% [25, 43] to 55% [45, 64] and on bias-aligned ones from 71% to 60% ' +
        '(100 held-out images, Wilson 95% intervals); the intervals do not overlap: the model leaned on the patch for "cat" through that channel.',
    );
  });

  it('says when nothing was removed, and when the intervals overlap', () => {
    expect(repairSummary({ ...stored, removed: [] }).sentence).toMatch(/^No channel's share of p\(cat\) grows by more than 0.25 with the patch: nothing was removed/);
    expect(repairSummary({ ...stored, after: { ...stored.after, conflicting: 0.4 } }).sentence).toMatch(/the intervals overlap: on 100 images the change is not clear\.$/);
  });
});
