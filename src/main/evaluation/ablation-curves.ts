/**
 * Cumulative ablation curves in the real network (METHODS §2; the paper's Figures 2–4): remove
 * round(f·C) filters for f = 0, 0.1, …, 0.9 in the order a criterion gives — least important first
 * or most important first — and measure accuracy; per layer (suffix re-runs from the layer's
 * frontier) and globally over a pool of filters from many layers (full passes). The area under a
 * curve is the trapezoid rule over the fraction actually removed (round(f·C)/C).
 * Identical masks (orders often agree on the first few filters) are run once.
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import type { ImageBatch } from './evaluation-images.js';
import { type BatchCache, type Mask, type MaskRunOptions, outcomesUnderMasks } from './masked-outcomes.js';

export type Direction = 'leastFirst' | 'mostFirst';

export { defaultFractions } from '../../shared/features/rankings.js';

/** Items in removal order: ascending score (least important first) or descending; ties by index. */
export function removalOrder(scores: ArrayLike<number>, direction: Direction): number[] {
  const sign = direction === 'leastFirst' ? 1 : -1;
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => sign * (scores[a] - scores[b]) || a - b);
}

export function removalCounts(items: number, fractions: number[]): number[] {
  return fractions.map((f) => Math.round(f * items));
}

/** Trapezoid rule: ∫ y dx over the given points (x ascending). */
export function curveArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`${x.length} x values for ${y.length} y values`);
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}

export interface FilterRef {
  layer: string;
  channel: number;
}

export interface CurveSet {
  /** Filters removed at each point, and that count as a fraction of the pool. */
  removed: number[];
  fractionRemoved: number[];
  /** Accuracy at each point, one row per order, in the order given. */
  accuracy: number[][];
}

/** Zero masks over `pool` for the first `count` entries of `order` (indices into pool), grouped by layer. */
function maskOf(pool: FilterRef[], order: number[], count: number): Mask {
  const byLayer = new Map<string, number[]>();
  for (const i of order.slice(0, count)) {
    const { layer, channel } = pool[i];
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), channel]);
  }
  return [...byLayer].map(([layer, channels]) => ({ layer, channels: channels.sort((a, b) => a - b), kind: 'zero' as const }));
}

/**
 * Accuracy when removing the first round(f·|pool|) filters of each order. `frontierLayer` set: every
 * filter lies in that layer and the suffix is re-run from its frontier; otherwise full passes.
 */
export async function ablationCurves(
  model: LoadedModel,
  batches: ImageBatch[],
  pool: FilterRef[],
  orders: number[][],
  fractions: number[],
  frontierLayer: string | undefined,
  options: Omit<MaskRunOptions, 'cache'> & { cacheFor?: (masks: Mask[]) => BatchCache | undefined } = {},
): Promise<CurveSet> {
  const removed = removalCounts(pool.length, fractions);
  const unique = new Map<string, { mask: Mask; slot: number }>();
  const slots = orders.map((order) =>
    removed.map((count) => {
      const mask = maskOf(pool, order, count);
      const key = JSON.stringify(mask);
      let entry = unique.get(key);
      if (!entry) unique.set(key, (entry = { mask, slot: unique.size }));
      return entry.slot;
    }),
  );
  const masks = [...unique.values()].map((e) => e.mask);
  const { cacheFor, ...run } = options;
  const sums = await outcomesUnderMasks(model, batches, masks, frontierLayer, { ...run, cache: cacheFor?.(masks), mode: frontierLayer ? options.mode : 'naive' });
  return {
    removed,
    fractionRemoved: removed.map((r) => r / pool.length),
    accuracy: slots.map((row) => row.map((slot) => sums[slot].correct / sums[slot].n)),
  };
}

/** Number of distinct masks ablationCurves would run (for progress totals). */
export function distinctMasks(pool: FilterRef[], orders: number[][], fractions: number[]): number {
  const removed = removalCounts(pool.length, fractions);
  return new Set(orders.flatMap((order) => removed.map((count) => JSON.stringify(maskOf(pool, order, count))))).size;
}
