/**
 * Keras v3 `.keras` archives built by hand: config.json in the Keras 3 serialization (module,
 * class_name, config, registered_name, build_config, inbound_nodes with __keras_tensor__ args),
 * metadata.json, and model.weights.h5 written with h5wasm (layers/<name>/vars/0, 1, ...), zipped
 * with fflate.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKerasV3 } from '../../src/main/engine/load-keras-v3.js';
import { ModelLoadError } from '../../src/main/engine/model-spec.js';
import { ramp, size, writeH5, type H5Tree } from './load-helpers.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'causeway-keras3-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const kt = (layer: string, shape: (number | null)[]) => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
});
const call = (...args: unknown[]) => [{ args, kwargs: {} }];
const layer = (class_name: string, name: string, config: Record<string, unknown>, inbound: unknown[] = [], inputShape?: unknown) => ({
  module: 'keras.layers',
  class_name,
  config: { name, trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null }, ...config },
  registered_name: null,
  ...(inputShape ? { build_config: { input_shape: inputShape } } : {}),
  name,
  inbound_nodes: inbound,
});

/** A small residual CNN: conv → BN → ReLU, conv (relu) ; Add ; depthwise ; GAP ; Dense softmax. */
function functionalConfig(): Record<string, unknown> {
  const s = [null, 8, 8, 3];
  const s4 = [null, 8, 8, 4];
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: 'residual',
      trainable: true,
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: s, dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null, name: 'input_layer', inbound_nodes: [] },
        layer('Conv2D', 'conv2d', {
          filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1,
          activation: 'linear', use_bias: true,
          kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
          kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 1e-4 }, registered_name: null },
        }, call(kt('input_layer', s)), s),
        layer('BatchNormalization', 'batch_normalization', { axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true }, call(kt('conv2d', s4)), s4),
        layer('ReLU', 're_lu', { max_value: null, negative_slope: 0.0, threshold: 0.0 }, call(kt('batch_normalization', s4)), s4),
        layer('Conv2D', 'conv2d_1', {
          filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1,
          activation: { module: 'keras.activations', class_name: 'function', config: 'relu', registered_name: 'function' }, use_bias: false,
        }, call(kt('re_lu', s4)), s4),
        layer('Add', 'add', {}, call([kt('re_lu', s4), kt('conv2d_1', s4)]), [s4, s4]),
        layer('DepthwiseConv2D', 'depthwise_conv2d', {
          kernel_size: [3, 3], strides: [2, 2], padding: 'valid', depth_multiplier: 1, data_format: 'channels_last', dilation_rate: [1, 1],
          activation: 'linear', use_bias: true,
        }, call(kt('add', s4)), s4),
        layer('GlobalAveragePooling2D', 'global_average_pooling2d', { data_format: 'channels_last', keepdims: false }, call(kt('depthwise_conv2d', [null, 3, 3, 4])), [null, 3, 3, 4]),
        layer('Dense', 'dense', { units: 5, activation: 'softmax', use_bias: true }, call(kt('global_average_pooling2d', [null, 4])), [null, 4]),
      ],
      input_layers: ['input_layer', 0, 0],
      output_layers: ['dense', 0, 0],
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
    compile_config: null,
  };
}

const SHAPES: Record<string, number[][]> = {
  conv2d: [[3, 3, 3, 4], [4]],
  batch_normalization: [[4], [4], [4], [4]],
  conv2d_1: [[3, 3, 4, 4]],
  depthwise_conv2d: [[3, 3, 4, 1], [4]],
  dense: [[4, 5], [5]],
};

function varsTree(container: string, shapes: Record<string, number[][]>, empty: string[]): H5Tree {
  const groups: Record<string, H5Tree> = {};
  let seed = 1;
  for (const [name, list] of Object.entries(shapes)) {
    const datasets: H5Tree['datasets'] = {};
    list.forEach((shape, i) => {
      datasets[String(i)] = { shape, values: ramp(size(shape), seed++) };
    });
    groups[name] = { groups: { vars: { datasets } } };
  }
  for (const name of empty) groups[name] = { groups: { vars: {} } };
  return { groups: { [container]: { groups }, optimizer: { groups: { vars: {} } }, vars: {} } };
}

async function writeKeras(name: string, config: unknown, weights: H5Tree | undefined, version = '3.6.0'): Promise<string> {
  const files: Record<string, Uint8Array> = {
    'metadata.json': strToU8(JSON.stringify({ keras_version: version, date_saved: '2025-01-01@00:00:00' })),
    'config.json': strToU8(JSON.stringify(config)),
  };
  if (weights) {
    const h5path = join(tmp, `${name}.weights.h5`);
    await writeH5(h5path, weights);
    files['model.weights.h5'] = new Uint8Array(await readFile(h5path));
  }
  const path = join(tmp, `${name}.keras`);
  await writeFile(path, zipSync(files));
  return path;
}

describe('Keras v3 .keras', () => {
  it('loads a functional residual CNN with positional vars', async () => {
    const path = await writeKeras('residual', functionalConfig(), varsTree('layers', SHAPES, ['re_lu', 'add', 'global_average_pooling2d']));
    const spec = await loadKerasV3(path);
    expect(spec).toMatchObject({ name: 'residual', format: 'keras-v3', kerasVersion: '3.6.0', inputShape: [8, 8, 3], inputLayer: 'input_layer', outputLayer: 'dense' });
    expect(spec.layers.map((l) => [l.name, l.className, l.inbound])).toEqual([
      ['input_layer', 'InputLayer', []],
      ['conv2d', 'Conv2D', ['input_layer']],
      ['batch_normalization', 'BatchNormalization', ['conv2d']],
      ['re_lu', 'ReLU', ['batch_normalization']],
      ['conv2d_1', 'Conv2D', ['re_lu']],
      ['add', 'Add', ['re_lu', 'conv2d_1']],
      ['depthwise_conv2d', 'DepthwiseConv2D', ['add']],
      ['global_average_pooling2d', 'GlobalAveragePooling2D', ['depthwise_conv2d']],
      ['dense', 'Dense', ['global_average_pooling2d']],
    ]);
    const byName = new Map(spec.layers.map((l) => [l.name, l]));
    expect(byName.get('conv2d')!.weights.map((w) => w.name)).toEqual(['kernel', 'bias']);
    expect(byName.get('batch_normalization')!.weights.map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(byName.get('conv2d_1')!.weights.map((w) => w.name)).toEqual(['kernel']);
    expect(byName.get('depthwise_conv2d')!.weights.map((w) => w.name)).toEqual(['depthwise_kernel', 'bias']);
    expect(byName.get('dense')!.weights.map((w) => [w.name, w.shape])).toEqual([['kernel', [4, 5]], ['bias', [5]]]);
    // values: vars/<i> in the order written (seed 1 = conv2d/0, 2 = conv2d/1, 3..6 = BN, ...)
    expect(Array.from(byName.get('conv2d')!.weights[0].values)).toEqual(Array.from(ramp(108, 1)));
    expect(Array.from(byName.get('batch_normalization')!.weights[3].values)).toEqual(Array.from(ramp(4, 6)));
    expect(byName.get('conv2d')!.config).not.toHaveProperty('kernel_regularizer');
    expect(byName.get('conv2d')!.config).not.toHaveProperty('kernel_initializer');
    expect(byName.get('conv2d_1')!.config.activation).toBe('relu');
    expect(byName.get('dense')!.config.activation).toBe('softmax');
  });

  it('loads a Sequential saved by tf.keras 2.13+ (_layer_checkpoint_dependencies, int sizes, MaxPool2D alias)', async () => {
    const config = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_input_shape: [null, 6, 6, 1], dtype: 'float32', name: 'conv_input' }, registered_name: null },
          { module: 'keras.layers', class_name: 'Conv2D', config: { name: 'conv', filters: 2, kernel_size: 3, activation: 'relu' }, registered_name: null },
          { module: 'keras.layers', class_name: 'MaxPool2D', config: { name: 'pool', pool_size: 2, strides: null, padding: 'valid' }, registered_name: null },
          { module: 'keras.layers', class_name: 'Flatten', config: { name: 'flat' }, registered_name: null },
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'fc', units: 3 }, registered_name: null },
        ],
      },
      registered_name: null,
    };
    const weights = varsTree('_layer_checkpoint_dependencies', { conv: [[3, 3, 1, 2], [2]], fc: [[8, 3], [3]] }, ['pool', 'flat']);
    const path = await writeKeras('seq', config, weights, '2.15.0');
    const spec = await loadKerasV3(path);
    expect(spec.layers.map((l) => l.className)).toEqual(['InputLayer', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    expect(spec.layers[1].config).toMatchObject({ kernel_size: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu' });
    expect(spec.layers[2].config).toMatchObject({ pool_size: [2, 2], strides: [2, 2] });
    expect(spec.layers[4].config.activation).toBe('linear');
    expect(spec.layers[4].weights.map((w) => w.shape)).toEqual([[8, 3], [3]]);
  });

  it('flattens a nested Sequential (layers/<model>/layers/<layer>/vars)', async () => {
    const s = [null, 5, 5, 2];
    const config = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'outer',
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: s, dtype: 'float32', name: 'image' }, registered_name: null, name: 'image', inbound_nodes: [] },
          {
            module: 'keras',
            class_name: 'Sequential',
            config: {
              name: 'features',
              layers: [
                { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: s, dtype: 'float32', name: 'features_input' }, registered_name: null },
                layer('Conv2D', 'c1', { filters: 3, kernel_size: [3, 3], padding: 'valid', activation: 'relu', use_bias: true }, [], s),
              ],
            },
            registered_name: null,
            name: 'features',
            inbound_nodes: call(kt('image', s)),
          },
          layer('Flatten', 'flatten', {}, call(kt('features', [null, 3, 3, 3]))),
          layer('Dense', 'logits', { units: 2, activation: null }, call(kt('flatten', [null, 27]))),
        ],
        input_layers: [['image', 0, 0]],
        output_layers: [['logits', 0, 0]],
      },
      registered_name: 'Functional',
    };
    const weights: H5Tree = {
      groups: {
        layers: {
          groups: {
            features: { groups: { layers: { groups: { c1: { groups: { vars: { datasets: { 0: { shape: [3, 3, 2, 3], values: ramp(54) }, 1: { shape: [3], values: ramp(3) } } } } } } }, vars: {} } },
            logits: { groups: { vars: { datasets: { 0: { shape: [27, 2], values: ramp(54, 2) }, 1: { shape: [2], values: ramp(2, 3) } } } } },
          },
        },
      },
    };
    const spec = await loadKerasV3(await writeKeras('nested', config, weights));
    expect(spec.layers.map((l) => [l.name, l.inbound])).toEqual([
      ['image', []],
      ['c1', ['image']],
      ['flatten', ['c1']],
      ['logits', ['flatten']],
    ]);
    expect(spec.layers[1].weights.map((w) => [w.name, w.shape])).toEqual([['kernel', [3, 3, 2, 3]], ['bias', [3]]]);
    expect(spec.layers[3].config.activation).toBe('linear');
  });

  it('a missing weights file, a wrong var shape and a non-zip name the problem', async () => {
    const noWeights = await writeKeras('noweights', functionalConfig(), undefined);
    const e1 = await loadKerasV3(noWeights).catch((e) => e);
    expect(e1).toBeInstanceOf(ModelLoadError);
    expect(e1.message).toContain('layer conv2d (Conv2D) has no weights in the file; it needs kernel, bias');

    const bad = { ...SHAPES, dense: [[3, 5], [5]] };
    const wrong = await writeKeras('wrong', functionalConfig(), varsTree('layers', bad, []));
    const e2 = await loadKerasV3(wrong).catch((e) => e);
    expect(e2.message).toContain('layer dense (Dense) weight kernel has shape [3, 5], the config implies [4, 5]');

    const notZip = join(tmp, 'plain.keras');
    await writeFile(notZip, 'not a zip');
    const e3 = await loadKerasV3(notZip).catch((e) => e);
    expect(e3).toBeInstanceOf(ModelLoadError);
    expect(e3.message).toContain('is not a readable zip archive');

    const e4 = await loadKerasV3(join(tmp, 'absent.keras')).catch((e) => e);
    expect(e4.message).toMatch(/absent\.keras: file not found/);
  });
});
