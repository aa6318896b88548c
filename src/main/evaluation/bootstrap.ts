/**
 * Bootstrap intervals for a statistic averaged over layers (METHODS §2: "mean over layers with a
 * bootstrap 95% interval"): each resample draws every layer's channels with replacement, recomputes
 * the per-layer statistic and averages it over the layers where it is defined; the interval is the
 * percentile interval of those averages (numpy's linear-interpolation percentile).
 */
import { mulberry32 } from '../data/seeded-random.js';

export interface LayerStatistic {
  /** Number of items (channels) in the layer. */
  n: number;
  /** The statistic on the items at `indices` (repeats allowed); NaN when undefined. */
  statistic: (indices: Int32Array) => number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** Draws `n` indices in [0, n) with replacement. */
export type IndexDraw = (layer: number, resample: number, n: number) => Int32Array;

export function seededDraw(seed: number): IndexDraw {
  const rng = mulberry32(seed);
  return (_layer, _resample, n) => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(rng() * n);
    return out;
  };
}

/** Mean of the finite values; NaN when there is none. */
export function finiteMean(values: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      count++;
    }
  }
  return count ? sum / count : Number.NaN;
}

/** The layer-mean of the statistic on every resample (resamples with no defined layer are NaN). */
export function bootstrapDistribution(layers: LayerStatistic[], resamples: number, draw: IndexDraw): Float64Array {
  const out = new Float64Array(resamples);
  const perLayer = new Float64Array(layers.length);
  for (let b = 0; b < resamples; b++) {
    layers.forEach((layer, l) => (perLayer[l] = layer.statistic(draw(l, b, layer.n))));
    out[b] = finiteMean(perLayer);
  }
  return out;
}

/** The q-th percentile (0–100) of the finite values, linear interpolation between order statistics. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (q / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Layer-mean of the statistic on all channels, with its percentile bootstrap interval. */
export function bootstrapLayerMean(
  layers: LayerStatistic[],
  options: { resamples?: number; confidence?: number; seed?: number; draw?: IndexDraw } = {},
): Interval {
  const { resamples = 1000, confidence = 0.95, seed = 0 } = options;
  const estimate = finiteMean(layers.map((l) => l.statistic(Int32Array.from({ length: l.n }, (_, i) => i))));
  const distribution = bootstrapDistribution(layers, resamples, options.draw ?? seededDraw(seed));
  const tail = ((1 - confidence) / 2) * 100;
  return { estimate, low: percentile(distribution, tail), high: percentile(distribution, 100 - tail) };
}
