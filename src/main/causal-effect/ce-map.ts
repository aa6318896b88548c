/**
 * Pixel-level causal-effect maps (METHODS §4, Yang et al. 2019): for each cell R of the grid,
 * x_R = x with R filled, CE(R) = p_c(x) − p_c(x_R) for the predicted class c, and the expected form
 * ECE(R) = Σ_k (p_k(x) − p_k(x_R))·p_k(x). All g² masked copies of every image go through the model
 * in batches.
 *
 * The same difference on two other scales **[ours, issue 16]**: log-probability,
 * CE_log(R) = ln p_c(x) − ln p_c(x_R), and logit, CE_logit(R) = z_c(x) − z_c(x_R). A difference of
 * probabilities vanishes when p_c saturates (strong attacks make the wrong class almost certain);
 * the log difference survives p_c → 0 but not p_c → 1, the logit difference survives both, so they
 * tell whether a CE statistic's collapse is the causal structure or only the probability scale.
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import { type ImageSet, maskedLogits, maskedProbabilities, type MaskRequest, softmaxRows } from './masked-probabilities.js';

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

/** CE on the probability, log-probability and logit scales (and ECE) for one image. */
export interface CeMapScales extends CeMap {
  ceLog: Float64Array;
  ceLogit: Float64Array;
}

/** ln softmax(z)_c, stable. */
export function logSoftmaxAt(logits: ArrayLike<number>, offset: number, classes: number, cls: number): number {
  let max = -Infinity;
  for (let k = 0; k < classes; k++) max = Math.max(max, logits[offset + k]);
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += Math.exp(logits[offset + k] - max);
  return logits[offset + cls] - max - Math.log(sum);
}

/** All scales of one image from its clean logits [C] and those of its masked copies [cells, C]. */
export function effectsFromLogits(cleanLogits: ArrayLike<number>, masked: ArrayLike<number>, cls: number, cells: number): CeMapScales {
  const classes = cleanLogits.length;
  const { ce, ece } = effectsFromProbabilities(softmaxRows(cleanLogits, 1, classes), softmaxRows(masked, cells, classes), cls, cells);
  const ceLog = new Float64Array(cells);
  const ceLogit = new Float64Array(cells);
  const cleanLog = logSoftmaxAt(cleanLogits, 0, classes, cls);
  for (let r = 0; r < cells; r++) {
    ceLog[r] = cleanLog - logSoftmaxAt(masked, r * classes, classes, cls);
    ceLogit[r] = cleanLogits[cls] - masked[r * classes + cls];
  }
  return { ce, ece, ceLog, ceLogit };
}

/** CE maps on all scales of every image of `set` for class `classes[i]`, given the clean logits [n, C]. */
export async function causalEffectMapScales(
  model: LoadedModel,
  set: ImageSet,
  n: number,
  cleanLogits: Float64Array,
  classes: ArrayLike<number>,
  maxBatch = 256,
  signal?: AbortSignal,
): Promise<CeMapScales[]> {
  const cells = set.grid.g * set.grid.g;
  const masks = Array.from({ length: cells }, (_, r) => singleCellMask(cells, r));
  const requests: MaskRequest[] = [];
  for (let i = 0; i < n; i++) for (let r = 0; r < cells; r++) requests.push({ image: i, filled: masks[r] });
  const logits = await maskedLogits(model, set, requests, maxBatch, signal);
  const C = model.numClasses;
  return Array.from({ length: n }, (_, i) =>
    effectsFromLogits(cleanLogits.subarray(i * C, (i + 1) * C), logits.subarray(i * cells * C, (i + 1) * cells * C), classes[i], cells),
  );
}
