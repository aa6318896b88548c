/**
 * Class probabilities of many masked copies of a few images, run through the model in batches of
 * at most `maxBatch` copies: only one batch of copies exists in memory at a time.
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import { checkpoint } from '../util/progress.js';
import { composeMasked } from './fills.js';
import type { Grid } from './grid.js';

/** One masked copy: image `image` of the set with the cells where `filled` is 1 replaced by its fill. */
export interface MaskRequest {
  image: number;
  filled: Uint8Array;
}

export interface ImageSet {
  /** [n, H, W, C] row-major, model input. */
  images: Float32Array;
  /** The fill image of each, same layout. */
  fills: Float32Array;
  grid: Grid;
  channels: number;
}

/** Softmax of each row of [n, C] logits, in float64. */
export function softmaxRows(logits: ArrayLike<number>, n: number, classes: number): Float64Array {
  const out = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[i * classes + k]);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += out[i * classes + k] = Math.exp(logits[i * classes + k] - max);
    for (let k = 0; k < classes; k++) out[i * classes + k] /= sum;
  }
  return out;
}

/** Logits of plain images: [n, C]. */
export async function logitsOf(model: LoadedModel, images: Float32Array, n: number, maxBatch = 256): Promise<Float64Array> {
  const size = images.length / n;
  const out = new Float64Array(n * model.numClasses);
  for (let start = 0; start < n; start += maxBatch) {
    const count = Math.min(maxBatch, n - start);
    const { logits } = await model.forward(images.subarray(start * size, (start + count) * size), count);
    out.set(logits, start * model.numClasses);
  }
  return out;
}

/** Probabilities of plain images: [n, C]. */
export async function probabilitiesOf(model: LoadedModel, images: Float32Array, n: number, maxBatch = 256): Promise<Float64Array> {
  return softmaxRows(await logitsOf(model, images, n, maxBatch), n, model.numClasses);
}

/** Probabilities of each requested masked copy: [requests.length, C]. */
export async function maskedProbabilities(
  model: LoadedModel,
  set: ImageSet,
  requests: MaskRequest[],
  maxBatch = 256,
  signal?: AbortSignal,
): Promise<Float64Array> {
  return softmaxRows(await maskedLogits(model, set, requests, maxBatch, signal), requests.length, model.numClasses);
}

/** Logits of each requested masked copy: [requests.length, C]. */
export async function maskedLogits(
  model: LoadedModel,
  set: ImageSet,
  requests: MaskRequest[],
  maxBatch = 256,
  signal?: AbortSignal,
): Promise<Float64Array> {
  const size = set.grid.height * set.grid.width * set.channels;
  const classes = model.numClasses;
  const out = new Float64Array(requests.length * classes);
  const buffer = new Float32Array(Math.min(maxBatch, requests.length) * size);
  for (let start = 0; start < requests.length; start += maxBatch) {
    const count = Math.min(maxBatch, requests.length - start);
    for (let j = 0; j < count; j++) {
      const { image, filled } = requests[start + j];
      const from = image * size;
      composeMasked(set.images.subarray(from, from + size), set.fills.subarray(from, from + size), set.grid, set.channels, filled, buffer, j * size);
    }
    const { logits } = await model.forward(buffer.subarray(0, count * size), count);
    out.set(logits, start * classes);
    await checkpoint(signal);
  }
  return out;
}
