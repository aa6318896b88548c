/**
 * Builds the ONNX graphs the ONNX Runtime engine runs, from our model spec: one translation of the
 * network, cut and extended per need:
 * - a full pass (input → logits) or a suffix from a frontier (the tensors the rest of the network
 *   needs after node layer l, optionally tiled `repeat` times so several masks share one pass);
 * - or a prefix that stops at node layer l and returns its frontier;
 * - with intervention inputs on the node layers that are intervened (A' = A·mul + add, per channel,
 *   per sample or shared; `add` may be a full map for `mean` interventions) and φ outputs per node layer.
 * Graph inputs: `input` [B, H, W, C] (channels-last, as callers give it), `frontier:<j>`, `repeat`,
 * `mul:<layer>`, `add:<layer>`. Outputs: `logits`, `phi:<layer>:<kind>`, and a prefix's frontier tensors
 * under their own names (BuiltProgram.outputs).
 */
import { type LayerSpec, type ModelSpec, specAncestors } from '../model-spec.js';
import { type AnalyzeOptions, analyzeNetwork, type NodeLayerStructure } from '../node-layers.js';
import type { TensorPhiKind } from '../phi.js';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { OnnxDataType, encodeOnnxModel } from './onnx-proto.js';
import { type OnnxValue, type WeightCache, translateLayer } from './layers-to-onnx.js';

export interface OnnxProgram {
  /** Resume after node layer `from` (its frontier is the graph input); omitted: start at the image. */
  from?: string;
  /** Tile the frontier along the batch by the `repeat` input. */
  repeat?: boolean;
  /** Stop at node layer `stopAt` (before its interventions) and output its frontier. */
  stopAt?: string;
  /** Node layers with intervention inputs. */
  intervene?: string[];
  /** φ outputs; `layers` defaults to every node layer the graph runs. */
  phi?: { layers?: string[]; kinds: TensorPhiKind[] };
}

export interface BuiltProgram {
  bytes: Uint8Array;
  /** Frontier slots (layer indices) this graph reads or writes. */
  frontier: number[];
  /** A prefix's output name of each frontier slot. */
  outputs?: Record<number, string>;
}

const IDENTITY_CLASSES = new Set(['InputLayer', 'Dropout', 'SpatialDropout2D', 'GaussianNoise']);

interface NetworkLayer {
  spec: LayerSpec;
  inputs: number[];
}

export class OnnxNetwork {
  readonly nodeLayers: NodeLayerStructure[];
  /** Keras shape (no batch) of every layer's output, from a full translation. */
  readonly shapes: number[][];
  private readonly layers: NetworkLayer[];
  private readonly lastUse: number[];
  /** The layer whose tensor a layer passes on unchanged (identity layers), else itself. */
  private readonly representative: number[];
  private readonly nodeAt = new Map<number, NodeLayerStructure>();
  private readonly dropLogitsActivation: boolean;
  private readonly cache: WeightCache = new Map();

  /** `options`: the node-layer families, as the TensorFlow.js graph has them (dense layers are optional). */
  constructor(
    readonly spec: ModelSpec,
    options: AnalyzeOptions = {},
  ) {
    const structure = analyzeNetwork(spec, options);
    this.nodeLayers = structure.nodeLayers;
    this.dropLogitsActivation = structure.logitsDropActivation;
    const needed = specAncestors(spec, structure.logitsLayer);
    const index = new Map<string, number>();
    this.layers = [];
    for (const layer of spec.layers) {
      if (!needed.has(layer.name)) continue;
      const inputs = layer.inbound.map((name) => {
        const i = index.get(name);
        if (i === undefined) throw new Error(`${spec.source}: layer ${layer.name} takes input from ${name}, which comes later or does not exist`);
        return i;
      });
      index.set(layer.name, this.layers.length);
      this.layers.push({ spec: layer, inputs });
    }
    this.lastUse = this.layers.map(() => -1);
    this.layers.forEach((layer, i) => layer.inputs.forEach((j) => (this.lastUse[j] = Math.max(this.lastUse[j], i))));
    this.lastUse[this.layers.length - 1] = Number.POSITIVE_INFINITY;
    this.representative = this.layers.map((_, i) => i);
    this.layers.forEach((layer, i) => {
      if (IDENTITY_CLASSES.has(layer.spec.className) && layer.inputs.length === 1) this.representative[i] = this.representative[layer.inputs[0]];
    });
    for (const n of this.nodeLayers) this.nodeAt.set(index.get(n.outputLayer)!, n);
    this.shapes = this.translateAll();
  }

  /** Keras shape of a node layer's output. */
  nodeShape(layer: string): number[] {
    return this.shapes[this.indexOf(layer)];
  }

  /** The ONNX bytes of one program; `frontier` lists the slots of the frontier it reads or writes. */
  build(program: OnnxProgram): BuiltProgram {
    const b = new OnnxGraphBuilder();
    const values: (OnnxValue | undefined)[] = new Array(this.layers.length);
    const intervene = new Set(program.intervene ?? []);
    const phiKinds = program.phi?.kinds ?? [];
    const phiLayers = program.phi ? new Set(program.phi.layers ?? this.nodeLayers.map((n) => n.name)) : new Set<string>();
    const stopAt = program.stopAt === undefined ? -1 : this.indexOf(program.stopAt);
    let start = 0;
    let frontier: number[] = [];

    if (program.from !== undefined) {
      start = this.indexOf(program.from);
      frontier = this.frontierSlots(start);
      const repeat = program.repeat ? b.input('repeat', [1], OnnxDataType.INT64) : undefined;
      for (const j of frontier) {
        const shape = this.shapes[j];
        const name = b.input(`frontier:${j}`, ['batch', ...storedDims(shape)]);
        const tiled = repeat ? b.op('Tile', [name, b.op('Concat', [repeat, b.ints(new Array(shape.length).fill(1))], { axis: 0 })]) : name;
        values[j] = { name: tiled, shape };
      }
      this.layers.forEach((_, i) => {
        if (i <= start && values[i] === undefined && frontier.includes(this.representative[i])) values[i] = values[this.representative[i]];
      });
    }

    for (let i = start; i < this.layers.length; i++) {
      const layer = this.layers[i];
      if (!(program.from !== undefined && i === start)) {
        if (layer.inputs.length === 0) {
          const [h, w, c] = this.spec.inputShape;
          const x = b.input('input', ['batch', h, w, c]);
          values[i] = { name: b.op('Transpose', [x], { perm: [0, 3, 1, 2] }, 'input_nchw'), shape: [h, w, c] };
        } else {
          const drop = i === this.layers.length - 1 && this.dropLogitsActivation;
          values[i] = translateLayer(b, layer.spec, layer.inputs.map((j) => values[j]!), drop, this.cache, this.spec.source);
        }
      }
      const node = this.nodeAt.get(i);
      if (!node) continue;
      if (i === stopAt) {
        frontier = this.frontierSlots(i);
        // The frontier tensors are graph outputs under their own names: an Identity copy per output
        // costs a copy, and ORT 1.30's optimizer breaks a graph where one feeds a fused Pad→Conv.
        const outputs: Record<number, string> = {};
        for (const j of frontier) {
          const name = values[j]!.name;
          if (!Object.values(outputs).includes(name)) b.output(name, ['batch', ...storedDims(this.shapes[j])]);
          outputs[j] = name;
        }
        return { bytes: encodeOnnxModel(b.model('prefix')), frontier, outputs };
      }
      const value = values[i]!;
      if (intervene.has(node.name)) {
        const channels = value.shape[value.shape.length - 1];
        const spatial = value.shape.length === 3;
        const mul = b.input(`mul:${node.name}`, spatial ? [`mul_rows_${i}`, channels, 1, 1] : [`mul_rows_${i}`, channels]);
        const add = b.input(`add:${node.name}`, spatial ? [`add_rows_${i}`, channels, `add_h_${i}`, `add_w_${i}`] : [`add_rows_${i}`, channels]);
        const intervened = { name: b.op('Add', [b.op('Mul', [value.name, mul]), add], {}, `do_${node.name}`), shape: value.shape };
        // Every consumer of this layer (and of identity layers passing it on) reads the intervened value.
        this.layers.forEach((_, k) => {
          if (values[k] === value) values[k] = intervened;
        });
        values[i] = intervened;
      }
      if (phiLayers.has(node.name)) for (const kind of phiKinds) this.phiOutput(b, values[i]!, node.name, kind);
    }
    const logits = values[this.layers.length - 1]!;
    b.opInto('logits', 'Identity', [logits.name]);
    b.output('logits', ['batch', ...logits.shape]);
    return { bytes: encodeOnnxModel(b.model(program.from ? 'suffix' : 'forward')), frontier };
  }

  /** Index (in execution order) of the layer whose output is node layer `name`. */
  indexOf(name: string): number {
    const node = this.nodeLayers.find((n) => n.name === name);
    if (!node) throw new RangeError(`no node layer named ${name}; node layers: ${this.nodeLayers.map((n) => n.name).join(', ')}`);
    return this.layers.findIndex((l) => l.spec.name === node.outputLayer);
  }

  /** Distinct tensors the network still needs after layer i (i's own output included). */
  private frontierSlots(i: number): number[] {
    const slots = new Set<number>();
    for (let j = 0; j <= i; j++) if (j === i || this.lastUse[j] > i) slots.add(this.representative[j]);
    return [...slots].sort((a, z) => a - z);
  }

  private phiOutput(b: OnnxGraphBuilder, value: OnnxValue, layer: string, kind: TensorPhiKind): void {
    const out = `phi:${layer}:${kind}`;
    const channels = value.shape[value.shape.length - 1];
    b.output(out, ['batch', channels]);
    if (value.shape.length === 1) {
      b.opInto(out, 'Identity', [value.name]);
      return;
    }
    if (value.shape.length !== 3) throw new RangeError(`φ needs a [H, W, C] or [C] node layer; ${layer} is [${value.shape.join(', ')}]`);
    const axes = { axes: [2, 3], keepdims: 0 };
    switch (kind) {
      case 'fro':
        b.opInto(out, 'Sqrt', [b.op('ReduceSumSquare', [value.name], axes)]);
        return;
      case 'mean':
        b.opInto(out, 'ReduceMean', [value.name], axes);
        return;
      case 'max':
        b.opInto(out, 'ReduceMax', [value.name], axes);
        return;
      case 'std': {
        // Population std as tf.moments: mean of squared deviations from the map's mean.
        const mean = b.op('ReduceMean', [value.name], { axes: [2, 3], keepdims: 1 });
        const d = b.op('Sub', [value.name, mean]);
        b.opInto(out, 'Sqrt', [b.op('ReduceMean', [b.op('Mul', [d, d])], axes)]);
        return;
      }
    }
  }

  /** Translates the whole network once: validates every layer and records output shapes. */
  private translateAll(): number[][] {
    const b = new OnnxGraphBuilder();
    const values: OnnxValue[] = [];
    this.layers.forEach((layer, i) => {
      if (layer.inputs.length === 0) values[i] = { name: 'input', shape: this.spec.inputShape };
      else {
        const drop = i === this.layers.length - 1 && this.dropLogitsActivation;
        values[i] = translateLayer(b, layer.spec, layer.inputs.map((j) => values[j]), drop, this.cache, this.spec.source);
      }
    });
    return values.map((v) => v.shape);
  }
}

/** Stored dims (no batch): feature maps NCHW, others as in Keras. */
export function storedDims(shape: number[]): number[] {
  return shape.length === 3 ? [shape[2], shape[0], shape[1]] : shape;
}

