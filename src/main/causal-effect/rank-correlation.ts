/**
 * Rank correlation for CE maps: the evaluation module's Pearson and Spearman (scipy semantics, average
 * ranks for ties), with null instead of NaN when either side is constant, as the S3 reports print it.
 */
import { averageRanks, pearson as pearsonOrNaN, spearman as spearmanOrNaN } from '../evaluation/rank-correlation.js';

export { averageRanks };

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  return orNull(pearsonOrNaN(a, b));
}

export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  return orNull(spearmanOrNaN(a, b));
}

/** Median of the finite values; null when there are none. */
export function median(values: (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((x, y) => x - y);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

export function mean(values: (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return xs.length === 0 ? null : xs.reduce((s, v) => s + v, 0) / xs.length;
}
