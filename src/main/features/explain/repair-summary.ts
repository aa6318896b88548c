/**
 * A stored repair (explain-service.ts) as the Class explanations panel, the report and the CLI show
 * it: the four accuracies with Wilson 95% intervals over the held-out images, each accuracy's change
 * on the same images with its paired interval and McNemar p (evaluation/paired-difference.ts), and
 * one sentence of plain words. Whether the change is clear follows the paired interval: the unpaired
 * ones ignore that before and after score the same images, and overlap when the change is real.
 */
import type { ExplainRepairResult, PairedAccuracyChange } from '../../../shared/analysis.js';
import { type PairedOutcomes, pairedDifference } from '../../evaluation/paired-difference.js';
import { wilsonInterval } from '../../evaluation/wilson-interval.js';
import type { RepairDto } from './explain-service.js';

type StoredRepair = Pick<RepairDto, 'className' | 'feature' | 'threshold' | 'removed' | 'before' | 'after' | 'paired' | 'images'>;

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
/** Whole points, with a typographic minus (as the change's sign). */
const whole = (x: number) => (100 * x).toFixed(0).replace('-', '−');
const span = ([lo, hi]: [number, number]) => `[${whole(lo)}, ${whole(hi)}]`;
const points = (x: number) => `${x > 0 ? '+' : ''}${whole(x)} points`;
export const pValueText = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toPrecision(2)}`);

function changeOf(counts: PairedOutcomes): PairedAccuracyChange {
  return { ...pairedDifference(counts), counts: { ...counts } };
}

export function repairSummary(r: StoredRepair): ExplainRepairResult {
  const n = r.images.evaluation;
  const ci = (p: number) => wilsonInterval(Math.round(p * n), n);
  const intervals = {
    before: { aligned: ci(r.before.aligned), conflicting: ci(r.before.conflicting) },
    after: { aligned: ci(r.after.aligned), conflicting: ci(r.after.conflicting) },
  };
  const change = r.paired ? { aligned: changeOf(r.paired.aligned), conflicting: changeOf(r.paired.conflicting) } : null;
  const ids = r.removed.map((x) => x.id);
  let sentence: string;
  if (ids.length === 0) {
    sentence = `No channel's share of p(${r.className}) grows by more than ${r.threshold} with the ${r.feature}: nothing was removed, so the model does not route the ${r.feature} through a few channels of this class's graph.`;
  } else {
    const [b, a] = [intervals.before.conflicting, intervals.after.conflicting];
    const moves =
      `Removing ${ids.join(', ')}, the channel${ids.length === 1 ? '' : 's'} through which the ${r.feature} raises p(${r.className}), moves accuracy on bias-conflicting images ` +
      `from ${pct(r.before.conflicting)} ${span(b)} to ${pct(r.after.conflicting)} ${span(a)} and on bias-aligned ones from ${pct(r.before.aligned)} to ${pct(r.after.aligned)} ` +
      `(${n} held-out images, Wilson 95% intervals)`;
    if (!change) {
      sentence = `${moves}; this repair was stored before the per-image outcomes were kept: run it again to see whether the change is clear.`;
    } else {
      const c = change.conflicting;
      const verdict =
        c.interval[0] > 0
          ? `the change is clear: the model leaned on the ${r.feature} for "${r.className}" through ${ids.length === 1 ? 'that channel' : 'those channels'}`
          : c.interval[1] < 0
            ? 'the change is clear: the repair made bias-conflicting images worse'
            : `on ${n} images the change is not clear`;
      sentence =
        `${moves}. On the same images, bias-conflicting accuracy changes by ${points(c.difference)} ${span(c.interval)} ` +
        `(paired 95% interval, Newcombe; McNemar ${pValueText(c.p)}; ${c.counts.afterOnly} images right only after, ${c.counts.beforeOnly} only before) ` +
        `and bias-aligned by ${points(change.aligned.difference)} ${span(change.aligned.interval)}; ${verdict}.`;
    }
  }
  return {
    className: r.className,
    feature: r.feature,
    removed: r.removed.map((x) => ({ id: x.id })),
    before: { aligned: r.before.aligned, conflicting: r.before.conflicting },
    after: { aligned: r.after.aligned, conflicting: r.after.conflicting },
    images: n,
    intervals,
    change,
    sentence,
  };
}
