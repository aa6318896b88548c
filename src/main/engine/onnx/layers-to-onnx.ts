/**
 * Translates the layers of our model spec (Keras classes, channels-last) into ONNX nodes.
 * Layout: a rank-4 value (shape [H, W, C] without the batch) is kept NCHW inside the graph, so ONNX
 * Conv/Pool run in their native layout; rank-2 values are [B, C] as in Keras. Flatten and Reshape
 * transpose back to channels-last first, so the flattened order (and every Dense kernel) matches Keras.
 * `shape` is always the Keras (channels-last) shape, tracked here to size pads and outputs.
 */
import { LayerContext } from '../layers/layer-context.js';
import { ModelLoadError, type LayerSpec } from '../model-spec.js';
import type { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { floatTensor, type OnnxTensor } from './onnx-proto.js';

export interface OnnxValue {
  name: string;
  /** Keras shape without the batch: [H, W, C] (stored NCHW) or [C]. */
  shape: number[];
}

/** Converted weights by key, kept across the graph variants of one model (a prefix, a suffix, ...). */
export type WeightCache = Map<string, OnnxTensor>;

interface Translation {
  b: OnnxGraphBuilder;
  ctx: LayerContext;
  layer: LayerSpec;
  inputs: OnnxValue[];
  drop: boolean;
  cache: WeightCache;
}

type Translator = (t: Translation) => OnnxValue;

const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];

function weight(t: Translation, name: string): { shape: number[]; values: Float32Array } {
  const w = t.layer.weights.find((x) => x.name === name);
  if (!w) throw t.ctx.error(`has no weight "${name}"`);
  return w;
}

function optionalWeight(t: Translation, name: string) {
  return t.layer.weights.find((x) => x.name === name);
}

/** A converted weight as an initializer, converted once per model. */
function converted(t: Translation, key: string, make: () => { dims: number[]; values: Float32Array }): string {
  const name = `${t.layer.name}/${key}`;
  let tensor = t.cache.get(name);
  if (!tensor) {
    const { dims, values } = make();
    tensor = floatTensor(name, dims, values);
    t.cache.set(name, tensor);
  }
  return t.b.initializer(tensor);
}

/** A Keras kernel [kh, kw, cin, last] (read in its own order) rearranged into `dims`: `at` gives each entry's new index. */
function rearrangedKernel(
  shape: number[],
  values: Float32Array,
  dims: number[],
  at: (a: number, b: number, c: number, o: number) => number,
): { dims: number[]; values: Float32Array } {
  const [kh, kw, cin, last] = shape;
  const out = new Float32Array(values.length);
  let source = 0;
  for (let a = 0; a < kh; a++)
    for (let b = 0; b < kw; b++)
      for (let c = 0; c < cin; c++)
        for (let o = 0; o < last; o++) out[at(a, b, c, o)] = values[source++];
  return { dims, values: out };
}

/** Keras conv kernel [kh, kw, cin, cout] → ONNX [cout, cin, kh, kw]. */
function convKernel(shape: number[], values: Float32Array): { dims: number[]; values: Float32Array } {
  const [kh, kw, cin, cout] = shape;
  return rearrangedKernel(shape, values, [cout, cin, kh, kw], (a, b, c, o) => ((o * cin + c) * kh + a) * kw + b);
}

/** Keras depthwise kernel [kh, kw, cin, mult] → ONNX grouped [cin·mult, 1, kh, kw] (output c·mult + m, as TensorFlow). */
function depthwiseKernel(shape: number[], values: Float32Array): { dims: number[]; values: Float32Array } {
  const [kh, kw, cin, mult] = shape;
  return rearrangedKernel(shape, values, [cin * mult, 1, kh, kw], (a, b, c, m) => ((c * mult + m) * kh + a) * kw + b);
}

/** Output size and the (begin, end) pads of TensorFlow's 'same' / 'valid' along one axis. */
function spatial(size: number, kernel: number, stride: number, dilation: number, padding: 'same' | 'valid'): { out: number; begin: number; end: number } {
  const extent = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((size - extent) / stride) + 1, begin: 0, end: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + extent - size, 0);
  const begin = Math.floor(total / 2);
  return { out, begin, end: total - begin };
}

function windowAttributes(
  t: Translation,
  x: OnnxValue,
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
  padding: 'same' | 'valid',
): { attrs: { kernel_shape: number[]; strides: number[]; pads: number[] }; height: number; width: number } {
  if (x.shape.length !== 3) throw t.ctx.error(`expects a feature map [H, W, C] but got [${x.shape.join(', ')}]`);
  const h = spatial(x.shape[0], kernel[0], strides[0], dilations[0], padding);
  const w = spatial(x.shape[1], kernel[1], strides[1], dilations[1], padding);
  if (h.out < 1 || w.out < 1) throw t.ctx.error(`leaves an empty output from a [${x.shape.join(', ')}] input`);
  return { attrs: { kernel_shape: kernel, strides, pads: [h.begin, w.begin, h.end, w.end] }, height: h.out, width: w.out };
}

/** ONNX nodes for a Keras activation by name; `channelAxis` is where Softmax normalizes. */
export function activation(b: OnnxGraphBuilder, name: string, x: string, rank: number, error: (p: string) => Error): string {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return b.op('Relu', [x]);
    case 'relu6':
      return b.op('Clip', [x, b.scalar(0), b.scalar(6)], {}, 'Relu6');
    case 'elu':
      return b.op('Elu', [x], { alpha: { float: 1 } });
    case 'selu':
      return b.op('Selu', [x]);
    case 'sigmoid':
      return b.op('Sigmoid', [x]);
    case 'hard_sigmoid':
      // As our TensorFlow.js executor (and Keras 2): clip(0.2·x + 0.5, 0, 1).
      return b.op('HardSigmoid', [x], { alpha: { float: 0.2 }, beta: { float: 0.5 } });
    case 'tanh':
      return b.op('Tanh', [x]);
    case 'softmax':
      return b.op('Softmax', [x], { axis: rank === 4 ? 1 : -1 });
    case 'softplus':
      return b.op('Softplus', [x]);
    case 'softsign':
      return b.op('Softsign', [x]);
    case 'exponential':
      return b.op('Exp', [x]);
    case 'swish':
    case 'silu':
      return b.op('Mul', [x, b.op('Sigmoid', [x])], {}, 'Swish');
    case 'hard_silu':
    case 'hard_swish':
      // x·relu6(x + 3)/6 = x·clip(x/6 + 0.5, 0, 1) (HardSwish itself needs opset 14).
      return b.op('Mul', [x, b.op('HardSigmoid', [x], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } })], {}, 'HardSwish');
    case 'gelu': {
      const erf = b.op('Erf', [b.op('Div', [x, b.scalar(Math.SQRT2)])]);
      return b.op('Mul', [b.op('Mul', [x, b.scalar(0.5)]), b.op('Add', [erf, b.scalar(1)])], {}, 'Gelu');
    }
    default:
      throw error(`uses activation "${name}", which has no ONNX translation`);
  }
}

function layerActivation(t: Translation, y: string, rank: number): string {
  const name = t.drop ? 'linear' : t.ctx.string('activation', 'linear');
  return activation(t.b, name, y, rank, (p) => t.ctx.error(p));
}

const conv2d: Translator = (t) => {
  const [x] = t.inputs;
  const kernel = weight(t, 'kernel');
  const [kh, kw, cinPerGroup, cout] = kernel.shape;
  const groups = t.ctx.number('groups', 1);
  if (x.shape[2] !== cinPerGroup * groups) throw t.ctx.error(`has a kernel for ${cinPerGroup * groups} input channels but gets ${x.shape[2]}`);
  const win = windowAttributes(t, x, [kh, kw], t.ctx.pair('strides', [1, 1]), t.ctx.pair('dilation_rate', [1, 1]), t.ctx.padding());
  const w = converted(t, 'kernel', () => convKernel(kernel.shape, kernel.values));
  const bias = t.ctx.bool('use_bias', true) ? optionalWeight(t, 'bias') : undefined;
  const inputs = [x.name, w];
  if (bias) inputs.push(converted(t, 'bias', () => ({ dims: bias.shape, values: bias.values })));
  const y = t.b.op('Conv', inputs, { ...win.attrs, dilations: t.ctx.pair('dilation_rate', [1, 1]), group: groups }, t.layer.name);
  return { name: layerActivation(t, y, 4), shape: [win.height, win.width, cout] };
};

const depthwiseConv2d: Translator = (t) => {
  const [x] = t.inputs;
  const kernel = weight(t, 'depthwise_kernel');
  const [kh, kw, cin, mult] = kernel.shape;
  const dilations = t.ctx.pair('dilation_rate', [1, 1]);
  const win = windowAttributes(t, x, [kh, kw], t.ctx.pair('strides', [1, 1]), dilations, t.ctx.padding());
  const w = converted(t, 'depthwise_kernel', () => depthwiseKernel(kernel.shape, kernel.values));
  const bias = t.ctx.bool('use_bias', true) ? optionalWeight(t, 'bias') : undefined;
  const inputs = [x.name, w];
  if (bias) inputs.push(converted(t, 'bias', () => ({ dims: bias.shape, values: bias.values })));
  const y = t.b.op('Conv', inputs, { ...win.attrs, dilations, group: cin }, t.layer.name);
  return { name: layerActivation(t, y, 4), shape: [win.height, win.width, cin * mult] };
};

const separableConv2d: Translator = (t) => {
  const [x] = t.inputs;
  const depthwise = weight(t, 'depthwise_kernel');
  const pointwise = weight(t, 'pointwise_kernel');
  const [kh, kw, cin] = depthwise.shape;
  const cout = pointwise.shape[3];
  const dilations = t.ctx.pair('dilation_rate', [1, 1]);
  const win = windowAttributes(t, x, [kh, kw], t.ctx.pair('strides', [1, 1]), dilations, t.ctx.padding());
  const dw = converted(t, 'depthwise_kernel', () => depthwiseKernel(depthwise.shape, depthwise.values));
  const pw = converted(t, 'pointwise_kernel', () => convKernel(pointwise.shape, pointwise.values));
  const mid = t.b.op('Conv', [x.name, dw], { ...win.attrs, dilations, group: cin }, `${t.layer.name}/depthwise`);
  const bias = t.ctx.bool('use_bias', true) ? optionalWeight(t, 'bias') : undefined;
  const inputs = [mid, pw];
  if (bias) inputs.push(converted(t, 'bias', () => ({ dims: bias.shape, values: bias.values })));
  const y = t.b.op('Conv', inputs, { kernel_shape: [1, 1] }, t.layer.name);
  return { name: layerActivation(t, y, 4), shape: [win.height, win.width, cout] };
};

const dense: Translator = (t) => {
  const [x] = t.inputs;
  if (x.shape.length !== 1) throw t.ctx.error(`expects a flat input but got shape [${x.shape.join(', ')}]`);
  const kernel = weight(t, 'kernel');
  const k = converted(t, 'kernel', () => ({ dims: kernel.shape, values: kernel.values }));
  const bias = t.ctx.bool('use_bias', true) ? optionalWeight(t, 'bias') : undefined;
  const y = bias
    ? t.b.op('Gemm', [x.name, k, converted(t, 'bias', () => ({ dims: bias.shape, values: bias.values }))], {}, t.layer.name)
    : t.b.op('MatMul', [x.name, k], {}, t.layer.name);
  return { name: layerActivation(t, y, 2), shape: [kernel.shape[1]] };
};

const batchNormalization: Translator = (t) => {
  const [x] = t.inputs;
  const axis = t.layer.config.axis;
  const axisValue = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : NaN) : (axis ?? -1);
  const lastAxis = axisValue === -1 || axisValue === x.shape.length || (axisValue === 1 && x.shape.length === 1);
  if (!lastAxis) throw t.ctx.error(`normalizes axis ${JSON.stringify(axis)}; only the channel (last) axis is supported`);
  const channels = x.shape[x.shape.length - 1];
  const epsilon = t.ctx.number('epsilon', 1e-3);
  const mean = weight(t, 'moving_mean');
  const variance = weight(t, 'moving_variance');
  const gamma = t.ctx.bool('scale', true) ? weight(t, 'gamma') : undefined;
  const beta = t.ctx.bool('center', true) ? weight(t, 'beta') : undefined;
  const vector = (key: string, values: Float32Array | undefined, fill: number) =>
    converted(t, key, () => ({ dims: [channels], values: values ?? new Float32Array(channels).fill(fill) }));
  const y = t.b.op(
    'BatchNormalization',
    [x.name, vector('gamma', gamma?.values, 1), vector('beta', beta?.values, 0), vector('moving_mean', mean.values, 0), vector('moving_variance', variance.values, 1)],
    { epsilon: { float: epsilon } },
    t.layer.name,
  );
  return { name: y, shape: x.shape };
};

function pooling(kind: 'MaxPool' | 'AveragePool'): Translator {
  return (t) => {
    const [x] = t.inputs;
    const pool = t.ctx.pair('pool_size', [2, 2]);
    const win = windowAttributes(t, x, pool, t.ctx.pair('strides', pool), [1, 1], t.ctx.padding());
    // count_include_pad = 0: TensorFlow's 'same' average leaves the padding out of the count.
    const attrs = kind === 'AveragePool' ? { ...win.attrs, count_include_pad: 0 } : win.attrs;
    return { name: t.b.op(kind, [x.name], attrs, t.layer.name), shape: [win.height, win.width, x.shape[2]] };
  };
}

function globalPooling(kind: 'ReduceMean' | 'ReduceMax'): Translator {
  return (t) => {
    const [x] = t.inputs;
    if (x.shape.length !== 3) throw t.ctx.error(`expects a feature map [H, W, C] but got [${x.shape.join(', ')}]`);
    const keep = t.ctx.bool('keepdims', false);
    const y = t.b.op(kind, [x.name], { axes: [2, 3], keepdims: keep ? 1 : 0 }, t.layer.name);
    return { name: y, shape: keep ? [1, 1, x.shape[2]] : [x.shape[2]] };
  };
}

/** A value in Keras channels-last order (a transpose for stored-NCHW feature maps). */
function channelsLast(t: Translation, x: OnnxValue): string {
  return x.shape.length === 3 ? t.b.op('Transpose', [x.name], { perm: NCHW_TO_NHWC }) : x.name;
}

const flatten: Translator = (t) => {
  const [x] = t.inputs;
  if (x.shape.length === 1) return x;
  const size = x.shape.reduce((a, b) => a * b, 1);
  return { name: t.b.op('Flatten', [channelsLast(t, x)], { axis: 1 }, t.layer.name), shape: [size] };
};

const reshape: Translator = (t) => {
  const [x] = t.inputs;
  const target = t.layer.config.target_shape;
  if (!Array.isArray(target) || !target.every((n) => typeof n === 'number')) throw t.ctx.error('has no numeric target_shape');
  const size = x.shape.reduce((a, b) => a * b, 1);
  const known = (target as number[]).filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const shape = (target as number[]).map((d) => (d === -1 ? size / known : d));
  if (shape.reduce((a, b) => a * b, 1) !== size) throw t.ctx.error(`cannot reshape [${x.shape.join(', ')}] to [${target.join(', ')}]`);
  const y = t.b.op('Reshape', [channelsLast(t, x), t.b.ints([0, ...shape])], {}, t.layer.name);
  return { name: shape.length === 3 ? t.b.op('Transpose', [y], { perm: NHWC_TO_NCHW }) : y, shape };
};

const zeroPadding2d: Translator = (t) => {
  const [x] = t.inputs;
  const p = t.layer.config.padding;
  let pads: [[number, number], [number, number]];
  if (typeof p === 'number') pads = [[p, p], [p, p]];
  else if (Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number')) pads = [[p[0], p[0]], [p[1], p[1]]];
  else if (Array.isArray(p) && p.length === 2 && p.every((v) => Array.isArray(v) && v.length === 2)) pads = p as [[number, number], [number, number]];
  else throw t.ctx.error(`has padding ${JSON.stringify(p)}, expected n, [h, w] or [[t, b], [l, r]]`);
  const [[top, bottom], [left, right]] = pads;
  const y = t.b.op('Pad', [x.name, t.b.ints([0, 0, top, left, 0, 0, bottom, right])], {}, t.layer.name);
  return { name: y, shape: [x.shape[0] + top + bottom, x.shape[1] + left + right, x.shape[2]] };
};

const rescaling: Translator = (t) => {
  const [x] = t.inputs;
  const scaled = t.b.op('Mul', [x.name, t.b.scalar(t.ctx.number('scale', 1))]);
  return { name: t.b.op('Add', [scaled, t.b.scalar(t.ctx.number('offset', 0))], {}, t.layer.name), shape: x.shape };
};

const add: Translator = (t) => {
  if (t.inputs.length < 2) throw t.ctx.error(`needs at least two inputs, got ${t.inputs.length}`);
  const names = t.inputs.map((v) => v.name);
  const y = names.length === 2 ? t.b.op('Add', names, {}, t.layer.name) : t.b.op('Sum', names, {}, t.layer.name);
  return { name: y, shape: t.inputs[0].shape };
};

/** Element-wise product (the ONNX loader's Multiply): a [1, 1, C] gate broadcasts in NCHW as [C, 1, 1]. */
const multiply: Translator = (t) => {
  if (t.inputs.length < 2) throw t.ctx.error(`needs at least two inputs, got ${t.inputs.length}`);
  const rank = t.inputs[0].shape.length;
  if (t.inputs.some((v) => v.shape.length !== rank)) throw t.ctx.error('multiplies inputs of different ranks, which has no ONNX translation');
  const name = t.inputs.slice(1).reduce((acc, v) => t.b.op('Mul', [acc, v.name], {}, t.layer.name), t.inputs[0].name);
  const shape = t.inputs[0].shape.map((_, i) => Math.max(...t.inputs.map((v) => v.shape[i])));
  return { name, shape };
};

const concatenate: Translator = (t) => {
  const rank = t.inputs[0].shape.length + 1;
  let axis = t.ctx.number('axis', -1);
  if (axis < 0) axis += rank;
  // Keras axes of a channels-last map [B, H, W, C] → stored NCHW: H→2, W→3, C→1.
  const onnxAxis = rank === 4 ? [0, 2, 3, 1][axis] : axis;
  const shape = [...t.inputs[0].shape];
  shape[axis - 1] = t.inputs.reduce((sum, v) => sum + v.shape[axis - 1], 0);
  return { name: t.b.op('Concat', t.inputs.map((v) => v.name), { axis: onnxAxis }, t.layer.name), shape };
};

const identity: Translator = (t) => t.inputs[0];

const translators: Record<string, Translator> = {
  InputLayer: identity,
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  Dense: dense,
  BatchNormalization: batchNormalization,
  Activation: (t) => {
    const [x] = t.inputs;
    return { name: layerActivation(t, x.name, x.shape.length + 1), shape: x.shape };
  },
  ReLU: (t) => {
    const [x] = t.inputs;
    const maxValue = t.layer.config.max_value;
    const slope = t.ctx.number('negative_slope', 0);
    if (t.ctx.number('threshold', 0) !== 0) throw t.ctx.error('uses a non-zero threshold, which is not supported');
    const y = slope === 0 ? t.b.op('Relu', [x.name]) : t.b.op('LeakyRelu', [x.name], { alpha: { float: slope } });
    return { name: typeof maxValue === 'number' ? t.b.op('Min', [y, t.b.scalar(maxValue)]) : y, shape: x.shape };
  },
  LeakyReLU: (t) => {
    const [x] = t.inputs;
    const alpha = t.ctx.number('negative_slope', t.ctx.number('alpha', 0.3));
    return { name: t.b.op('LeakyRelu', [x.name], { alpha: { float: alpha } }, t.layer.name), shape: x.shape };
  },
  ELU: (t) => {
    const [x] = t.inputs;
    return { name: t.b.op('Elu', [x.name], { alpha: { float: t.ctx.number('alpha', 1) } }, t.layer.name), shape: x.shape };
  },
  Softmax: (t) => {
    const [x] = t.inputs;
    if (t.drop) return x;
    return { name: activation(t.b, 'softmax', x.name, x.shape.length + 1, (p) => t.ctx.error(p)), shape: x.shape };
  },
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling2D: pooling('AveragePool'),
  GlobalAveragePooling2D: globalPooling('ReduceMean'),
  GlobalMaxPooling2D: globalPooling('ReduceMax'),
  Flatten: flatten,
  Reshape: reshape,
  Dropout: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  ZeroPadding2D: zeroPadding2d,
  Rescaling: rescaling,
  Add: add,
  Multiply: multiply,
  Concatenate: concatenate,
};

/** Emits one layer's nodes; `drop` strips a trailing softmax (the logits are pre-softmax, METHODS §0). */
export function translateLayer(
  b: OnnxGraphBuilder,
  layer: LayerSpec,
  inputs: OnnxValue[],
  drop: boolean,
  cache: WeightCache,
  source: string,
): OnnxValue {
  const translator = translators[layer.className];
  if (!translator) throw new ModelLoadError(source, `layer ${layer.name} (${layer.className}) has no ONNX translation`);
  return translator({ b, ctx: new LayerContext(layer, source, new Map()), layer, inputs, drop, cache });
}
