import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h5 } from '../../src/main/engine/h5-reader.js';
import { loadKerasH5 } from '../../src/main/engine/load-keras-h5.js';
import { ModelLoadError, type ModelSpec } from '../../src/main/engine/model-spec.js';
import { FIXTURES, H5_LENET_CIFAR10, H5_LENET_MNIST, ramp, writeH5 } from './load-helpers.js';

/** Made by test/fixtures/make-keras-h5-values.py (h5py) from the two shared .h5 files. */
interface ArraySummary {
  layer: string;
  shape: number[];
  indices: number[];
  values: number[];
  sum: number;
  absSum: number;
}
interface H5Reference {
  kerasVersion: string;
  layers: [string, string][];
  paramCount: number;
  firstConvKernel: ArraySummary;
  firstDenseKernel: ArraySummary;
  lastDenseKernel: ArraySummary;
}
let reference: Record<'lenet5_cifar10' | 'lenet5_mnist', H5Reference>;
let tmp: string;

beforeAll(async () => {
  reference = JSON.parse(await readFile(join(FIXTURES, 'keras-h5-values.json'), 'utf8'));
  tmp = await mkdtemp(join(tmpdir(), 'causeway-h5-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

function checkArray(spec: ModelSpec, ref: ArraySummary, weightName: string): void {
  const layer = spec.layers.find((l) => l.name === ref.layer)!;
  const w = layer.weights.find((x) => x.name === weightName)!;
  expect(w.shape).toEqual(ref.shape);
  expect(ref.indices.map((i) => w.values[i])).toEqual(ref.values.map((v) => Math.fround(v)));
  let sum = 0;
  let absSum = 0;
  for (const v of w.values) {
    sum += v;
    absSum += Math.abs(v);
  }
  expect(sum).toBeCloseTo(ref.sum, 3);
  expect(absSum).toBeCloseTo(ref.absSum, 3);
}

describe.each([
  // Parameter counts: sum of the sizes of all datasets under model_weights/, computed with h5py
  // (make-keras-h5-values.py) — LeNet-5: 456 + 2416 + 48120 + 10164 + 850 on CIFAR-10 (3 channels),
  // 156 + 2416 + 48120 + 10164 + 850 on MNIST (1 channel).
  ['lenet5_cifar10', H5_LENET_CIFAR10, [32, 32, 3], 62006, '2.2.4-tf', 'sequential_6'],
  ['lenet5_mnist', H5_LENET_MNIST, [28, 28, 1], 61706, '2.3.1', 'sequential_1'],
] as const)('the shared Keras HDF5 %s', (key, file, inputShape, params, version, name) => {
  let spec: ModelSpec;
  beforeAll(async () => {
    spec = await loadKerasH5(file);
  });

  it('has the Sequential layers of model_config after a synthesized input', () => {
    const ref = reference[key];
    expect(spec).toMatchObject({ format: 'keras-h5', kerasVersion: version, name, inputShape, inputLayer: 'input', source: file });
    expect(ref.kerasVersion).toBe(version);
    expect(spec.layers.map((l) => [l.name, l.className])).toEqual([['input', 'InputLayer'], ...ref.layers]);
    expect(spec.outputLayer).toBe(ref.layers[ref.layers.length - 1][0]);
    expect(spec.layers[spec.layers.length - 1].config).toMatchObject({ units: 10, activation: 'softmax' });
  });

  it('has all the weights: the parameter count h5py gives', () => {
    const total = spec.layers.reduce((a, l) => a + l.weights.reduce((b, w) => b + w.values.length, 0), 0);
    expect(total).toBe(params);
    expect(reference[key].paramCount).toBe(params);
    for (const l of spec.layers) {
      expect(l.weights.map((w) => w.name)).toEqual(l.className === 'Conv2D' || l.className === 'Dense' ? ['kernel', 'bias'] : []);
    }
  });

  it("kernels equal h5py's arrays", () => {
    checkArray(spec, reference[key].firstConvKernel, 'kernel');
    checkArray(spec, reference[key].firstDenseKernel, 'kernel');
    checkArray(spec, reference[key].lastDenseKernel, 'kernel');
  });
});

describe('Keras HDF5 errors', () => {
  it('a missing file', async () => {
    const err = await loadKerasH5(join(tmp, 'missing.h5')).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toBe(`${join(tmp, 'missing.h5')}: file not found`);
  });

  it('a file that is not HDF5', async () => {
    const path = join(tmp, 'text.h5');
    await writeFile(path, 'hello');
    const err = await loadKerasH5(path).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toMatch(/is not a readable HDF5 file \(.*signature/);
  });

  it('the shared LeNet with its model_config attribute removed: weights but no architecture', async () => {
    const path = join(tmp, 'weights-only.h5');
    await writeFile(path, await readFile(H5_LENET_MNIST));
    const lib = await h5();
    const f = new lib.File(path, 'a');
    f.delete_attribute('model_config');
    f.close();
    const err = await loadKerasH5(path).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toContain('the file has weights but no architecture');
  });

  it('a save_weights()-style file (layer_names on the root, no model_weights group)', async () => {
    const path = join(tmp, 'save-weights.h5');
    await writeH5(path, {
      attrs: { layer_names: ['dense'], keras_version: '2.3.1', backend: 'tensorflow' },
      groups: { dense: { attrs: { weight_names: ['dense/kernel:0'] }, groups: { dense: { datasets: { 'kernel:0': { shape: [2, 2], values: ramp(4) } } } } } },
    });
    const err = await loadKerasH5(path).catch((e) => e);
    expect(err.message).toContain('the file has weights but no architecture');
  });

  it('an HDF5 file without Keras attributes', async () => {
    const path = join(tmp, 'plain.h5');
    await writeH5(path, { datasets: { x: { shape: [1], values: ramp(1) } } });
    const err = await loadKerasH5(path).catch((e) => e);
    expect(err.message).toContain('has no model_config attribute; not a Keras model file');
  });
});

describe('Keras HDF5 with bytes attributes and float16 weights (fixture by make-keras-h5-float16.py)', () => {
  it('reads bytes model_config/keras_version and converts float16 datasets', async () => {
    const spec = await loadKerasH5(join(FIXTURES, 'keras-h5-float16.h5'));
    expect(spec).toMatchObject({ name: 'tiny_f16', kerasVersion: '2.1.6', inputShape: [4, 4, 2], inputLayer: 'input_1', outputLayer: 'fc' });
    expect(spec.layers.map((l) => l.className)).toEqual(['InputLayer', 'Conv2D', 'Flatten', 'Dense']);
    const [, conv, , fc] = spec.layers;
    expect(conv.config).not.toHaveProperty('kernel_regularizer');
    // kernel[i] = (i % 7 - 3) / 8 and bias[i] = i / 4 are exact in float16
    expect(Array.from(conv.weights[0].values)).toEqual(Array.from({ length: 36 }, (_, i) => ((i % 7) - 3) / 8));
    expect(Array.from(conv.weights[1].values)).toEqual([0, 0.25]);
    expect(fc.weights.map((w) => w.shape)).toEqual([[8, 3], [3]]);
    expect(Array.from(fc.weights[1].values)).toEqual([0, 0.25, 0.5]);
  });
});

describe('Keras HDF5 written by hand (functional, nested)', () => {
  it('a functional model with a nested Sequential and BatchNormalization loads with weights by name', async () => {
    const path = join(tmp, 'functional.h5');
    const inner = {
      class_name: 'Sequential',
      name: 'block',
      config: {
        name: 'block',
        layers: [
          { class_name: 'Conv2D', config: { name: 'conv_a', filters: 2, kernel_size: 1, strides: 1, padding: 'VALID', activation: 'relu', use_bias: false, kernel_regularizer: { class_name: 'L2', config: { l2: 0.01 } } } },
          { class_name: 'BatchNormalization', config: { name: 'bn_a', axis: [3], epsilon: 0.001, center: true, scale: false } },
        ],
      },
      inbound_nodes: [[['input_1', 0, 0, {}]]],
    };
    const config = {
      class_name: 'Model',
      config: {
        name: 'func',
        layers: [
          { class_name: 'InputLayer', name: 'input_1', config: { batch_input_shape: [null, 4, 4, 3], name: 'input_1' }, inbound_nodes: [] },
          inner,
          { class_name: 'GlobalAveragePooling2D', name: 'gap', config: { name: 'gap' }, inbound_nodes: [[['block', 0, 0, {}]]] },
          { class_name: 'Dense', name: 'out', config: { name: 'out', units: 2, activation: 'Softmax' }, inbound_nodes: [[['gap', 0, 0, {}]]] },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
    };
    await writeH5(path, {
      attrs: { model_config: JSON.stringify(config), keras_version: '2.2.4', backend: 'tensorflow' },
      groups: {
        model_weights: {
          attrs: { layer_names: ['input_1', 'block', 'gap', 'out'] },
          groups: {
            input_1: { attrs: { weight_names: [] } },
            block: {
              attrs: { weight_names: ['conv_a/kernel:0', 'bn_a/beta:0', 'bn_a/moving_mean:0', 'bn_a/moving_variance:0'] },
              groups: {
                conv_a: { datasets: { 'kernel:0': { shape: [1, 1, 3, 2], values: ramp(6) } } },
                bn_a: {
                  datasets: {
                    'beta:0': { shape: [2], values: ramp(2, 2) },
                    'moving_mean:0': { shape: [2], values: ramp(2, 3) },
                    'moving_variance:0': { shape: [2], values: Float32Array.of(1, 2) },
                  },
                },
              },
            },
            gap: { attrs: { weight_names: [] } },
            out: {
              attrs: { weight_names: ['out/bias:0', 'out/kernel:0'] }, // out of order on purpose
              groups: { out: { datasets: { 'kernel:0': { shape: [2, 2], values: ramp(4, 4) }, 'bias:0': { shape: [2], values: ramp(2, 5) } } } },
            },
          },
        },
      },
    });
    const spec = await loadKerasH5(path);
    expect(spec.name).toBe('func');
    expect(spec.layers.map((l) => `${l.name}<${l.inbound.join(',')}`)).toEqual(['input_1<', 'conv_a<input_1', 'bn_a<conv_a', 'gap<bn_a', 'out<gap']);
    const conv = spec.layers[1];
    expect(conv.config).toMatchObject({ kernel_size: [1, 1], strides: [1, 1], padding: 'valid', use_bias: false });
    expect(conv.config).not.toHaveProperty('kernel_regularizer');
    expect(conv.weights.map((w) => w.name)).toEqual(['kernel']);
    expect(spec.layers[2].config.axis).toBe(-1);
    expect(spec.layers[2].weights.map((w) => w.name)).toEqual(['beta', 'moving_mean', 'moving_variance']);
    expect(Array.from(spec.layers[2].weights[2].values)).toEqual([1, 2]);
    expect(spec.layers[4].config.activation).toBe('softmax');
    expect(spec.layers[4].weights.map((w) => [w.name, w.shape])).toEqual([['kernel', [2, 2]], ['bias', [2]]]);
    expect(Array.from(spec.layers[4].weights[0].values)).toEqual(Array.from(ramp(4, 4)));
  });
});
