/**
 * Deletion and insertion curves of a saliency map (METHODS §4; Petsiuk et al. 2018's protocol on
 * grid cells): order the cells by the map, most salient first. Deletion fills the first k cells,
 * insertion starts from the fully filled image and restores the first k; both track p_c for
 * k = 0…n. AUC is the trapezoid area over the fraction k/n ∈ [0, 1]. A faithful map has a low
 * deletion AUC and a high insertion AUC.
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import { type ImageSet, maskedProbabilities, type MaskRequest } from './masked-probabilities.js';

export interface Curves {
  /** p_c after filling the first k cells, k = 0…n. */
  deletion: number[];
  /** p_c with only the first k cells restored, k = 0…n. */
  insertion: number[];
  deletionAuc: number;
  insertionAuc: number;
}

/** Cell indices by decreasing map value; ties keep the lower index first. */
export function mapOrder(map: ArrayLike<number>): number[] {
  return Array.from({ length: map.length }, (_, i) => i).sort((a, b) => map[b] - map[a] || a - b);
}

/** Step k (k = 0…n) of deletion: the first k cells of `order` filled. */
export function deletionMask(order: number[], k: number): Uint8Array {
  const filled = new Uint8Array(order.length);
  for (let j = 0; j < k; j++) filled[order[j]] = 1;
  return filled;
}

/** Step k of insertion: every cell filled except the first k of `order`. */
export function insertionMask(order: number[], k: number): Uint8Array {
  const filled = new Uint8Array(order.length).fill(1);
  for (let j = 0; j < k; j++) filled[order[j]] = 0;
  return filled;
}

/** Trapezoid area of values at x = 0, 1/n, …, 1. */
export function curveAuc(values: ArrayLike<number>): number {
  const n = values.length - 1;
  if (n < 1) throw new RangeError('a curve needs at least two points');
  let area = 0;
  for (let k = 0; k < n; k++) area += (values[k] + values[k + 1]) / 2;
  return area / n;
}

/**
 * Deletion and insertion curves of several maps per image (maps[i] lists image i's maps), for class
 * classes[i]. The clean image (no cell filled) and the fully filled one are shared by all curves.
 */
export async function faithfulnessCurves(
  model: LoadedModel,
  set: ImageSet,
  n: number,
  cleanProbabilities: Float64Array,
  classes: ArrayLike<number>,
  maps: ArrayLike<number>[][],
  maxBatch = 256,
  signal?: AbortSignal,
): Promise<Curves[][]> {
  const cells = set.grid.g * set.grid.g;
  const C = model.numClasses;
  const requests: MaskRequest[] = [];
  const orders = maps.map((list) => list.map(mapOrder));
  for (let i = 0; i < n; i++) {
    requests.push({ image: i, filled: new Uint8Array(cells).fill(1) });
    for (const order of orders[i]) {
      for (let k = 1; k < cells; k++) requests.push({ image: i, filled: deletionMask(order, k) });
      for (let k = 1; k < cells; k++) requests.push({ image: i, filled: insertionMask(order, k) });
    }
  }
  const probs = await maskedProbabilities(model, set, requests, maxBatch, signal);
  let row = 0;
  const next = (cls: number) => probs[row++ * C + cls];
  return orders.map((list, i) => {
    const cls = classes[i];
    const clean = cleanProbabilities[i * C + cls];
    const empty = next(cls);
    return list.map(() => {
      const deletion = [clean];
      for (let k = 1; k < cells; k++) deletion.push(next(cls));
      deletion.push(empty);
      const insertion = [empty];
      for (let k = 1; k < cells; k++) insertion.push(next(cls));
      insertion.push(clean);
      return { deletion, insertion, deletionAuc: curveAuc(deletion), insertionAuc: curveAuc(insertion) };
    });
  });
}
