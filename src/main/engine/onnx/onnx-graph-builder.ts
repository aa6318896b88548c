/**
 * A small writer for ONNX graphs as plain objects (the shapes onnx-proto.ts encodes): fresh value
 * names, nodes with typed attributes, float/int64 initializers and shared scalar constants.
 */
import {
  type OnnxAttribute,
  OnnxAttributeType,
  OnnxDataType,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
  floatTensor,
  int64Tensor,
} from './onnx-proto.js';

/** The opset our translations target: Reduce* take axes as attributes, Clip/Pad take inputs. */
export const OPSET = 13;

export type AttributeValue = number | number[] | string | { float: number } | { floats: number[] };

function attribute(name: string, value: AttributeValue): OnnxAttribute {
  if (typeof value === 'string') return { name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new RangeError(`attribute ${name}: ${value} is not an integer; pass { float }`);
    return { name, type: OnnxAttributeType.INT, i: value };
  }
  if (Array.isArray(value)) return { name, type: OnnxAttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: OnnxAttributeType.FLOAT, f: value.float };
  return { name, type: OnnxAttributeType.FLOATS, floats: value.floats };
}

/** A graph input or output: float32 unless told, each dimension a number or a symbolic name. */
export function valueInfo(name: string, dims: (number | string)[], elemType: number = OnnxDataType.FLOAT): OnnxValueInfo {
  return {
    name,
    type: {
      tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } },
    },
  };
}

export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();
  private readonly initializerNames = new Set<string>();

  /** A value name no other value has. */
  fresh(hint: string): string {
    return `${hint.replace(/[^A-Za-z0-9_./-]/g, '_')}#${this.counter++}`;
  }

  /** Adds a node with one output (returned) or the given output names. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, hint = opType): string {
    const output = this.fresh(hint);
    this.nodes.push({
      opType,
      name: output,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  /** Adds a node writing to a chosen name (graph outputs). */
  opInto(output: string, opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}): string {
    this.nodes.push({ opType, name: output, input: inputs, output: [output], attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)) });
    return output;
  }

  /** A float initializer; a tensor already added under the same name is reused (weights shared by variants). */
  floats(name: string, dims: number[], values: Float32Array): string {
    if (!this.initializerNames.has(name)) {
      this.initializerNames.add(name);
      this.initializers.push(floatTensor(name, dims, values));
    }
    return name;
  }

  /** Adds a ready-made initializer (cached conversions of a layer's weights). */
  initializer(tensor: OnnxTensor): string {
    const name = tensor.name!;
    if (!this.initializerNames.has(name)) {
      this.initializerNames.add(name);
      this.initializers.push(tensor);
    }
    return name;
  }

  /** An int64 constant (shapes, pads, repeats), shared by value. */
  ints(values: number[]): string {
    const key = `i64:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.fresh('const_i64');
      this.initializers.push(int64Tensor(name, [values.length], values));
      this.initializerNames.add(name);
      this.constants.set(key, name);
    }
    return name;
  }

  /** A float32 scalar constant, shared by value. */
  scalar(value: number): string {
    const key = `f32:${value}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.fresh('const_f32');
      this.floats(name, [], Float32Array.of(value));
      this.constants.set(key, name);
    }
    return name;
  }

  input(name: string, dims: (number | string)[], elemType: number = OnnxDataType.FLOAT): string {
    this.inputs.push(valueInfo(name, dims, elemType));
    return name;
  }

  output(name: string, dims: (number | string)[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  model(name: string): OnnxModel {
    return {
      irVersion: 8,
      producerName: 'causeway',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
  }
}
