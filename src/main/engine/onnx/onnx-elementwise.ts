/**
 * Activations, element-wise arithmetic, Concat, Softmax and Pad, translated to Keras layers.
 * Arithmetic with a constant becomes Rescaling (a scalar) or a per-channel affine layer written as
 * BatchNormalization with mean 0, variance 1 and ε 0 (exactly x·γ + β): this is how an input
 * normalization baked into the graph ((x − mean) / std) or a standalone bias lands in the spec.
 */
import type { ConstValue } from './onnx-constants.js';
import { foldDenseBias } from './onnx-dense-shape.js';
import type { OnnxNode } from './onnx-proto.js';
import type { OnnxTranslator, TensorValue } from './onnx-translator.js';

/** ONNX ops that are a plain Keras Activation: its name, and whether its output is never negative. */
const PLAIN_ACTIVATIONS = new Map<string, { activation: string; nonNegative: boolean }>([
  ['Relu', { activation: 'relu', nonNegative: true }],
  ['Sigmoid', { activation: 'sigmoid', nonNegative: true }],
  ['Tanh', { activation: 'tanh', nonNegative: false }],
  ['Softplus', { activation: 'softplus', nonNegative: true }],
  ['HardSwish', { activation: 'hard_silu', nonNegative: false }],
]);

export function translateActivation(t: OnnxTranslator, node: OnnxNode): void {
  const x = t.tensorInput(node, 0);
  const a = t.attributes(node);
  const plain = PLAIN_ACTIVATIONS.get(node.opType ?? '');
  if (plain) {
    t.emit(node, 'Activation', { activation: plain.activation }, [x.layer], x.shape, [], { nonNegative: plain.nonNegative });
    return;
  }
  switch (node.opType) {
    case 'LeakyRelu': {
      const alpha = a.float('alpha', 0.01);
      t.emit(node, 'LeakyReLU', { alpha, negative_slope: alpha }, [x.layer], x.shape, [], { nonNegative: alpha === 0 });
      return;
    }
    case 'Elu':
      t.emit(node, 'ELU', { alpha: a.float('alpha', 1) }, [x.layer], x.shape);
      return;
    case 'HardSigmoid': {
      // max(0, min(1, αx + β)) = ReLU(max 1) of Rescaling(α, β); Keras 2's hard_sigmoid is α = 0.2, β = 0.5.
      const alpha = a.float('alpha', 0.2);
      const beta = a.float('beta', 0.5);
      const scaled = t.addLayer(t.layerName(node, '/affine'), 'Rescaling', { scale: alpha, offset: beta }, [x.layer]);
      t.emit(node, 'ReLU', { max_value: 1, negative_slope: 0, threshold: 0 }, [scaled], x.shape, [], { nonNegative: true });
      return;
    }
    case 'Clip': {
      const min = t.opset >= 11 ? t.constInput(node, 1, 'min')?.data[0] : a.float('min', -Infinity);
      const max = t.opset >= 11 ? t.constInput(node, 2, 'max')?.data[0] : a.float('max', Infinity);
      if (min !== 0) throw t.error(node, `clips to [${min ?? '−∞'}, ${max ?? '∞'}]; only a lower bound of 0 (ReLU, ReLU6) is supported`);
      const bounded = max !== undefined && Number.isFinite(max) && max < 3.4e38;
      t.emit(node, 'ReLU', { max_value: bounded ? max : null, negative_slope: 0, threshold: 0 }, [x.layer], x.shape, [], { nonNegative: true });
      return;
    }
    default:
      throw t.error(node, 'is not an activation');
  }
}

/** A constant broadcast against x as a scalar or one value per channel/feature; undefined otherwise. */
function perChannel(x: TensorValue, c: ConstValue): number[] | undefined {
  if (c.data.length === 1) return c.data;
  const channels = x.shape[1];
  if (c.data.length !== channels || c.dims.length > x.shape.length) return undefined;
  const padded = [...new Array<number>(x.shape.length - c.dims.length).fill(1), ...c.dims];
  return padded.every((d, i) => (i === 1 ? d === channels : d === 1)) ? c.data : undefined;
}

function affine(t: OnnxTranslator, node: OnnxNode, x: TensorValue, scale: number[], shift: number[]): void {
  const nonNegative = x.nonNegative === true && scale.every((s) => s >= 0) && shift.every((s) => s >= 0);
  if (scale.length === 1 && shift.length === 1) {
    t.emit(node, 'Rescaling', { scale: scale[0], offset: shift[0] }, [x.layer], x.shape, [], { nonNegative });
    return;
  }
  const n = x.shape[1];
  const full = (v: number[]) => Float32Array.from({ length: n }, (_, i) => v[v.length === 1 ? 0 : i]);
  t.emit(node, 'BatchNormalization', { axis: -1, epsilon: 0, center: true, scale: true }, [x.layer], x.shape, [
    { name: 'gamma', shape: [n], values: full(scale) },
    { name: 'beta', shape: [n], values: full(shift) },
    { name: 'moving_mean', shape: [n], values: new Float32Array(n) },
    { name: 'moving_variance', shape: [n], values: new Float32Array(n).fill(1) },
  ], { nonNegative });
}

export function translateArithmetic(t: OnnxTranslator, node: OnnxNode): void {
  const [left, right] = node.input ?? [];
  const lv = t.value(left);
  const rv = t.value(right);
  if (!lv || !rv) throw t.error(node, `reads ${lv ? right : left}, which no earlier node produces`);
  const op = node.opType!;
  if (lv.kind === 'tensor' && rv.kind === 'tensor') {
    const same = lv.shape.join() === rv.shape.join();
    if (op === 'Add' && same) {
      t.emit(node, 'Add', {}, [lv.layer, rv.layer], lv.shape, [], { nonNegative: lv.nonNegative && rv.nonNegative });
      return;
    }
    const gate = (g: TensorValue, m: TensorValue) => g.shape.length === 4 && m.shape.length === 4 && g.shape[1] === m.shape[1] && g.shape[2] === 1 && g.shape[3] === 1;
    if (op === 'Mul' && (same || gate(lv, rv) || gate(rv, lv))) {
      const big = gate(lv, rv) ? rv : lv;
      t.emit(node, 'Multiply', {}, [lv.layer, rv.layer], big.shape, [], { nonNegative: lv.nonNegative && rv.nonNegative });
      return;
    }
    throw t.error(node, `combines tensors of shapes [${lv.shape.join(', ')}] and [${rv.shape.join(', ')}]; only Add of equal shapes and Mul (also by a per-channel gate) are supported`);
  }
  const constFirst = lv.kind === 'const';
  const x = (constFirst ? rv : lv) as TensorValue;
  const c = constFirst ? (lv as { value: ConstValue }).value : (rv as { value: ConstValue }).value;
  const v = perChannel(x, c);
  if (!v) throw t.error(node, `applies a constant of shape [${c.dims.join(', ')}] to [${x.shape.join(', ')}]; only a scalar or one value per channel is supported`);
  switch (op) {
    case 'Add':
      if (!constFirst && foldDenseBias(t, node, left, x, c)) return;
      if (constFirst && foldDenseBias(t, node, right, x, c)) return;
      affine(t, node, x, [1], v);
      return;
    case 'Sub':
      if (constFirst) affine(t, node, x, [-1], v);
      else affine(t, node, x, [1], v.map((s) => -s));
      return;
    case 'Mul':
      affine(t, node, x, v, [0]);
      return;
    case 'Div':
      if (constFirst) throw t.error(node, 'divides a constant by a computed tensor; this is not supported');
      affine(t, node, x, v.map((s) => 1 / s), [0]);
      return;
  }
}

export function translateConcat(t: OnnxTranslator, node: OnnxNode): void {
  const inputs = (node.input ?? []).map((_, i) => t.tensorInput(node, i));
  const rank = inputs[0].shape.length;
  const raw = t.attributes(node).int('axis');
  const axis = raw < 0 ? raw + rank : raw;
  if (axis !== 1) throw t.error(node, `concatenates along axis ${raw}; only the channel axis (1) is supported`);
  if (!inputs.every((x) => x.shape.length === rank && x.shape.slice(2).join() === inputs[0].shape.slice(2).join())) {
    throw t.error(node, `concatenates tensors of shapes ${inputs.map((x) => `[${x.shape.join(', ')}]`).join(', ')}`);
  }
  const shape = [...inputs[0].shape];
  shape[1] = inputs.reduce((a, x) => a + x.shape[1], 0);
  t.emit(node, 'Concatenate', { axis: -1 }, inputs.map((x) => x.layer), shape, [], { nonNegative: inputs.every((x) => x.nonNegative) });
}

export function translateSoftmax(t: OnnxTranslator, node: OnnxNode): void {
  const x = t.tensorInput(node, 0);
  const raw = t.attributes(node).int('axis', t.opset >= 13 ? -1 : 1);
  const axis = raw < 0 ? raw + x.shape.length : raw;
  if (x.shape.length !== 2 || axis !== 1) throw t.error(node, `takes a softmax over axis ${raw} of a rank-${x.shape.length} tensor; only class scores [N, K] are supported`);
  t.emit(node, 'Softmax', { axis: -1 }, [x.layer], x.shape, [], { nonNegative: true });
}

export function translatePad(t: OnnxTranslator, node: OnnxNode): void {
  const x = t.tensorInput(node, 0);
  const a = t.attributes(node);
  const mode = a.string('mode', 'constant');
  if (mode !== 'constant') throw t.error(node, `pads in mode "${mode}"; only constant (zero) padding is supported`);
  let pads = t.opset >= 11 ? t.constInput(node, 1, 'pads')?.data : a.ints('pads');
  const value = t.opset >= 11 ? (t.constInput(node, 2, 'constant value')?.data[0] ?? 0) : a.float('value', 0);
  const axes = t.opset >= 18 ? t.constInput(node, 3, 'axes')?.data : undefined;
  const rank = x.shape.length;
  if (!pads) throw t.error(node, 'has no pads');
  if (axes) {
    const full = new Array<number>(2 * rank).fill(0);
    axes.forEach((axis, i) => {
      const ax = axis < 0 ? axis + rank : axis;
      full[ax] = pads![i];
      full[ax + rank] = pads![i + axes.length];
    });
    pads = full;
  }
  if (pads.every((p) => p === 0)) {
    t.alias(node, x);
    return;
  }
  if (rank !== 4 || pads.length !== 8 || pads[0] || pads[1] || pads[4] || pads[5] || pads.some((p) => p < 0)) {
    throw t.error(node, `pads [${pads.join(', ')}]; only non-negative padding of H and W is supported`);
  }
  if (value !== 0) throw t.error(node, `pads with the value ${value}; only zero padding is supported`);
  const [, , top, left, , , bottom, right] = pads;
  t.emit(node, 'ZeroPadding2D', { padding: [[top, bottom], [left, right]], data_format: 'channels_last' }, [x.layer],
    [x.shape[0], x.shape[1], x.shape[2] + top + bottom, x.shape[3] + left + right], [], { nonNegative: x.nonNegative });
}
