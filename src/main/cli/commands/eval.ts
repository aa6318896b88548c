/**
 * `causeway eval --model PATH --data PATH [--limit N] [--stratified] [--seed S] [--scale S]
 * [--mean R,G,B] [--std R,G,B] [--resize H,W] [--split train|test] [--json]`.
 */
import { checkDatasetForModel } from '../../data/dataset-checks.js';
import { openDataset } from '../../data/open-dataset.js';
import { selectIndices } from '../../data/sampling.js';
import { LoadedModel } from '../../engine/loaded-model.js';
import { evaluateModel } from '../../evaluation/evaluate-model.js';
import { count, percent, seconds, table } from '../format.js';
import { type Flags, optionalInteger, optionalString, preprocessingFrom, requireString } from '../options.js';
import { UsageError } from '../cli-error.js';

export const evalUsage =
  'eval --model PATH --data PATH [--limit N] [--stratified] [--seed S] [--scale S] [--mean R,G,B] [--std R,G,B] [--resize H,W] [--split train|test] [--json]';

export async function evalCommand(flags: Flags, onProgress?: (text: string) => void): Promise<{ json: unknown; text: string }> {
  const preprocessing = preprocessingFrom(flags);
  const split = optionalString(flags, 'split');
  if (split !== undefined && split !== 'train' && split !== 'test') throw new UsageError('--split must be train or test');
  const dataset = await openDataset(requireString(flags, 'data'), { split, resize: preprocessing.resize });
  const model = await LoadedModel.load(requireString(flags, 'model'));
  try {
    checkDatasetForModel(dataset, model.numClasses);
    const indices = selectIndices(dataset.labels(), {
      limit: optionalInteger(flags, 'limit'),
      stratified: flags.stratified === true,
      seed: optionalInteger(flags, 'seed', 0) ?? 0,
    });
    const result = await evaluateModel(model, dataset, {
      indices,
      preprocessing,
      onProgress: (p) => onProgress?.(`evaluating ${p.done}/${p.total}${p.etaSeconds !== undefined ? `, ${Math.ceil(p.etaSeconds)} s left` : ''}`),
    });
    const perClass = result.perClass.map((c) => ({ class: c.class, name: c.name, n: c.n, accuracy: c.accuracy }));
    const json = {
      accuracy: result.accuracy,
      loss: result.loss,
      n: result.n,
      perClass,
      seconds: result.seconds,
      backend: model.backend.name,
    };
    const text = [
      `accuracy ${percent(result.accuracy, 2)} on ${count(result.n)} images of ${dataset.info.name}  (loss ${result.loss.toFixed(4)}, ${seconds(result.seconds)}, ${model.backend.name})`,
      '',
      table(perClass.map((c) => [c.class, c.name, c.n, percent(c.accuracy)]), ['class', 'name', 'images', 'accuracy']),
    ].join('\n');
    return { json, text };
  } finally {
    model.dispose();
  }
}
