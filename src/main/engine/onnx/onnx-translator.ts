/**
 * The state of one ONNX → ModelSpec translation: the Keras-style layers emitted so far (channels
 * last), what each ONNX tensor name stands for (a constant, or a layer output with its ONNX-layout
 * shape), and the error helpers that name the file, the node and the op.
 *
 * Layout [ours]: the graph is translated to NHWC once, at load time. Conv kernels go from ONNX's
 * [O, I, kh, kw] to [kh, kw, I, O]; a tensor's `shape` stays in ONNX order ([N, C, H, W] or [N, F])
 * so attribute arithmetic reads like the ONNX spec, while the layer runs on [N, H, W, C].
 */
import type { LayerSpec, NamedWeight } from '../model-spec.js';
import { ModelLoadError } from '../model-spec.js';
import { NodeAttributes } from './onnx-attributes.js';
import { BATCH_DIM, type ConstValue } from './onnx-constants.js';
import type { OnnxNode } from './onnx-proto.js';

export interface TensorValue {
  kind: 'tensor';
  /** The layer whose output this is. */
  layer: string;
  /** ONNX-layout shape, batch first as BATCH_DIM: [N, C, H, W] or [N, F]. */
  shape: number[];
  /** Every element is ≥ 0 (after ReLU, ReLU6, sigmoid): zero padding then equals −∞ padding for max pooling. */
  nonNegative?: boolean;
  /** The [C, H, W] of the feature map this flat vector came from (ONNX flattens C-major, we H·W-major). */
  flattenedFrom?: [number, number, number];
}

export interface ConstantValue {
  kind: 'const';
  value: ConstValue;
}

export type Value = TensorValue | ConstantValue;

export class OnnxTranslator {
  readonly layers: LayerSpec[] = [];
  private readonly values = new Map<string, Value>();
  private readonly names = new Set<string>();
  /** Number of nodes reading each tensor name (graph outputs count as readers). */
  readonly readers = new Map<string, OnnxNode[]>();

  constructor(
    readonly file: string,
    readonly opset: number,
    nodes: OnnxNode[],
    private readonly graphOutputs: string[] = [],
  ) {
    for (const node of nodes) {
      for (const input of node.input ?? []) if (input) this.readers.set(input, [...(this.readers.get(input) ?? []), node]);
    }
  }

  error(node: OnnxNode, problem: string): ModelLoadError {
    return new ModelLoadError(this.file, `node "${node.name || node.output?.[0] || '?'}" (${node.opType}) ${problem}`);
  }

  attributes(node: OnnxNode): NodeAttributes {
    return new NodeAttributes(node, (problem) => this.error(node, problem));
  }

  setValue(name: string, value: Value): void {
    this.values.set(name, value);
  }

  value(name: string): Value | undefined {
    return this.values.get(name);
  }

  /** The i-th input as a constant, or undefined when omitted; a dynamic tensor there is an error. */
  constInput(node: OnnxNode, i: number, what: string): ConstValue | undefined {
    const name = node.input?.[i];
    if (!name) return undefined;
    const v = this.values.get(name);
    if (!v) throw this.error(node, `reads ${name}, which no earlier node produces`);
    if (v.kind !== 'const') throw this.error(node, `takes its ${what} from a computed tensor; only constant ${what}s are supported`);
    return v.value;
  }

  /** The i-th input as a layer output; a constant there is an error. */
  tensorInput(node: OnnxNode, i: number): TensorValue {
    const name = node.input?.[i];
    const v = name ? this.values.get(name) : undefined;
    if (!v) throw this.error(node, `reads ${name || '(nothing)'}, which no earlier node produces`);
    if (v.kind !== 'tensor') throw this.error(node, `expects a computed tensor as input ${i + 1}, got a constant`);
    return v;
  }

  /** A unique layer name: the node's name, else its op and index. */
  layerName(node: OnnxNode, suffix = ''): string {
    const base = (node.name || `${node.opType}_${node.output?.[0] ?? this.layers.length}`) + suffix;
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  addLayer(name: string, className: string, config: Record<string, unknown>, inbound: string[], weights: NamedWeight[] = []): string {
    this.names.add(name);
    this.layers.push({ name, className, config: { name, ...config }, inbound, weights });
    return name;
  }

  /** Emits one layer for the node and records it as the node's first output. */
  emit(node: OnnxNode, className: string, config: Record<string, unknown>, inbound: string[], shape: number[], weights: NamedWeight[] = [], extra: Partial<TensorValue> = {}): TensorValue {
    const layer = this.addLayer(this.layerName(node), className, config, inbound, weights);
    const value: TensorValue = { kind: 'tensor', layer, shape, ...extra };
    this.values.set(node.output![0], value);
    return value;
  }

  /** The output passes its input through unchanged (Dropout, Identity, a zero Pad). */
  alias(node: OnnxNode, input: TensorValue, extra: Partial<TensorValue> = {}): void {
    this.values.set(node.output![0], { ...input, ...extra });
  }

  isGraphOutput(tensor: string): boolean {
    return this.graphOutputs.includes(tensor);
  }

  layer(name: string): LayerSpec {
    return this.layers.find((l) => l.name === name)!;
  }

  /** Only this node reads the tensor (so the layer producing it may be changed in place). */
  soleReader(tensor: string, node: OnnxNode): boolean {
    const readers = this.readers.get(tensor) ?? [];
    return readers.length === 1 && readers[0] === node;
  }

  /** A 4-D feature map's [C, H, W], or an error naming the node. */
  chw(node: OnnxNode, x: TensorValue): [number, number, number] {
    if (x.shape.length !== 4) throw this.error(node, `expects a 4-D feature map [N, C, H, W], got rank ${x.shape.length}`);
    return [x.shape[1], x.shape[2], x.shape[3]];
  }
}

export function isBatch(dim: number): boolean {
  return dim === BATCH_DIM;
}
