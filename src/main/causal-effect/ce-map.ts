/**
 * Pixel-level causal-effect maps (METHODS §4, Yang et al. 2019): for each cell R of the grid,
 * x_R = x with R filled, CE(R) = p_c(x) − p_c(x_R) for the predicted class c, and the expected form
 * ECE(R) = Σ_k (p_k(x) − p_k(x_R))·p_k(x). All g² masked copies of every image go through the model
 * in batches.
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import { type ImageSet, maskedProbabilities, type MaskRequest } from './masked-probabilities.js';

export interface CeMap {
  /** CE per cell, row-major g×g. */
  ce: Float64Array;
  /** ECE per cell. */
  ece: Float64Array;
}

/** The mask that fills exactly cell `cell` of a grid with `cells` cells. */
export function singleCellMask(cells: number, cell: number): Uint8Array {
  const filled = new Uint8Array(cells);
  filled[cell] = 1;
  return filled;
}

/** CE and ECE of one image from its clean probabilities and those of its masked copies ([cells, C]). */
export function effectsFromProbabilities(clean: ArrayLike<number>, masked: ArrayLike<number>, cls: number, cells: number): CeMap {
  const classes = clean.length;
  const ce = new Float64Array(cells);
  const ece = new Float64Array(cells);
  for (let r = 0; r < cells; r++) {
    ce[r] = clean[cls] - masked[r * classes + cls];
    let e = 0;
    for (let k = 0; k < classes; k++) e += (clean[k] - masked[r * classes + k]) * clean[k];
    ece[r] = e;
  }
  return { ce, ece };
}

/**
 * CE maps of every image of `set` for class `classes[i]`, given the clean probabilities [n, C].
 */
export async function causalEffectMaps(
  model: LoadedModel,
  set: ImageSet,
  n: number,
  cleanProbabilities: Float64Array,
  classes: ArrayLike<number>,
  maxBatch = 256,
  signal?: AbortSignal,
): Promise<CeMap[]> {
  const cells = set.grid.g * set.grid.g;
  const masks = Array.from({ length: cells }, (_, r) => singleCellMask(cells, r));
  const requests: MaskRequest[] = [];
  for (let i = 0; i < n; i++) for (let r = 0; r < cells; r++) requests.push({ image: i, filled: masks[r] });
  const probs = await maskedProbabilities(model, set, requests, maxBatch, signal);
  const C = model.numClasses;
  return Array.from({ length: n }, (_, i) =>
    effectsFromProbabilities(cleanProbabilities.subarray(i * C, (i + 1) * C), probs.subarray(i * cells * C, (i + 1) * cells * C), classes[i], cells),
  );
}
