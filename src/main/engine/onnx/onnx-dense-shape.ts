/**
 * Gemm / MatMul (→ Dense) and the ops that flatten a feature map (Flatten, Reshape, Squeeze) or
 * lift a vector back to 1×1 (Unsqueeze, Reshape). ONNX flattens [C, H, W] channel-major, our NHWC
 * maps flatten H·W-major: where every reader of the flat vector is a Dense, the Dense's kernel rows
 * are permuted at load time (no run-time cost); otherwise a Permute layer restores ONNX's order.
 */
import type { NamedWeight } from '../model-spec.js';
import type { ConstValue } from './onnx-constants.js';
import type { OnnxNode } from './onnx-proto.js';
import { isBatch, type OnnxTranslator, type TensorValue } from './onnx-translator.js';

/** Kernel [K, M] in our flat order from ONNX rows in [C, H, W] order. */
function permuteRows(kernel: Float32Array, m: number, chw: [number, number, number]): Float32Array {
  const [c, h, w] = chw;
  const out = new Float32Array(kernel.length);
  for (let ci = 0; ci < c; ci++) {
    for (let p = 0; p < h * w; p++) {
      const from = ci * h * w + p;
      const to = p * c + ci;
      out.set(kernel.subarray(from * m, (from + 1) * m), to * m);
    }
  }
  return out;
}

function dense(t: OnnxTranslator, node: OnnxNode, x: TensorValue, kernel: Float32Array, k: number, m: number, bias?: Float32Array): void {
  if (x.shape.length !== 2) throw t.error(node, `multiplies a rank-${x.shape.length} tensor; only [N, K] inputs are supported`);
  if (x.shape[1] !== k) throw t.error(node, `has a weight for ${k} inputs, its input has ${x.shape[1]} features`);
  const rows = x.flattenedFrom ? permuteRows(kernel, m, x.flattenedFrom) : kernel;
  const weights: NamedWeight[] = [{ name: 'kernel', shape: [k, m], values: rows }];
  if (bias) weights.push({ name: 'bias', shape: [m], values: bias });
  t.emit(node, 'Dense', { units: m, activation: 'linear', use_bias: bias !== undefined }, [x.layer], [x.shape[0], m], weights);
}

export function translateGemm(t: OnnxTranslator, node: OnnxNode): void {
  const x = t.tensorInput(node, 0);
  const b = t.constInput(node, 1, 'weight');
  const c = t.constInput(node, 2, 'bias');
  const a = t.attributes(node);
  if (a.int('transA', 0) !== 0) throw t.error(node, 'has transA=1; only Y = A·B (+ C) with the data as A is supported');
  if (!b || b.dims.length !== 2) throw t.error(node, 'needs a constant 2-D weight B');
  const alpha = a.float('alpha', 1);
  const beta = a.float('beta', 1);
  const transB = a.int('transB', 0) === 1;
  const [k, m] = transB ? [b.dims[1], b.dims[0]] : b.dims;
  const kernel = new Float32Array(k * m);
  for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) kernel[i * m + j] = alpha * b.data[transB ? j * k + i : i * m + j];
  let bias: Float32Array | undefined;
  if (c) {
    const size = c.data.length;
    if (size !== 1 && size !== m) throw t.error(node, `has a bias C of shape [${c.dims.join(', ')}]; expected [${m}] or a scalar`);
    bias = Float32Array.from({ length: m }, (_, j) => beta * c.data[size === 1 ? 0 : j]);
  }
  dense(t, node, x, kernel, k, m, bias);
}

export function translateMatMul(t: OnnxTranslator, node: OnnxNode): void {
  const x = t.tensorInput(node, 0);
  const b = t.constInput(node, 1, 'weight');
  if (!b || b.dims.length !== 2) throw t.error(node, 'needs a constant 2-D second operand');
  dense(t, node, x, Float32Array.from(b.data), b.dims[0], b.dims[1]);
}

/** A bias Add right after a MatMul-made Dense that nothing else reads is folded into that Dense. */
export function foldDenseBias(t: OnnxTranslator, node: OnnxNode, tensor: string, x: TensorValue, bias: ConstValue): boolean {
  const layer = t.layer(x.layer);
  const m = x.shape[1];
  if (layer.className !== 'Dense' || layer.config.use_bias !== false || x.shape.length !== 2) return false;
  if (!t.soleReader(tensor, node)) return false;
  if (bias.data.length !== m || bias.dims.filter((d) => d !== 1).length > 1) return false;
  layer.config.use_bias = true;
  layer.weights.push({ name: 'bias', shape: [m], values: Float32Array.from(bias.data) });
  t.alias(node, x);
  return true;
}

/** Every node reading `tensor` is a Dense-making op with a constant weight (rows can be permuted). */
function onlyDenseReaders(t: OnnxTranslator, tensor: string): boolean {
  const readers = t.readers.get(tensor) ?? [];
  return readers.length > 0 && readers.every((r) => (r.opType === 'Gemm' || r.opType === 'MatMul') && r.input?.[0] === tensor);
}

/** [N, C, H, W] → [N, C·H·W] in ONNX's order (see the file comment). */
function flattenMap(t: OnnxTranslator, node: OnnxNode, x: TensorValue): void {
  const [c, h, w] = t.chw(node, x);
  const shape = [x.shape[0], c * h * w];
  if (h * w === 1) {
    t.emit(node, 'Flatten', { data_format: 'channels_last' }, [x.layer], shape);
  } else if (onlyDenseReaders(t, node.output![0])) {
    t.emit(node, 'Flatten', { data_format: 'channels_last' }, [x.layer], shape, [], { flattenedFrom: [c, h, w] });
  } else {
    const permuted = t.addLayer(t.layerName(node, '/to_nchw'), 'Permute', { dims: [3, 1, 2] }, [x.layer]);
    t.emit(node, 'Flatten', { data_format: 'channels_last' }, [permuted], shape);
  }
}

/** [N, C] → [N, C, 1, 1]: the NHWC map [N, 1, 1, C]. */
function liftVector(t: OnnxTranslator, node: OnnxNode, x: TensorValue): void {
  t.emit(node, 'Reshape', { target_shape: [1, 1, x.shape[1]] }, [x.layer], [x.shape[0], x.shape[1], 1, 1]);
}

export function translateFlatten(t: OnnxTranslator, node: OnnxNode): void {
  const x = t.tensorInput(node, 0);
  const axis = t.attributes(node).int('axis', 1);
  if (axis !== 1) throw t.error(node, `flattens from axis ${axis}; only axis 1 (keep the batch) is supported`);
  if (x.shape.length === 2) t.alias(node, x);
  else flattenMap(t, node, x);
}

export function translateReshape(t: OnnxTranslator, node: OnnxNode, staticBatch: number | undefined): void {
  const x = t.tensorInput(node, 0);
  const target = t.constInput(node, 1, 'shape')?.data ?? t.attributes(node).ints('shape');
  const allowZero = t.attributes(node).int('allowzero', 0) === 1;
  const inner = x.shape.slice(1);
  const features = inner.reduce((a, b) => a * b, 1);
  // The first target dim is the batch when it is the folded batch, a copied 0, the fixed batch of a
  // fixed-batch export, or −1 with the other dims accounting for every feature.
  const rest = target.slice(1).map((d, i) => (d === 0 && !allowZero ? inner[i] : d));
  const known = rest.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const first = target[0];
  const keepsBatch =
    isBatch(first) ||
    (first === 0 && !allowZero) ||
    (staticBatch !== undefined && first === staticBatch && rest.every((d) => !isBatch(d))) ||
    (first === -1 && !rest.includes(-1) && known === features);
  if (!keepsBatch || rest.some(isBatch)) {
    throw t.error(node, `reshapes to [${target.map((d) => (isBatch(d) ? 'N' : d)).join(', ')}], which changes the batch dimension; only reshapes that keep it are supported`);
  }
  const resolved = rest.map((d) => (d === -1 ? features / known : d));
  if (resolved.join() === inner.join()) t.alias(node, x);
  else if (x.shape.length === 4 && resolved.length === 1) flattenMap(t, node, x);
  else if (x.shape.length === 2 && resolved.length === 3 && resolved[1] === 1 && resolved[2] === 1) liftVector(t, node, x);
  else throw t.error(node, `reshapes [${inner.join(', ')}] to [${resolved.join(', ')}]; only flattening a feature map (or [C] ↔ [C, 1, 1]) is supported`);
}

export function translateSqueeze(t: OnnxTranslator, node: OnnxNode): void {
  const x = t.tensorInput(node, 0);
  const axes = t.opset >= 13 ? t.constInput(node, 1, 'axes')?.data : t.attributes(node).optionalInts('axes');
  const squeezed = (axes ?? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => (a < 0 ? a + x.shape.length : a)).sort();
  if (x.shape.length === 4 && squeezed.join() === '2,3' && x.shape[2] === 1 && x.shape[3] === 1) flattenMap(t, node, x);
  else throw t.error(node, `squeezes axes [${squeezed.join(', ')}] of [${x.shape.join(', ')}]; only the 1×1 spatial axes of a pooled map are supported`);
}

export function translateUnsqueeze(t: OnnxTranslator, node: OnnxNode): void {
  const x = t.tensorInput(node, 0);
  const axes = t.opset >= 13 ? t.constInput(node, 1, 'axes')?.data : t.attributes(node).optionalInts('axes');
  const normalized = (axes ?? []).map((a) => (a < 0 ? a + x.shape.length + (axes ?? []).length : a)).sort();
  if (x.shape.length === 2 && normalized.join() === '2,3') liftVector(t, node, x);
  else throw t.error(node, `unsqueezes axes [${normalized.join(', ')}] of a rank-${x.shape.length} tensor; only [N, C] → [N, C, 1, 1] is supported`);
}
