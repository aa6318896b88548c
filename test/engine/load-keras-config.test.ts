/** The shared normalization (keras-config.ts) on hand-written Keras 1/2/3 and tfjs configs. */
import { describe, expect, it } from 'vitest';
import {
  activationName,
  buildModelSpec,
  inferOutputShapes,
  normalizeLayerConfig,
  type RawWeight,
  type WeightSource,
} from '../../src/main/engine/keras-config.js';
import { ModelLoadError, type ModelSpec } from '../../src/main/engine/model-spec.js';
import { ramp, size } from './load-helpers.js';

/** Weights by layer path ("outer/inner" for nested layers), named as a Keras 2 file would. */
function source(weights: Record<string, [string, number[]][]>): WeightSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    weightsFor(path) {
      asked.push(path.join('/'));
      const list = weights[path.join('/')];
      return list?.map(([name, shape], i): RawWeight => ({ name, shape, values: ramp(size(shape), i + 1) }));
    },
  };
}

function build(modelConfig: unknown, weights: Record<string, [string, number[]][]> = {}): ModelSpec {
  return buildModelSpec({ file: '/m/model.json', format: 'tfjs-layers', modelConfig, weights: source(weights), fallbackName: 'm' });
}

function fails(modelConfig: unknown, weights: Record<string, [string, number[]][]> = {}): string {
  try {
    build(modelConfig, weights);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelLoadError);
    expect((e as ModelLoadError).file).toBe('/m/model.json');
    return (e as Error).message;
  }
  throw new Error('expected a ModelLoadError');
}

const input = (name = 'in', shape: (number | null)[] = [null, 8, 8, 3]) => ({ class_name: 'InputLayer', name, config: { name, batch_input_shape: shape }, inbound_nodes: [] });
const k2 = (class_name: string, name: string, config: Record<string, unknown>, inbound: string[]) => ({
  class_name,
  name,
  config: { name, ...config },
  inbound_nodes: inbound.length ? [inbound.map((p) => [p, 0, 0, {}])] : [],
});
const functional = (layers: unknown[], inputs: unknown = [['in', 0, 0]], outputs: unknown = [[(layers[layers.length - 1] as { name: string }).name, 0, 0]]) => ({
  class_name: 'Functional',
  config: { name: 'f', layers, input_layers: inputs, output_layers: outputs },
});

describe('Keras 2 functional graphs', () => {
  const residual = functional([
    input(),
    // listed out of order on purpose: the output is topologically sorted
    k2('Add', 'add', {}, ['relu', 'pad_conv']),
    k2('Conv2D', 'conv', { filters: 4, kernel_size: 3, strides: 1, padding: 'SAME', activation: null, use_bias: false, kernel_regularizer: { class_name: 'L2', config: { l2: 0.1 } } }, ['in']),
    k2('Activation', 'relu', { activation: 'relu' }, ['conv']),
    k2('ZeroPadding2D', 'pad', { padding: [1, 2] }, ['relu']),
    k2('Conv2D', 'pad_conv', { filters: 4, kernel_size: [3, 5], padding: 'valid', activation: 'linear' }, ['pad']),
    k2('Concatenate', 'cat', { axis: 3 }, ['add', 'relu']),
    k2('MaxPooling2D', 'pool', { pool_size: 2, strides: null }, ['cat']),
    k2('Dropout', 'unused', { rate: 0.5 }, ['pool']),
    k2('GlobalMaxPooling2D', 'gmp', {}, ['pool']),
    k2('Dense', 'out', { units: 3, activation: 'hardSigmoid' }, ['gmp']),
  ]);
  const weights: Record<string, [string, number[]][]> = {
    conv: [['conv/kernel:0', [3, 3, 3, 4]]],
    pad_conv: [['pad_conv/bias:0', [4]], ['pad_conv/kernel:0', [3, 5, 4, 4]]],
    out: [['out/kernel:0', [8, 3]], ['out/bias:0', [3]]],
  };

  it('sorts topologically, keeps call order, drops what the output does not need', () => {
    const spec = build(residual, weights);
    expect(spec.layers.map((l) => l.name)).toEqual(['in', 'conv', 'relu', 'pad', 'pad_conv', 'add', 'cat', 'pool', 'gmp', 'out']);
    expect(spec.layers.find((l) => l.name === 'add')!.inbound).toEqual(['relu', 'pad_conv']);
    expect(spec.layers.find((l) => l.name === 'cat')!.inbound).toEqual(['add', 'relu']);
    expect(spec).toMatchObject({ name: 'f', inputLayer: 'in', outputLayer: 'out', inputShape: [8, 8, 3] });
  });

  it('normalizes configs and orders weights the Keras way', () => {
    const spec = build(residual, weights);
    const by = new Map(spec.layers.map((l) => [l.name, l]));
    expect(by.get('conv')!.config).toEqual({ name: 'conv', filters: 4, kernel_size: [3, 3], strides: [1, 1], dilation_rate: [1, 1], padding: 'same', activation: 'linear', use_bias: false });
    expect(by.get('pad')!.config.padding).toEqual([[1, 1], [2, 2]]);
    expect(by.get('pool')!.config).toMatchObject({ pool_size: [2, 2], strides: [2, 2], padding: 'valid' });
    expect(by.get('cat')!.config.axis).toBe(3);
    expect(by.get('out')!.config.activation).toBe('hard_sigmoid');
    expect(by.get('pad_conv')!.weights.map((w) => w.name)).toEqual(['kernel', 'bias']);
    expect(by.get('pad_conv')!.weights[0].shape).toEqual([3, 5, 4, 4]);
    const shapes = inferOutputShapes(spec);
    expect(shapes.get('pad')).toEqual([10, 12, 4]);
    expect(shapes.get('pad_conv')).toEqual([8, 8, 4]);
    expect(shapes.get('cat')).toEqual([8, 8, 8]);
    expect(shapes.get('pool')).toEqual([4, 4, 8]);
    expect(shapes.get('out')).toEqual([3]);
  });

  it('a missing weight and a wrongly shaped one name the layer', () => {
    expect(fails(residual, { ...weights, conv: [] })).toContain('layer conv (Conv2D) has no weights in the file; it needs kernel');
    expect(fails(residual, { ...weights, out: [['out/kernel:0', [8, 3]]] })).toContain('layer out (Dense) is missing weight bias');
    expect(fails(residual, { ...weights, out: [['out/kernel:0', [6, 3]], ['out/bias:0', [3]]] })).toContain(
      'layer out (Dense) weight kernel has shape [6, 3], the config implies [8, 3]',
    );
  });

  it('rejects shared layers, several inputs/outputs, channels_first, unsupported classes and activations', () => {
    const shared = functional([input(), k2('Dense', 'd', { units: 2 }, ['in']), { ...k2('Dense', 'e', { units: 2 }, ['d']), inbound_nodes: [[['d', 0, 0, {}]], [['in', 0, 0, {}]]] }]);
    expect(fails(shared)).toContain('shared layer e is not supported');
    const shared2 = functional([input(), k2('Dense', 'd', { units: 2 }, ['in']), { ...k2('Add', 'a', {}, []), inbound_nodes: [[['d', 0, 0, {}], ['d', 1, 0, {}]]] }]);
    expect(fails(shared2)).toContain('shared layer d is not supported');
    expect(fails(functional([input('a'), input('b'), k2('Add', 'add', {}, ['a', 'b'])], [['a', 0, 0], ['b', 0, 0]]))).toContain(
      'the model has 2 inputs (a, b); exactly one input is supported',
    );
    expect(fails(functional([input(), k2('Flatten', 'f1', {}, ['in']), k2('Flatten', 'f2', {}, ['in'])], [['in', 0, 0]], [['f1', 0, 0], ['f2', 0, 0]]))).toContain(
      'has 2 outputs (f1, f2)',
    );
    expect(fails(functional([input(), k2('Conv2D', 'c', { filters: 1, kernel_size: 1, data_format: 'channels_first' }, ['in'])]))).toContain(
      'channels_first models are not supported (layer c)',
    );
    const lstm = fails(functional([input(), k2('LSTM', 'rnn', { units: 4 }, ['in'])]));
    expect(lstm).toContain('unsupported layer rnn of class LSTM; supported: InputLayer, Conv2D, DepthwiseConv2D');
    expect(lstm).toContain('Concatenate, Reshape');
    expect(fails(functional([input(), k2('Activation', 'act', { activation: 'my_custom' }, ['in'])]))).toContain(
      'layer act (Activation): activation "my_custom" is not supported',
    );
    expect(fails(functional([input('in', [null, null, null, 3]), k2('Flatten', 'f', {}, ['in'])]))).toContain('the input shape [None, None, None, 3] has unknown dimensions');
    expect(fails(functional([input(), k2('BatchNormalization', 'bn', { axis: 1 }, ['in'])]))).toContain('normalizes axis 1; only the channel (last) axis is supported');
    expect(fails(functional([input('in', [null, 4, 4, 3]), k2('Conv2D', 'c', { filters: 1, kernel_size: 5 }, ['in'])]))).toContain('layer c (Conv2D) would produce an empty output');
  });

  it('flattens a nested Sequential and a nested Functional; weights are asked by [model, layer]', () => {
    const innerSeq = {
      class_name: 'Sequential',
      name: 'seq',
      config: { name: 'seq', layers: [{ class_name: 'InputLayer', config: { name: 'seq_in', batch_input_shape: [null, 8, 8, 3] } }, { class_name: 'Conv2D', config: { name: 'c', filters: 2, kernel_size: 1 } }] },
      inbound_nodes: [[['in', 0, 0, {}]]],
    };
    const innerFn = {
      ...functional([input('fin', [null, 8, 8, 2]), k2('ReLU', 'r', {}, ['fin']), k2('Add', 'a2', {}, ['fin', 'r'])], [['fin', 0, 0]], [['a2', 0, 0]]),
      name: 'block',
      inbound_nodes: [[['seq', 0, 0, {}]]],
    };
    const model = functional([input(), innerSeq, innerFn, k2('Flatten', 'flat', {}, ['block'])]);
    const src = source({ 'seq/c': [['c/kernel:0', [1, 1, 3, 2]], ['c/bias:0', [2]]] });
    const spec = buildModelSpec({ file: 'x', format: 'keras-h5', modelConfig: model, weights: src, fallbackName: 'x' });
    expect(spec.layers.map((l) => `${l.name}<${l.inbound.join(',')}`)).toEqual(['in<', 'c<in', 'r<c', 'a2<c,r', 'flat<a2']);
    expect(src.asked).toContain('seq/c');
    expect(src.asked).toContain('block/r');
  });
});

describe('Sequential configs', () => {
  it('old Keras list form, Keras 1 names, synthesized input, LeakyReLU/BN/Reshape normalization', () => {
    const model = {
      class_name: 'Sequential',
      config: [
        { class_name: 'Reshape', config: { name: 'rs', target_shape: [6, 6, 1], batch_input_shape: [null, 36] } },
        { class_name: 'Convolution2D', config: { name: 'conv', nb_filter: 2, nb_row: 3, nb_col: 3, subsample: [1, 1], border_mode: 'same', dim_ordering: 'tf', init: 'glorot_uniform', W_regularizer: null, activation: 'relu', bias: true } },
        { class_name: 'LeakyReLU', config: { name: 'lrelu', alpha: 0.1 } },
        { class_name: 'BatchNormalization', config: { name: 'bn', axis: [3], center: false, gamma_regularizer: { class_name: 'l2' } } },
        { class_name: 'AvgPool2D', config: { name: 'avg', pool_size: [3, 3], strides: [3, 3] } },
        { class_name: 'Flatten', config: { name: 'flat' } },
        { class_name: 'Dense', config: { name: 'fc', output_dim: 4, activation: { class_name: 'function', config: 'softmax' } } },
      ],
    };
    const weights: Record<string, [string, number[]][]> = {
      conv: [['conv_W', [3, 3, 1, 2]], ['conv_b', [2]]], // Keras 1 names: positional
      bn: [['bn/gamma:0', [2]], ['bn/moving_mean:0', [2]], ['bn/moving_variance:0', [2]]],
      fc: [['fc/kernel:0', [8, 4]], ['fc/bias:0', [4]]],
    };
    const spec = build(model, weights);
    expect(spec.name).toBe('m'); // no name in the list form
    expect(spec.inputShape).toEqual([36]);
    expect(spec.layers.map((l) => l.className)).toEqual(['InputLayer', 'Reshape', 'Conv2D', 'LeakyReLU', 'BatchNormalization', 'AveragePooling2D', 'Flatten', 'Dense']);
    const by = new Map(spec.layers.map((l) => [l.name, l]));
    expect(by.get('conv')!.config).toMatchObject({ filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: 'same', use_bias: true, activation: 'relu' });
    expect(by.get('conv')!.config).not.toHaveProperty('init');
    expect(by.get('conv')!.config).not.toHaveProperty('W_regularizer');
    expect(by.get('conv')!.weights.map((w) => w.name)).toEqual(['kernel', 'bias']);
    expect(by.get('lrelu')!.config).toMatchObject({ alpha: 0.1, negative_slope: 0.1 });
    expect(by.get('bn')!.config).toMatchObject({ axis: -1, center: false, scale: true, epsilon: 0.001 });
    expect(by.get('bn')!.weights.map((w) => w.name)).toEqual(['gamma', 'moving_mean', 'moving_variance']);
    expect(by.get('fc')!.config).toMatchObject({ units: 4, activation: 'softmax' });
    expect(inferOutputShapes(spec).get('flat')).toEqual([8]);
  });

  it('an InputLayer first (tf.keras 2.x) and Keras 3 batch_shape are used as the input', () => {
    const spec = build({
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'InputLayer', config: { name: 'inp', batch_shape: [null, 4, 4, 2] } }, { class_name: 'GlobalAveragePooling2D', config: { name: 'g', keepdims: true } }] },
    });
    expect(spec.layers.map((l) => l.name)).toEqual(['inp', 'g']);
    expect(spec.inputShape).toEqual([4, 4, 2]);
    expect(inferOutputShapes(spec).get('g')).toEqual([1, 1, 2]);
  });

  it('a Sequential without any input shape fails clearly', () => {
    expect(fails({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Flatten', config: { name: 'f' } }] } })).toContain(
      'the first layer f does not record the input shape',
    );
  });
});

describe('normalizeLayerConfig / activationName', () => {
  it('ZeroPadding2D forms', () => {
    const pad = (p: unknown) => normalizeLayerConfig('f', 'z', 'ZeroPadding2D', { padding: p }).padding;
    expect(pad(2)).toEqual([[2, 2], [2, 2]]);
    expect(pad([1, 3])).toEqual([[1, 1], [3, 3]]);
    expect(pad([[0, 1], [2, 3]])).toEqual([[0, 1], [2, 3]]);
    expect(() => pad('same')).toThrow(ModelLoadError);
  });

  it('activation names', () => {
    expect(activationName(null)).toBe('linear');
    expect(activationName(undefined)).toBe('linear');
    expect(activationName('ReLU')).toBe('relu');
    expect(activationName('hardSigmoid')).toBe('hard_sigmoid');
    expect(activationName({ module: 'keras.activations', class_name: 'function', config: 'gelu', registered_name: 'function' })).toBe('gelu');
    expect(activationName('keras.activations.swish')).toBe('swish');
    expect(activationName('mystery')).toBeUndefined();
  });

  it('rejects grouped convolutions, causal padding and non-scalar Rescaling', () => {
    expect(() => normalizeLayerConfig('f', 'c', 'Conv2D', { filters: 4, kernel_size: 3, groups: 2 })).toThrow(/grouped convolution/);
    expect(() => normalizeLayerConfig('f', 'c', 'Conv2D', { filters: 4, kernel_size: 3, padding: 'causal' })).toThrow(/padding "causal" is not supported/);
    expect(() => normalizeLayerConfig('f', 'r', 'Rescaling', { scale: [1, 2, 3] })).toThrow(/scalar scale/);
    expect(normalizeLayerConfig('f', 'r', 'Rescaling', { scale: 1 / 255 })).toMatchObject({ scale: 1 / 255, offset: 0 });
  });
});
