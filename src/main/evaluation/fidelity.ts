/**
 * Rank fidelity of a criterion against true ablation (METHODS §2), per layer and over layers:
 * Spearman ρ and Kendall τ-b between the criterion's scores and the ground-truth key, and
 * precision@10%: the share of the truly top 10% (at least 1) channels that the criterion also puts in
 * its top 10%. Higher score = more important, for truth and criteria alike; equal scores in a top-k
 * cut are taken in channel order. Over layers: the mean of the per-layer values, with a bootstrap
 * interval over channels.
 */
import { type Interval, bootstrapLayerMean, finiteMean } from './bootstrap.js';
import { averageRanks, kendallTauB, spearman } from './rank-correlation.js';

/**
 * One score per item ordering by `primary`, ties broken by `secondary` (both: larger = more
 * important): the average rank of the (primary, secondary) pair. (The ground truth orders by margin
 * drop alone since issue 12; an accuracy-first key is available through this for comparisons.)
 */
export function lexicographicScores(primary: ArrayLike<number>, secondary: ArrayLike<number>): number[] {
  const n = primary.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => primary[a] - primary[b] || secondary[a] - secondary[b]);
  const dense = new Float64Array(n);
  let level = 0;
  order.forEach((item, i) => {
    if (i > 0 && (primary[item] !== primary[order[i - 1]] || secondary[item] !== secondary[order[i - 1]])) level++;
    dense[item] = level;
  });
  return Array.from(averageRanks(dense));
}

/** The k items with the largest scores (ties: lower index first). */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
}

export function topCount(channels: number, fraction = 0.1): number {
  return Math.min(channels, Math.max(1, Math.round(fraction * channels)));
}

export function precisionAt(truth: ArrayLike<number>, scores: ArrayLike<number>, fraction = 0.1): number {
  const k = topCount(truth.length, fraction);
  const top = new Set(topK(truth, k));
  return topK(scores, k).filter((i) => top.has(i)).length / k;
}

export interface LayerFidelity {
  spearman: number;
  kendall: number;
  precisionAt10: number;
}

export function layerFidelity(truth: ArrayLike<number>, scores: ArrayLike<number>): LayerFidelity {
  return { spearman: spearman(truth, scores), kendall: kendallTauB(truth, scores), precisionAt10: precisionAt(truth, scores) };
}

export interface OverallFidelity {
  /** Layers where the criterion exists. */
  layers: number;
  spearman: Interval;
  kendall: Interval;
  precisionAt10: number;
}

export interface ScoredLayer {
  truth: ArrayLike<number>;
  scores: ArrayLike<number>;
}

/** Layer-mean ρ and τ-b with bootstrap intervals (channels resampled within each layer), mean precision@10%. */
export function overallFidelity(layers: ScoredLayer[], options: { resamples?: number; seed?: number } = {}): OverallFidelity {
  const pick = (values: ArrayLike<number>, idx: Int32Array) => Float64Array.from(idx, (i) => values[i]);
  const statistic = (fn: (a: ArrayLike<number>, b: ArrayLike<number>) => number) =>
    layers.map((l) => ({ n: l.truth.length, statistic: (idx: Int32Array) => fn(pick(l.truth, idx), pick(l.scores, idx)) }));
  return {
    layers: layers.length,
    spearman: bootstrapLayerMean(statistic(spearman), options),
    kendall: bootstrapLayerMean(statistic(kendallTauB), options),
    precisionAt10: finiteMean(layers.map((l) => precisionAt(l.truth, l.scores))),
  };
}
