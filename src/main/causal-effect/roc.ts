/**
 * Detection quality of a score: AUROC by the Mann–Whitney statistic with mid-ranks for ties (equal to
 * sklearn.metrics.roc_auc_score), and the ROC curve with one point per distinct threshold (as
 * sklearn.metrics.roc_curve with drop_intermediate=False). Positives are the adversarial images; a
 * larger score means "more likely adversarial". AUROC < 0.5 means the statistic falls under attack.
 */
import { averageRanks } from './rank-correlation.js';

export interface RocPoint {
  /** Images with score ≥ threshold are called adversarial; null for the first point (+∞). */
  threshold: number | null;
  fpr: number;
  tpr: number;
}

export function auroc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number | null {
  const p = positives.length;
  const q = negatives.length;
  if (p === 0 || q === 0) return null;
  const ranks = averageRanks([...Array.from(positives), ...Array.from(negatives)]);
  let sum = 0;
  for (let i = 0; i < p; i++) sum += ranks[i];
  return (sum - (p * (p + 1)) / 2) / (p * q);
}

/** ROC points from (0, 0) (threshold +∞) to (1, 1), thresholds decreasing. */
export function rocCurve(positives: ArrayLike<number>, negatives: ArrayLike<number>): RocPoint[] {
  const scored = [...Array.from(positives, (s) => ({ s, pos: 1 })), ...Array.from(negatives, (s) => ({ s, pos: 0 }))].sort((a, b) => b.s - a.s);
  const P = positives.length;
  const N = negatives.length;
  const points: RocPoint[] = [{ threshold: null, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < scored.length; ) {
    const threshold = scored[i].s;
    while (i < scored.length && scored[i].s === threshold) {
      if (scored[i].pos) tp++;
      else fp++;
      i++;
    }
    points.push({ threshold, fpr: N > 0 ? fp / N : 0, tpr: P > 0 ? tp / P : 0 });
  }
  return points;
}
