/** Models, images and reference numbers shared by the explanatory-graph tests. */
import { readFileSync } from 'node:fs';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import type { ModelSpec } from '../../src/main/engine/model-spec.js';
import { type ImageSet, loadImageSet } from '../../src/main/explanatory-graph/class-images.js';
import { REPO } from '../helpers/data-paths.js';
import { layer, model, seededValues, weight } from '../helpers/tiny-models.js';

export const SAMPLE = `${REPO}resources/data/cifar10-test-sample.bin`;
export const modelPath = (name: string) => `${REPO}resources/models/${name}`;

export interface FixtureIntervention {
  kind: 'node' | 'path' | 'allPaths' | 'merge';
  layer?: string;
  channel?: number;
  target?: string;
  source?: string;
  from?: number;
  to?: number;
  deltas: number[];
  probability: number[];
}

export interface Fixtures {
  class: number;
  images: number[];
  effects: Record<string, { base: number[]; interventions: FixtureIntervention[] }>;
  stability: {
    a: Record<string, number[]>;
    b: Record<string, number[]>;
    scoresA: Record<string, number[]>;
    scoresB: Record<string, number[]>;
    jaccard: number;
    spearman: number;
  };
}

export const fixtures = JSON.parse(readFileSync(`${REPO}test/fixtures/explanatory-graph/fixtures.json`, 'utf8')) as Fixtures;

export async function sampleImages(model: LoadedModel, indices: number[]): Promise<ImageSet> {
  return loadImageSet(model, await openDataset(SAMPLE), indices, { scale: 1 / 255 });
}

/** Random-looking but fixed inputs for a tiny model, values in [0, 1). */
export function tinyImages(model: LoadedModel, n: number, seed: number): ImageSet {
  const size = model.inputShape.reduce((a, b) => a * b, 1);
  const input = seededValues(seed, n * size).map((v) => (v + 1) / 2);
  return { input, n, indices: Array.from({ length: n }, (_, i) => i), labels: new Int32Array(n) };
}

export function probability(logits: ArrayLike<number>, row: number, classes: number, cls: number): number {
  let max = -Infinity;
  for (let k = 0; k < classes; k++) max = Math.max(max, logits[row * classes + k]);
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += Math.exp(logits[row * classes + k] - max);
  return Math.exp(logits[row * classes + cls] - max) / sum;
}

/**
 * input 8×8×2 → convA 3×3 same (4, bias, relu) → max pool 2 → convB 3×3 same (3, no bias) → BN → relu
 * → GAP → dense (5). `soleTarget`: input channel 1 of convB feeds only output channel 2.
 */
export function chainWithBatchNorm(options: { soleTarget?: boolean } = {}): ModelSpec {
  const kernelB = weight('kernel', [3, 3, 4, 3], 52);
  if (options.soleTarget) for (let pos = 0; pos < 9; pos++) for (const k of [0, 1]) kernelB.values[pos * 12 + 1 * 3 + k] = 0;
  return model(
    [
      layer('input', 'InputLayer', [], { batch_input_shape: [null, 8, 8, 2] }),
      layer('convA', 'Conv2D', ['input'], { filters: 4, kernel_size: [3, 3], padding: 'same', activation: 'relu' }, [weight('kernel', [3, 3, 2, 4], 50), { name: 'bias', shape: [4], values: Float32Array.from([0.1, 0.15, 0.2, 0.05]) }]),
      layer('pool', 'MaxPooling2D', ['convA'], { pool_size: [2, 2], strides: [2, 2], padding: 'valid' }),
      layer('convB', 'Conv2D', ['pool'], { filters: 3, kernel_size: [3, 3], padding: 'same', use_bias: false }, [kernelB]),
      layer('bnB', 'BatchNormalization', ['convB'], { epsilon: 1e-3, axis: -1 }, [
        weight('gamma', [3], 53, 1),
        { name: 'beta', shape: [3], values: Float32Array.from([0.3, 0.2, 0.4]) },
        weight('moving_mean', [3], 55, 0.3),
        { name: 'moving_variance', shape: [3], values: Float32Array.from([0.5, 1.2, 0.8]) },
      ]),
      layer('reluB', 'Activation', ['bnB'], { activation: 'relu' }),
      layer('gap', 'GlobalAveragePooling2D', ['reluB']),
      layer('dense', 'Dense', ['gap'], { units: 5, activation: 'linear' }, [weight('kernel', [3, 5], 56, 2), weight('bias', [5], 57)]),
    ],
    [8, 8, 2],
  );
}

/**
 * A graph known by construction: input 6×6×2 → convA 1×1 (4, relu, positive weights and bias) →
 * convB 3×3 valid (3, relu) → GAP → dense (5). Class 0's logit is 3·gap(convB:2); every other logit is
 * 0. convB:2 reads convA:1 (weight 0.5 per tap) and convA:3 (0.05); convB:0/1 read everything, but
 * nothing reads them. So class 0's graph is convA:1 → convB:2 (strong), convA:3 → convB:2 (weak),
 * convB:2 → class, and every other node and path has effect exactly 0.
 */
export function knownGraphModel(): ModelSpec {
  const kernelA = weight('kernel', [1, 1, 2, 4], 60);
  kernelA.values = kernelA.values.map(Math.abs);
  const kernelB = { name: 'kernel', shape: [3, 3, 4, 3], values: new Float32Array(108) };
  const noise = seededValues(61, 108, 0.3);
  for (let pos = 0; pos < 9; pos++) {
    for (let j = 0; j < 4; j++) for (const k of [0, 1]) kernelB.values[pos * 12 + j * 3 + k] = noise[pos * 12 + j * 3 + k];
    kernelB.values[pos * 12 + 1 * 3 + 2] = 0.5;
    kernelB.values[pos * 12 + 3 * 3 + 2] = 0.05;
  }
  const dense = new Float32Array(15);
  dense[2 * 5 + 0] = 3;
  return model(
    [
      layer('input', 'InputLayer', [], { batch_input_shape: [null, 6, 6, 2] }),
      layer('convA', 'Conv2D', ['input'], { filters: 4, kernel_size: [1, 1], padding: 'valid', activation: 'relu' }, [
        kernelA,
        { name: 'bias', shape: [4], values: new Float32Array(4).fill(0.1) },
      ]),
      layer('convB', 'Conv2D', ['convA'], { filters: 3, kernel_size: [3, 3], padding: 'valid', activation: 'relu' }, [
        kernelB,
        { name: 'bias', shape: [3], values: new Float32Array(3) },
      ]),
      layer('gap', 'GlobalAveragePooling2D', ['convB']),
      layer('dense', 'Dense', ['gap'], { units: 5, activation: 'linear' }, [
        { name: 'kernel', shape: [3, 5], values: dense },
        { name: 'bias', shape: [5], values: new Float32Array(5) },
      ]),
    ],
    [6, 6, 2],
  );
}
