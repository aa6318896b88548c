// Reads and writes ONNX ModelProto bytes with protobufjs (a well-kept protobuf runtime) on the official
// schema, so neither the ONNX reader nor the ONNX Runtime engine hand-parses protobuf wire format.
import protobuf from 'protobufjs';
import { ONNX_PROTO_SCHEMA } from './onnx-schema.js';

/** TensorProto.DataType values this project reads or writes. */
export const OnnxDataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values. */
export const OnnxAttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface OnnxTensor {
  name?: string;
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  rawData?: Uint8Array;
  dataLocation?: number;
  externalData?: { key?: string; value?: string }[];
}

export interface OnnxAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

export interface OnnxNode {
  name?: string;
  opType?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: OnnxAttribute[];
}

export interface OnnxDimension {
  dimValue?: number;
  dimParam?: string;
}

export interface OnnxValueInfo {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: OnnxDimension[] } } };
}

export interface OnnxGraph {
  name?: string;
  node?: OnnxNode[];
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
  valueInfo?: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  opsetImport?: { domain?: string; version?: number }[];
  graph?: OnnxGraph;
}

let modelType: protobuf.Type | undefined;
function modelProto(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_PROTO_SCHEMA, { keepCase: false }).root.lookupType('onnx.ModelProto');
  return modelType;
}

/** Decodes ONNX bytes; 64-bit integers become numbers (shapes and attributes of CNNs fit exactly). */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  const type = modelProto();
  const message = type.decode(bytes);
  return type.toObject(message, { longs: Number, enums: Number, bytes: Uint8Array, defaults: false, arrays: true }) as OnnxModel;
}

/** Encodes a model built as plain objects (the shapes above) into ONNX bytes. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const type = modelProto();
  return type.encode(type.fromObject(model as Record<string, unknown>)).finish();
}

/** A float32 initializer with raw little-endian data (how exporters store weights). */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): OnnxTensor {
  const copy = new Float32Array(values);
  return { name, dims: [...dims], dataType: OnnxDataType.FLOAT, rawData: new Uint8Array(copy.buffer) };
}

/** An int64 initializer (shapes, axes), stored as int64Data. */
export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): OnnxTensor {
  return { name, dims: [...dims], dataType: OnnxDataType.INT64, int64Data: [...values] };
}

/** The float values of an initializer or constant tensor, whichever field holds them. */
export function tensorFloats(tensor: OnnxTensor): Float32Array {
  const count = (tensor.dims ?? []).reduce((a, b) => a * b, 1);
  const type = tensor.dataType ?? OnnxDataType.FLOAT;
  if (tensor.rawData && tensor.rawData.length > 0) {
    const raw = tensor.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      if (type === OnnxDataType.FLOAT) out[i] = view.getFloat32(i * 4, true);
      else if (type === OnnxDataType.DOUBLE) out[i] = view.getFloat64(i * 8, true);
      else if (type === OnnxDataType.INT64) out[i] = Number(view.getBigInt64(i * 8, true));
      else if (type === OnnxDataType.INT32) out[i] = view.getInt32(i * 4, true);
      else throw new Error(`tensor ${tensor.name ?? ''} has data type ${type}, which is not read here`);
    }
    return out;
  }
  const list = tensor.floatData ?? tensor.doubleData ?? tensor.int64Data ?? tensor.int32Data ?? [];
  return Float32Array.from(list);
}
