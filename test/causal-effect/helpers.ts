/** Real inputs for the S3 tests: the bundled LeNet-5 and the first images of the bundled CIFAR-10 sample. */
import { openDataset } from '../../src/main/data/open-dataset.js';
import { toModelInput } from '../../src/main/data/preprocessing.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { REPO } from '../helpers/data-paths.js';

export const LENET = `${REPO}resources/models/lenet5`;
export const SAMPLE = `${REPO}resources/data/cifar10-test-sample.bin`;

export async function lenetWithImages(indices: number[]) {
  const model = await LoadedModel.load(LENET);
  const dataset = await openDataset(SAMPLE);
  const raw = await dataset.read(indices);
  const shape = { height: 32, width: 32, channels: 3 };
  return { model, input: toModelInput(raw, shape, { scale: 1 / 255 }, shape), labels: Array.from(raw.labels) };
}

export function softmax(logits: ArrayLike<number>, row: number, classes: number): number[] {
  const z = Array.from({ length: classes }, (_, k) => logits[row * classes + k]);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
