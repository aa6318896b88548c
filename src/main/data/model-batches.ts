/**
 * Streams a dataset as model-ready batches: reads the raw images of each batch of indices and
 * preprocesses them to the model's [B, H, W, C] float input. The next batch is read while the
 * caller works on the current one. Batch b always holds indices[b·size, (b+1)·size), so a resumed
 * job can skip the batches it already has.
 */
import type { Dataset } from './dataset.js';
import { type ImageShape, type Preprocessing, toModelInput } from './preprocessing.js';
import { batchesOf } from './sampling.js';

export interface ModelBatch {
  batchIndex: number;
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
  skip: ReadonlySet<number> = new Set(),
): AsyncGenerator<ModelBatch> {
  const source: ImageShape = { height: dataset.info.height, width: dataset.info.width, channels: dataset.info.channels };
  const groups = [...batchesOf(indices, batchSize)].map((group, batchIndex) => ({ group, batchIndex })).filter((g) => !skip.has(g.batchIndex));
  let pending = groups.length > 0 ? dataset.read(groups[0].group) : undefined;
  for (let g = 0; g < groups.length; g++) {
    const raw = await pending!;
    pending = g + 1 < groups.length ? dataset.read(groups[g + 1].group) : undefined;
    yield {
      batchIndex: groups[g].batchIndex,
      indices: raw.indices,
      input: toModelInput(raw, source, pre, target),
      labels: raw.labels,
      n: raw.indices.length,
    };
  }
}

export function batchCount(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}
