/**
 * What the user sees before creating a project: a few images with the model's predictions and the
 * model's accuracy on a small stratified sample. Accuracy within three standard errors of chance
 * (1/classes) means the preprocessing is probably wrong; common alternatives are then tried on the
 * same sample and the ones that do clearly better are suggested.
 */
import type { Dataset } from '../../data/dataset.js';
import { modelBatches } from '../../data/model-batches.js';
import type { Preprocessing } from '../../data/preprocessing.js';
import { selectIndices } from '../../data/sampling.js';
import type { LoadedModel } from '../../engine/loaded-model.js';
import { rowStats } from '../../util/logit-rows.js';
import type { PreprocessingSuggestion, ProjectPreview } from '../../../shared/dto.js';
import { imageDataUrl } from './image-png.js';

export const previewSampleSize = 100;
const previewImages = 8;

export async function previewProject(model: LoadedModel, dataset: Dataset, preprocessing: Preprocessing): Promise<ProjectPreview> {
  const { classNames, count, height, width, channels } = dataset.info;
  if (classNames.length !== model.numClasses) {
    throw new Error(`${dataset.info.path} has ${classNames.length} classes but the model outputs ${model.numClasses} logits`);
  }
  const sample = selectIndices(dataset.labels(), { limit: previewSampleSize, stratified: true, seed: 0 });
  const first = await predict(model, dataset, sample, preprocessing);
  const chance = 1 / model.numClasses;
  const n = sample.length;
  const margin = 3 * Math.sqrt((chance * (1 - chance)) / n);
  const nearChance = first.accuracy < chance + margin;

  const suggestions: PreprocessingSuggestion[] = [];
  if (nearChance) {
    for (const candidate of alternatives(model.inputShape[2], preprocessing)) {
      const { accuracy } = await predict(model, dataset, sample, { ...preprocessing, ...candidate.preprocessing });
      if (accuracy > first.accuracy + margin) suggestions.push({ ...candidate, accuracy });
    }
    suggestions.sort((a, b) => b.accuracy - a.accuracy);
  }

  // One image per class where possible, so the preview shows the variety of the data.
  const shown: number[] = [];
  const seen = new Set<number>();
  const labels = dataset.labels();
  sample.forEach((index, i) => {
    if (shown.length < previewImages && !seen.has(labels[index])) {
      seen.add(labels[index]);
      shown.push(i);
    }
  });
  const raw = await dataset.read(shown.map((i) => sample[i]));
  const size = height * width * channels;
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  return {
    modelName: model.summary().name,
    datasetImages: count,
    classNames,
    images: shown.map((i, j) => ({
      index: sample[i],
      label: raw.labels[j],
      predicted: first.predicted[i],
      confidence: first.confidence[i],
      png: imageDataUrl(raw.pixels.subarray(j * size, (j + 1) * size), height, width, channels),
    })),
    sampleSize: n,
    sampleAccuracy: first.accuracy,
    chance,
    warning: nearChance
      ? `The model gets ${pct(first.accuracy)} of ${n} sample images right, about chance (${pct(chance)}): the preprocessing (scale, mean, std) probably does not match how the model was trained.`
      : null,
    suggestions,
  };
}

async function predict(model: LoadedModel, dataset: Dataset, indices: number[], pre: Preprocessing) {
  const [height, width, channels] = model.inputShape;
  const predicted: number[] = [];
  const confidence: number[] = [];
  let correct = 0;
  const c = model.numClasses;
  for await (const batch of modelBatches(dataset, indices, 50, pre, { height, width, channels })) {
    const { logits } = await model.forward(batch.input, batch.n);
    for (let i = 0; i < batch.n; i++) {
      const { argmax, logSumExp } = rowStats(logits, i * c, c);
      predicted.push(argmax);
      confidence.push(Math.exp(logits[i * c + argmax] - logSumExp));
      if (argmax === batch.labels[i]) correct++;
    }
  }
  return { predicted, confidence, accuracy: correct / indices.length };
}

function alternatives(channels: number, current: Preprocessing): { label: string; preprocessing: Preprocessing }[] {
  const fill = (v: number) => Array.from({ length: channels }, () => v);
  const imagenet = channels === 3 ? { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } : { mean: [0.449], std: [0.226] };
  const all: { label: string; preprocessing: Preprocessing }[] = [
    { label: 'scale 1/255 (inputs in [0, 1])', preprocessing: { scale: 1 / 255, mean: undefined, std: undefined } },
    { label: 'scale 1 (raw 0–255 inputs)', preprocessing: { scale: 1, mean: undefined, std: undefined } },
    { label: 'inputs in [−1, 1]', preprocessing: { scale: 1 / 127.5, mean: fill(1), std: undefined } },
    { label: 'ImageNet mean/std after scale 1/255', preprocessing: { scale: 1 / 255, ...imagenet } },
  ];
  const same = (p: Preprocessing) =>
    Math.abs(p.scale - current.scale) < 1e-12 && JSON.stringify(p.mean ?? null) === JSON.stringify(current.mean ?? null) && JSON.stringify(p.std ?? null) === JSON.stringify(current.std ?? null);
  return all.filter((a) => !same(a.preprocessing));
}
