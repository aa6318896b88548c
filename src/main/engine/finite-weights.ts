/**
 * A model whose weights hold NaN or ±Infinity (a diverged training run, a damaged file) computes
 * garbage that can look like numbers (an accuracy of 7%, a finite loss). So every weight is checked
 * once, where it enters: at load, with an error naming the file, the layer and the weight.
 */
import { ModelLoadError, type ModelSpec } from './model-spec.js';

export function checkFiniteWeights(spec: ModelSpec): void {
  for (const layer of spec.layers) {
    for (const weight of layer.weights) {
      const values = weight.values;
      let bad = 0;
      let first = -1;
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i])) {
          bad += 1;
          if (first < 0) first = i;
        }
      }
      if (bad > 0) {
        throw new ModelLoadError(
          spec.source,
          `layer ${layer.name} (${layer.className}): weight ${weight.name} ${JSON.stringify(weight.shape)} has ${bad} non-finite value${bad === 1 ? '' : 's'} (the first, ${values[first]}, at ${indexOf(first, weight.shape)}); the file is damaged or its training diverged`,
        );
      }
    }
  }
}

/** A flat index as [i, j, …] in a row-major array of `shape`. */
function indexOf(flat: number, shape: number[]): string {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return `[${index.join(', ')}]`;
}
