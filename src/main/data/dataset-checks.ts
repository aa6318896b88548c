/**
 * The checks a dataset must pass before a model is run on it, shared by `eval`, `build` and project
 * creation so that none accepts what another refuses: one class per logit, images of at least two
 * classes, and (for a build) enough images of every class for its train/evaluation split. Every
 * message names the dataset and gives the numbers.
 */
import { type Dataset, DatasetError } from './dataset.js';

export interface DatasetCheckOptions {
  /** The images that will be used (default: all). */
  indices?: readonly number[];
  /** The build's held-out fraction: each class needs enough images for both halves. */
  evalFraction?: number;
}

/** Throws a DatasetError naming the dataset and the numbers when it cannot serve this model. */
export function checkDatasetForModel(dataset: Dataset, numClasses: number, options: DatasetCheckOptions = {}): void {
  const { path, classNames } = dataset.info;
  if (classNames.length !== numClasses) {
    throw new DatasetError(
      path,
      `has ${classNames.length} ${classNames.length === 1 ? 'class' : 'classes'} but the model outputs ${numClasses} logits; the dataset needs one class per logit, in the model's order`,
    );
  }
  if (options.evalFraction === undefined) return;
  const labels = dataset.labels();
  const counts = new Array<number>(classNames.length).fill(0);
  for (const i of options.indices ?? labels.keys()) counts[labels[i]!]! += 1;
  const present = counts.filter((c) => c > 0).length;
  if (present < 2) {
    throw new DatasetError(path, `has images of ${present} class${present === 1 ? '' : 'es'} among the ${counts.reduce((a, b) => a + b, 0)} selected; a causal model of a classifier needs images of at least 2 classes`);
  }
  // Each class present must be able to put at least one image on each side of the split.
  const minimum = Math.ceil(1 / Math.min(options.evalFraction, 1 - options.evalFraction));
  const short = counts.map((n, k) => ({ n, k })).filter(({ n }) => n > 0 && n < minimum);
  if (short.length > 0) {
    const named = short.slice(0, 3).map(({ n, k }) => `${classNames[k]} has ${n}`).join(', ');
    throw new DatasetError(
      path,
      `has too few images per class for the build's ${Math.round((1 - options.evalFraction) * 100)}/${Math.round(options.evalFraction * 100)} train/evaluation split (${named}${short.length > 3 ? `, and ${short.length - 3} more` : ''}; at least ${minimum} per class are needed): add images or raise --limit`,
    );
  }
}
