/**
 * Conv, MaxPool, AveragePool and the global pools, translated to Keras Conv2D / DepthwiseConv2D /
 * pooling layers in NHWC. ONNX pads each side explicitly; TensorFlow's 'same' puts the odd pixel at
 * the end, PyTorch at both ends, so explicit pads become 'same' only where they equal TensorFlow's
 * and otherwise a ZeroPadding2D layer before a 'valid' op.
 */
import type { OnnxNode } from './onnx-proto.js';
import type { OnnxTranslator, TensorValue } from './onnx-translator.js';

type Pads = [number, number, number, number]; // top, left, bottom, right

/** TensorFlow 'same' padding of one spatial axis: the odd pixel goes at the end. */
function tfSame(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  pads: Pads;
}

function readWindow(t: OnnxTranslator, node: OnnxNode, x: TensorValue, kernelShape: number[]): Window {
  const a = t.attributes(node);
  if (kernelShape.length !== 2) throw t.error(node, `has a ${kernelShape.length}-D window; only 2-D is supported`);
  const kernel = kernelShape as [number, number];
  const strides = a.ints('strides', [1, 1]) as [number, number];
  const dilations = a.ints('dilations', [1, 1]) as [number, number];
  const [, h, w] = t.chw(node, x);
  const autoPad = a.string('auto_pad', 'NOTSET');
  let pads: Pads;
  if (autoPad === 'NOTSET') {
    const p = a.ints('pads', [0, 0, 0, 0]);
    pads = [p[0], p[1], p[2], p[3]];
  } else if (autoPad === 'VALID') {
    pads = [0, 0, 0, 0];
  } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const [ht, hb] = tfSame(h, kernel[0], strides[0], dilations[0]);
    const [wl, wr] = tfSame(w, kernel[1], strides[1], dilations[1]);
    pads = autoPad === 'SAME_UPPER' ? [ht, wl, hb, wr] : [hb, wr, ht, wl];
  } else {
    throw t.error(node, `has auto_pad "${autoPad}", which is not an ONNX value`);
  }
  if (pads.some((p) => p < 0)) throw t.error(node, `has negative pads [${pads.join(', ')}]`);
  return { kernel, strides, dilations, pads };
}

function outSize(size: number, k: number, s: number, d: number, before: number, after: number, ceil = false): number {
  const span = size + before + after - ((k - 1) * d + 1);
  return (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
}

/** 'valid', 'same' (when the pads equal TensorFlow's), or 'explicit' (needs a ZeroPadding2D). */
function paddingMode(x: TensorValue, win: Window): 'valid' | 'same' | 'explicit' {
  const [top, left, bottom, right] = win.pads;
  if (top === 0 && left === 0 && bottom === 0 && right === 0) return 'valid';
  const [ht, hb] = tfSame(x.shape[2], win.kernel[0], win.strides[0], win.dilations[0]);
  const [wl, wr] = tfSame(x.shape[3], win.kernel[1], win.strides[1], win.dilations[1]);
  return top === ht && bottom === hb && left === wl && right === wr ? 'same' : 'explicit';
}

function zeroPad(t: OnnxTranslator, node: OnnxNode, x: TensorValue, pads: Pads): string {
  const [top, left, bottom, right] = pads;
  return t.addLayer(t.layerName(node, '/pad'), 'ZeroPadding2D', { padding: [[top, bottom], [left, right]], data_format: 'channels_last' }, [x.layer]);
}

function outShape(x: TensorValue, channels: number, win: Window, ceil = false): number[] {
  const [top, left, bottom, right] = win.pads;
  return [
    x.shape[0],
    channels,
    outSize(x.shape[2], win.kernel[0], win.strides[0], win.dilations[0], top, bottom, ceil),
    outSize(x.shape[3], win.kernel[1], win.strides[1], win.dilations[1], left, right, ceil),
  ];
}

export function translateConv(t: OnnxTranslator, node: OnnxNode): void {
  const x = t.tensorInput(node, 0);
  const w = t.constInput(node, 1, 'weight');
  if (!w || w.dims.length !== 4) throw t.error(node, `needs a constant 4-D weight [O, I, kh, kw]; got [${w?.dims.join(', ') ?? ''}]`);
  const bias = t.constInput(node, 2, 'bias');
  const [outC, inPerGroup, kh, kw] = w.dims;
  const [inC] = t.chw(node, x);
  const groups = t.attributes(node).int('group', 1);
  if (inC !== inPerGroup * groups) throw t.error(node, `weight expects ${inPerGroup * groups} input channels, the input has ${inC}`);
  const win = readWindow(t, node, x, t.attributes(node).ints('kernel_shape', [kh, kw]));
  const mode = paddingMode(x, win);
  const inbound = [mode === 'explicit' ? zeroPad(t, node, x, win.pads) : x.layer];
  const common = {
    kernel_size: [kh, kw],
    strides: win.strides,
    dilation_rate: win.dilations,
    padding: mode === 'same' ? 'same' : 'valid',
    data_format: 'channels_last',
    activation: 'linear',
    use_bias: bias !== undefined,
  };
  const biasWeight = bias ? [{ name: 'bias', shape: [outC], values: Float32Array.from(bias.data) }] : [];
  const shape = outShape(x, outC, win);
  const area = kh * kw;
  if (groups > 1 && groups === inC && outC % inC === 0) {
    // Depthwise: output channel c·m + j reads input channel c; Keras depthwise_kernel is [kh, kw, C, m].
    const m = outC / inC;
    const k = new Float32Array(area * outC);
    for (let o = 0; o < outC; o++) for (let p = 0; p < area; p++) k[p * outC + o] = w.data[o * area + p];
    t.emit(node, 'DepthwiseConv2D', { ...common, depth_multiplier: m }, inbound, shape, [
      { name: 'depthwise_kernel', shape: [kh, kw, inC, m], values: k },
      ...biasWeight,
    ]);
    return;
  }
  // Conv2D (grouped when groups > 1): [O, I/g, kh, kw] → [kh, kw, I/g, O].
  const k = new Float32Array(area * inPerGroup * outC);
  for (let o = 0; o < outC; o++) {
    for (let i = 0; i < inPerGroup; i++) {
      for (let p = 0; p < area; p++) k[(p * inPerGroup + i) * outC + o] = w.data[(o * inPerGroup + i) * area + p];
    }
  }
  t.emit(node, 'Conv2D', { ...common, filters: outC, groups }, inbound, shape, [
    { name: 'kernel', shape: [kh, kw, inPerGroup, outC], values: k },
    ...biasWeight,
  ]);
}

export function translatePool(t: OnnxTranslator, node: OnnxNode, kind: 'max' | 'avg'): void {
  const x = t.tensorInput(node, 0);
  const a = t.attributes(node);
  const win = readWindow(t, node, x, a.ints('kernel_shape'));
  if (win.dilations.some((d) => d !== 1)) throw t.error(node, `uses dilations [${win.dilations.join(', ')}]; only 1 is supported for pooling`);
  const [c] = t.chw(node, x);
  if (a.int('ceil_mode', 0) === 1) {
    const floor = outShape(x, c, win);
    const ceil = outShape(x, c, win, true);
    if (floor[2] !== ceil[2] || floor[3] !== ceil[3]) throw t.error(node, 'uses ceil_mode=1 where it changes the output size; this is not supported');
  }
  let mode = paddingMode(x, win);
  const includePad = kind === 'avg' && a.int('count_include_pad', 0) === 1;
  // TensorFlow's 'same' average excludes the padding, and its max pooling never picks it.
  if (mode === 'same' && includePad) mode = 'explicit';
  if (mode === 'explicit') {
    if (kind === 'max' && !x.nonNegative) {
      throw t.error(node, 'pads a possibly negative input asymmetrically; only padding that matches TensorFlow "same", or padding after ReLU, is supported');
    }
    if (kind === 'avg' && !includePad) throw t.error(node, 'averages with padding excluded (count_include_pad=0) at pads TensorFlow cannot express');
  }
  const inbound = [mode === 'explicit' ? zeroPad(t, node, x, win.pads) : x.layer];
  t.emit(
    node,
    kind === 'max' ? 'MaxPooling2D' : 'AveragePooling2D',
    { pool_size: win.kernel, strides: win.strides, padding: mode === 'same' ? 'same' : 'valid', data_format: 'channels_last' },
    inbound,
    outShape(x, c, win),
    [],
    { nonNegative: x.nonNegative },
  );
}

export function translateGlobalPool(t: OnnxTranslator, node: OnnxNode, kind: 'max' | 'avg', keepDims = true): void {
  const x = t.tensorInput(node, 0);
  const [c] = t.chw(node, x);
  t.emit(
    node,
    kind === 'max' ? 'GlobalMaxPooling2D' : 'GlobalAveragePooling2D',
    { keepdims: keepDims, data_format: 'channels_last' },
    [x.layer],
    keepDims ? [x.shape[0], c, 1, 1] : [x.shape[0], c],
    [],
    { nonNegative: x.nonNegative },
  );
}

/** ReduceMean / ReduceMax over H and W is a global pool. */
export function translateSpatialReduce(t: OnnxTranslator, node: OnnxNode, kind: 'max' | 'avg'): void {
  const x = t.tensorInput(node, 0);
  const a = t.attributes(node);
  const axes = (t.opset >= 18 ? t.constInput(node, 1, 'axes')?.data : a.optionalInts('axes')) ?? [];
  const normalized = axes.map((v) => (v < 0 ? v + x.shape.length : v)).sort();
  if (x.shape.length !== 4 || normalized.join() !== '2,3') {
    throw t.error(node, `reduces axes [${axes.join(', ')}]; only the spatial axes [2, 3] of a feature map are supported`);
  }
  translateGlobalPool(t, node, kind, a.int('keepdims', 1) === 1);
}
