/**
 * Streams a dataset as model-ready batches: reads the raw images of each batch of indices and
 * preprocesses them to the model's [B, H, W, C] float input. The next batch is read while the
 * caller works on the current one. Batch b always holds indices[b·size, (b+1)·size), so a resumed
 * job can skip the batches it already has.
 */
import { type Dataset, DatasetError } from './dataset.js';
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
    const input = toModelInput(raw, source, pre, target);
    const bad = firstNonFinite(input);
    if (bad >= 0) {
      pending?.catch(() => undefined);
      const perImage = input.length / raw.indices.length;
      throw new DatasetError(
        dataset.info.path,
        `image ${raw.indices[Math.floor(bad / perImage)]} becomes ${input[bad]} after preprocessing (scale ${pre.scale}${pre.mean ? `, mean ${pre.mean.join(',')}` : ''}${pre.std ? `, std ${pre.std.join(',')}` : ''}); check --scale, --mean and --std`,
      );
    }
    yield {
      batchIndex: groups[g].batchIndex,
      indices: raw.indices,
      input,
      labels: raw.labels,
      n: raw.indices.length,
    };
  }
}

/** Inputs are checked where they enter the model: a NaN or ±Infinity here would spread through every layer. */
function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

export function batchCount(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}
