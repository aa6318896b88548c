/** Model evaluation over a dataset: accuracy, loss and per-class accuracy, batch by batch. */
import type { Dataset } from '../data/dataset.js';
import { modelBatches } from '../data/model-batches.js';
import type { Preprocessing } from '../data/preprocessing.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { type ProgressListener, ProgressReporter, checkpoint } from '../util/progress.js';
import { type ClassificationMetrics, MetricsAccumulator } from './classification-metrics.js';

export interface EvaluateOptions {
  indices: number[];
  preprocessing: Preprocessing;
  batchSize?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface Evaluation extends ClassificationMetrics {
  seconds: number;
  imagesPerSecond: number;
}

export async function evaluateModel(model: LoadedModel, dataset: Dataset, options: EvaluateOptions): Promise<Evaluation> {
  const started = performance.now();
  const classNames = dataset.info.classNames;
  if (classNames.length !== model.numClasses) {
    throw new Error(
      `${dataset.info.path} has ${classNames.length} classes but the model outputs ${model.numClasses} logits`,
    );
  }
  const [height, width, channels] = model.inputShape;
  const metrics = new MetricsAccumulator(classNames);
  const progress = new ProgressReporter('evaluate', options.indices.length, options.onProgress);
  for await (const batch of modelBatches(dataset, options.indices, options.batchSize ?? 64, options.preprocessing, {
    height,
    width,
    channels,
  })) {
    await checkpoint(options.signal, 'evaluation');
    const out = await model.forward(batch.input, batch.n);
    metrics.add(out.logits, batch.labels);
    progress.advance(batch.n);
  }
  const seconds = (performance.now() - started) / 1000;
  const result = metrics.result();
  return { ...result, seconds, imagesPerSecond: result.n / seconds };
}
