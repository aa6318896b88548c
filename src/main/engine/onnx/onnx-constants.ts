/**
 * Constant folding for the small integer/float computations exporters put in ONNX graphs: the
 * Shape→Gather→Unsqueeze→Concat chains that build Reshape targets, the ConstantOfShape/Slice/
 * Transpose/Cast chains that build Pad amounts, Clip bounds, and so on. Values are plain number
 * arrays (row-major) with their dims; the batch dimension of a dynamic tensor is the marker
 * BATCH_DIM, so `x.view(x.size(0), -1)` folds to [BATCH_DIM, -1] and the translator can tell the
 * batch apart from a real size.
 */
import { halfToFloat32 } from '../h5-reader.js';
import { OnnxDataType, type OnnxNode, type OnnxTensor, tensorFloats } from './onnx-proto.js';
import type { NodeAttributes } from './onnx-attributes.js';

/** Stands for the (dynamic) batch size inside folded shape arithmetic. */
export const BATCH_DIM = 987_654_321;

export interface ConstValue {
  dims: number[];
  data: number[];
}

export function constFromTensor(tensor: OnnxTensor): ConstValue {
  const dims = (tensor.dims ?? []).map(Number);
  const type = tensor.dataType ?? OnnxDataType.FLOAT;
  if (type === OnnxDataType.INT64 && !(tensor.rawData && tensor.rawData.length > 0) && tensor.int64Data) {
    return { dims, data: tensor.int64Data.map(Number) };
  }
  if ((type === OnnxDataType.INT32 || type === OnnxDataType.BOOL || type === OnnxDataType.INT8 || type === OnnxDataType.UINT8) && !(tensor.rawData && tensor.rawData.length > 0)) {
    return { dims, data: (tensor.int32Data ?? []).map(Number) };
  }
  if (type === OnnxDataType.FLOAT16) {
    // float16 weights: raw little-endian halves, or (per the schema) their bits in int32_data.
    const halves = tensor.rawData && tensor.rawData.length > 0 ? tensor.rawData.slice() : new Uint8Array(Uint16Array.from(tensor.int32Data ?? []).buffer);
    return { dims, data: Array.from(halfToFloat32(halves)) };
  }
  if ((type === OnnxDataType.UINT8 || type === OnnxDataType.BOOL) && tensor.rawData) {
    return { dims, data: Array.from(tensor.rawData) };
  }
  return { dims, data: Array.from(tensorFloats(tensor)) };
}

function size(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function strides(dims: number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

function broadcast(a: ConstValue, b: ConstValue, op: (x: number, y: number) => number): ConstValue {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pad = (d: number[]) => [...new Array<number>(rank - d.length).fill(1), ...d];
  const da = pad(a.dims);
  const db = pad(b.dims);
  const dims = da.map((x, i) => Math.max(x, db[i]));
  const sa = strides(da);
  const sb = strides(db);
  const so = strides(dims);
  const data = new Array<number>(size(dims));
  for (let i = 0; i < data.length; i++) {
    let ia = 0;
    let ib = 0;
    for (let k = 0; k < rank; k++) {
      const c = Math.floor(i / so[k]) % dims[k];
      if (da[k] !== 1) ia += c * sa[k];
      if (db[k] !== 1) ib += c * sb[k];
    }
    data[i] = op(a.data[ia], b.data[ib]);
  }
  return { dims, data };
}

function gather(x: ConstValue, idx: ConstValue, axisAttr: number): ConstValue {
  const axis = normAxis(axisAttr, x.dims.length);
  const outer = size(x.dims.slice(0, axis));
  const inner = size(x.dims.slice(axis + 1));
  const n = x.dims[axis];
  const data: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const raw of idx.data) {
      const i = raw < 0 ? raw + n : raw;
      for (let k = 0; k < inner; k++) data.push(x.data[(o * n + i) * inner + k]);
    }
  }
  return { dims: [...x.dims.slice(0, axis), ...idx.dims, ...x.dims.slice(axis + 1)], data };
}

function concat(values: ConstValue[], axisAttr: number): ConstValue {
  const rank = values[0].dims.length;
  const axis = normAxis(axisAttr, rank);
  const outer = size(values[0].dims.slice(0, axis));
  const data: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const v of values) {
      const chunk = size(v.dims.slice(axis));
      data.push(...v.data.slice(o * chunk, (o + 1) * chunk));
    }
  }
  const dims = [...values[0].dims];
  dims[axis] = values.reduce((a, v) => a + v.dims[axis], 0);
  return { dims, data };
}

function transpose(x: ConstValue, permAttr: number[] | undefined): ConstValue {
  const perm = permAttr ?? x.dims.map((_, i) => x.dims.length - 1 - i);
  const dims = perm.map((p) => x.dims[p]);
  const si = strides(x.dims);
  const so = strides(dims);
  const data = new Array<number>(x.data.length);
  for (let i = 0; i < data.length; i++) {
    let src = 0;
    for (let k = 0; k < dims.length; k++) src += (Math.floor(i / so[k]) % dims[k]) * si[perm[k]];
    data[i] = x.data[src];
  }
  return { dims, data };
}

function slice(x: ConstValue, starts: number[], ends: number[], axesIn?: number[], stepsIn?: number[]): ConstValue {
  const rank = x.dims.length;
  const axes = (axesIn ?? starts.map((_, i) => i)).map((a) => normAxis(a, rank));
  const ranges = x.dims.map((d) => ({ start: 0, step: 1, count: d }));
  axes.forEach((axis, i) => {
    const d = x.dims[axis];
    const step = stepsIn?.[i] ?? 1;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const start = step > 0 ? clamp(starts[i], 0, d) : clamp(starts[i], -1, d - 1);
    const end = step > 0 ? clamp(ends[i], 0, d) : clamp(ends[i], -1, d - 1);
    ranges[axis] = { start, step, count: Math.max(0, Math.ceil((end - start) / step)) };
  });
  const dims = ranges.map((r) => r.count);
  const si = strides(x.dims);
  const so = strides(dims);
  const data = new Array<number>(size(dims));
  for (let i = 0; i < data.length; i++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += (ranges[k].start + (Math.floor(i / so[k]) % dims[k]) * ranges[k].step) * si[k];
    data[i] = x.data[src];
  }
  return { dims, data };
}

/** ONNX Reshape semantics on a constant: 0 copies the input dim (unless allowzero), -1 is inferred. */
export function resolveReshape(inputDims: number[], target: number[], allowZero = false): number[] {
  const out = target.map((t, i) => (t === 0 && !allowZero ? inputDims[i] : t));
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    const known = out.reduce((a, d, i) => (i === unknown ? a : a * d), 1);
    out[unknown] = size(inputDims) / known;
  }
  return out;
}

/**
 * Evaluates `node` when all its (present) inputs are constants; undefined when the op is not one
 * that is folded here. `inputs[i]` is undefined for an omitted optional input.
 */
export function foldConstant(node: OnnxNode, inputs: (ConstValue | undefined)[], attrs: NodeAttributes, opset: number): ConstValue[] | undefined {
  const [a, b] = inputs;
  const binary = (op: (x: number, y: number) => number) => [broadcast(a!, b!, op)];
  switch (node.opType) {
    case 'Identity':
    case 'Cast':
      return [a!];
    case 'Add':
      return binary((x, y) => x + y);
    case 'Sub':
      return binary((x, y) => x - y);
    case 'Mul':
      return binary((x, y) => x * y);
    case 'Div':
      return binary((x, y) => (Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y));
    case 'Neg':
      return [{ dims: a!.dims, data: a!.data.map((v) => -v) }];
    case 'Sqrt':
      return [{ dims: a!.dims, data: a!.data.map(Math.sqrt) }];
    case 'Gather':
      return [gather(a!, b!, attrs.int('axis', 0))];
    case 'Concat':
      return [concat(inputs.filter((v): v is ConstValue => v !== undefined), attrs.int('axis'))];
    case 'Unsqueeze': {
      const axes = opset >= 13 ? b!.data : attrs.ints('axes');
      const rank = a!.dims.length + axes.length;
      const dims = [...a!.dims];
      for (const axis of axes.map((x) => normAxis(x, rank)).sort((p, q) => p - q)) dims.splice(axis, 0, 1);
      return [{ dims, data: a!.data }];
    }
    case 'Squeeze': {
      const axesList = opset >= 13 ? b?.data : attrs.optionalInts('axes');
      const axes = new Set((axesList ?? a!.dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((x) => normAxis(x, a!.dims.length)));
      return [{ dims: a!.dims.filter((_, i) => !axes.has(i)), data: a!.data }];
    }
    case 'Reshape':
      return [{ dims: resolveReshape(a!.dims, b!.data, attrs.int('allowzero', 0) === 1), data: a!.data }];
    case 'Flatten': {
      const axis = normAxis(attrs.int('axis', 1), a!.dims.length);
      return [{ dims: [size(a!.dims.slice(0, axis)), size(a!.dims.slice(axis))], data: a!.data }];
    }
    case 'Transpose':
      return [transpose(a!, attrs.optionalInts('perm'))];
    case 'Slice':
      if (opset < 10) return [slice(a!, attrs.ints('starts'), attrs.ints('ends'), attrs.optionalInts('axes'))];
      return [slice(a!, b!.data, inputs[2]!.data, inputs[3]?.data, inputs[4]?.data)];
    case 'ConstantOfShape': {
      const value = attrs.optionalTensor('value');
      const fill = value ? constFromTensor(value).data[0] : 0;
      return [{ dims: a!.data, data: new Array<number>(size(a!.data)).fill(fill) }];
    }
    case 'Range': {
      const data: number[] = [];
      for (let v = a!.data[0]; b!.data[0] > a!.data[0] ? v < b!.data[0] : v > b!.data[0]; v += inputs[2]!.data[0]) data.push(v);
      return [{ dims: [data.length], data }];
    }
    default:
      return undefined;
  }
}
