/**
 * Streams a dataset as model-ready batches: reads the raw images of each batch of indices and
 * preprocesses them to the model's [B, H, W, C] float input. The next batch is read while the
 * caller works on the current one.
 */
import type { Dataset } from './dataset.js';
import { type ImageShape, type Preprocessing, toModelInput } from './preprocessing.js';
import { batchesOf } from './sampling.js';

export interface ModelBatch {
  indices: number[];
  /** [n, H, W, C] row-major, preprocessed. */
  input: Float32Array;
  labels: Int32Array;
  n: number;
}

export async function* modelBatches(
  dataset: Dataset,
  indices: number[],
  batchSize: number,
  pre: Preprocessing,
  target: ImageShape,
): AsyncGenerator<ModelBatch> {
  const source: ImageShape = { height: dataset.info.height, width: dataset.info.width, channels: dataset.info.channels };
  const groups = [...batchesOf(indices, batchSize)];
  let pending = groups.length > 0 ? dataset.read(groups[0]) : undefined;
  for (let g = 0; g < groups.length; g++) {
    const raw = await pending!;
    pending = g + 1 < groups.length ? dataset.read(groups[g + 1]) : undefined;
    yield { indices: raw.indices, input: toModelInput(raw, source, pre, target), labels: raw.labels, n: raw.indices.length };
  }
}
