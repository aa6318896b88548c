/**
 * The local scores of one gradual intervention (METHODS §5) from the model's logits on its frames
 * x_0…x_T: y_t = softmax(f(x_t))_c for the tracked class c (default: the prediction on x_0), the
 * EPGM and its shuffle p-value, Pearson ρ with t and its shuffle p-value, the prediction flips,
 * and the 5–95 % band of the shuffled curves for plotting.
 */
import { epgmShuffleTest, pearsonShuffleTest, quantileSorted, shuffleBand } from './shuffle-test.js';

export interface CurveScore {
  /** The tracked class c. */
  class: number;
  /** y_t, t = 0…T. */
  y: number[];
  /** argmax of the logits at each t. */
  predicted: number[];
  epgm: number;
  p: number;
  rho: number;
  rhoP: number;
  /** Number of t ≥ 1 whose prediction differs from the one at t − 1. */
  flips: number;
  /** y_T − y_0. */
  change: number;
  /** Per t: 5th and 95th percentile of the shuffled curves' values. */
  band: { lower: number[]; upper: number[] };
  /** The permutation EPGMs, summarized: [5 %, 25 %, 50 %, 75 %, 95 %] quantiles, and their mean. */
  nullEpgm: { quantiles: number[]; mean: number };
}

export const NULL_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

/** Softmax of each row of [n, k] logits, in float64. */
export function softmaxRows(logits: ArrayLike<number>, n: number, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[i * k + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += out[i * k + j] = Math.exp(logits[i * k + j] - max);
    for (let j = 0; j < k; j++) out[i * k + j] /= sum;
  }
  return out;
}

export function argmaxRows(values: ArrayLike<number>, n: number, k: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (values[i * k + j] > values[i * k + best]) best = j;
    return best;
  });
}

export function countFlips(predicted: number[]): number {
  let flips = 0;
  for (let i = 1; i < predicted.length; i++) if (predicted[i] !== predicted[i - 1]) flips++;
  return flips;
}

export function scoreCurve(logits: ArrayLike<number>, n: number, numClasses: number, perms: Int32Array[], targetClass?: number): CurveScore {
  if (n < 2) throw new Error(`a gradual intervention needs at least 2 frames, got ${n}`);
  if (targetClass !== undefined && !(Number.isInteger(targetClass) && targetClass >= 0 && targetClass < numClasses)) {
    throw new Error(`class ${targetClass} is out of range: the model has ${numClasses} classes`);
  }
  const probs = softmaxRows(logits, n, numClasses);
  const predicted = argmaxRows(logits, n, numClasses);
  const c = targetClass ?? predicted[0];
  const y = Array.from({ length: n }, (_, i) => probs[i * numClasses + c]);
  const test = epgmShuffleTest(y, perms);
  const pearson = pearsonShuffleTest(y, perms);
  const sortedNull = Float64Array.from(test.nullStats).sort();
  let nullMean = 0;
  for (const s of sortedNull) nullMean += s;
  return {
    class: c,
    y,
    predicted,
    epgm: test.epgm,
    p: test.p,
    rho: pearson.rho,
    rhoP: pearson.p,
    flips: countFlips(predicted),
    change: y[n - 1] - y[0],
    band: shuffleBand(y, perms),
    nullEpgm: { quantiles: NULL_QUANTILES.map((q) => quantileSorted(sortedNull, q)), mean: nullMean / sortedNull.length },
  };
}
