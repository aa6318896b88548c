/**
 * The images an evaluation runs on, preprocessed once and kept in memory: every ablation and curve
 * re-reads them hundreds of times (203 CIFAR-10 images are 2.5 MB of float input).
 */
import type { Dataset } from '../data/dataset.js';
import { modelBatches } from '../data/model-batches.js';
import type { Preprocessing } from '../data/preprocessing.js';
import { selectIndices } from '../data/sampling.js';
import type { LoadedModel } from '../engine/loaded-model.js';

export interface ImageBatch {
  /** [n, H, W, C] row-major model input. */
  input: Float32Array;
  labels: Int32Array;
  indices: number[];
  n: number;
}

export async function loadImages(
  model: LoadedModel,
  dataset: Dataset,
  indices: number[],
  preprocessing: Preprocessing,
  batchSize: number,
): Promise<ImageBatch[]> {
  const [height, width, channels] = model.inputShape;
  const out: ImageBatch[] = [];
  for await (const b of modelBatches(dataset, indices, batchSize, preprocessing, { height, width, channels })) {
    out.push({ input: b.input, labels: b.labels, indices: b.indices, n: b.n });
  }
  return out;
}

export function imageCount(batches: ImageBatch[]): number {
  return batches.reduce((s, b) => s + b.n, 0);
}

/** A stratified, seeded subset of `indices` of at most `count` images (all of them when fewer), ascending. */
export function stratifiedSubset(indices: number[], labels: Int32Array, count: number, seed: number): number[] {
  if (count >= indices.length) return [...indices];
  const sub = Int32Array.from(indices, (i) => labels[i]);
  return selectIndices(sub, { limit: count, stratified: true, seed }).map((j) => indices[j]);
}
