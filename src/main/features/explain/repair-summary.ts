/**
 * A stored repair (explain-service.ts) as the Class explanations panel shows it: the four
 * accuracies with Wilson 95% intervals over the held-out images, and one sentence of plain words.
 * The intervals are per accuracy; before and after are measured on the same images, so
 * non-overlapping intervals are a conservative sign of a real change [ours].
 */
import type { ExplainRepairResult } from '../../../shared/analysis.js';
import { wilsonInterval } from '../../evaluation/wilson-interval.js';
import type { RepairDto } from './explain-service.js';

type StoredRepair = Pick<RepairDto, 'className' | 'feature' | 'threshold' | 'removed' | 'before' | 'after' | 'images'>;

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const span = ([lo, hi]: [number, number]) => `[${(100 * lo).toFixed(0)}, ${(100 * hi).toFixed(0)}]`;

export function repairSummary(r: StoredRepair): ExplainRepairResult {
  const n = r.images.evaluation;
  const ci = (p: number) => wilsonInterval(Math.round(p * n), n);
  const intervals = {
    before: { aligned: ci(r.before.aligned), conflicting: ci(r.before.conflicting) },
    after: { aligned: ci(r.after.aligned), conflicting: ci(r.after.conflicting) },
  };
  const ids = r.removed.map((x) => x.id);
  let sentence: string;
  if (ids.length === 0) {
    sentence = `No channel's share of p(${r.className}) grows by more than ${r.threshold} with the ${r.feature}: nothing was removed, so the model does not route the ${r.feature} through a few channels of this class's graph.`;
  } else {
    const [b, a] = [intervals.before.conflicting, intervals.after.conflicting];
    const verdict =
      a[0] > b[1]
        ? `the intervals do not overlap: the model leaned on the ${r.feature} for "${r.className}" through ${ids.length === 1 ? 'that channel' : 'those channels'}`
        : a[1] < b[0]
          ? 'the intervals do not overlap: the repair made bias-conflicting images worse'
          : `the intervals overlap: on ${n} images the change is not clear`;
    sentence =
      `Removing ${ids.join(', ')}, the channel${ids.length === 1 ? '' : 's'} through which the ${r.feature} raises p(${r.className}), moves accuracy on bias-conflicting images ` +
      `from ${pct(r.before.conflicting)} ${span(b)} to ${pct(r.after.conflicting)} ${span(a)} and on bias-aligned ones from ${pct(r.before.aligned)} to ${pct(r.after.aligned)} ` +
      `(${n} held-out images, Wilson 95% intervals); ${verdict}.`;
  }
  return {
    className: r.className,
    feature: r.feature,
    removed: r.removed.map((x) => ({ id: x.id })),
    before: { aligned: r.before.aligned, conflicting: r.before.conflicting },
    after: { aligned: r.after.aligned, conflicting: r.after.conflicting },
    images: n,
    intervals,
    sentence,
  };
}
