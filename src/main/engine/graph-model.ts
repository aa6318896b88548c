/**
 * Runs a ModelSpec with TensorFlow.js ops, layer by layer in topological order, so that node-layer
 * outputs can be intervened on and measured as they are produced. Intermediate activations are freed
 * as soon as their last consumer has run. A run can stop at a node layer and hand back its "frontier"
 * (every tensor the rest of the network still needs), and later runs can resume from it: the suffix
 * re-run used for ablations and augmentation.
 *
 * Synchronous and tensor-level: callers wrap calls in tf.tidy (see loaded-model.ts).
 */
import { checkBatchInput } from './forward-engine.js';
import { type InterventionSpec, compileForLayer } from './interventions.js';
import { LayerContext, type LayerFn } from './layers/layer-context.js';
import { compileLayer } from './layers/compile-layer.js';
import { ModelLoadError, type ModelSpec, specAncestors } from './model-spec.js';
import { type AnalyzeOptions, type NodeLayerStructure, analyzeNetwork } from './node-layers.js';
import { type TensorPhiKind, computePhi } from './phi.js';
import { tf, type Tensor } from './tf.js';

export interface NodeLayerInfo extends NodeLayerStructure {
  /** Output shape without the batch dimension: [H, W, C] or [C]. */
  shape: number[];
  channels: number;
}

export interface RunRequest {
  interventions?: InterventionSpec;
  /** φ to compute; `layers` defaults to every node layer. */
  phi?: { layers?: string[]; kinds: TensorPhiKind[] };
  /** Dataset-mean maps (H·W·C, row-major) for `mean` interventions, by node layer. */
  meanMaps?: Record<string, Float32Array>;
  /** Per-sample maps added to node-layer activations after interventions ([batch, ...shape]; ForwardRequest.addMaps). */
  addMaps?: Record<string, Float32Array>;
  /** Tensors added to node-layer activations (after interventions): zero probes whose gradient is ∂/∂A. */
  probes?: Record<string, Tensor>;
  /** Node layers whose activations (after interventions) the run returns. */
  capture?: string[];
  /** Run with gradient-friendly (unfused) ops, for use under tf.grad. */
  differentiable?: boolean;
}

export interface RunTensors {
  logits: Tensor;
  /** Activations of `capture` layers. */
  activations?: Record<string, Tensor>;
  /** phi[layer][kind] → [batch, channels]. */
  phi: Record<string, Partial<Record<TensorPhiKind, Tensor>>>;
}

/** Tensors needed to resume the network after a node layer (before its interventions). */
export interface Frontier {
  layer: string;
  batch: number;
  tensors: Map<number, Tensor>;
}

interface ExecLayer {
  name: string;
  className: string;
  inputs: number[];
  fn: LayerFn;
  /** The same layer with plain (unfused) ops, for runs under a gradient tape. */
  gradientFn: LayerFn;
}

export class GraphModel {
  readonly nodeLayers: NodeLayerInfo[];
  readonly params: number;
  readonly numClasses: number;
  readonly inputShape: number[];
  private readonly layers: ExecLayer[];
  private readonly lastUse: number[];
  private readonly nodeAt = new Map<number, NodeLayerInfo>();
  private readonly owned: Tensor[] = [];

  constructor(
    readonly spec: ModelSpec,
    options: AnalyzeOptions = {},
  ) {
    if (spec.inputShape.length !== 3 || !spec.inputShape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new ModelLoadError(spec.source, `input shape [${spec.inputShape.join(', ')}] must be a fixed [H, W, C]`);
    }
    this.inputShape = spec.inputShape;
    const structure = analyzeNetwork(spec, options);
    const needed = specAncestors(this.spec, structure.logitsLayer);
    const index = new Map<string, number>();
    this.layers = [];
    let params = 0;
    try {
      for (const layer of spec.layers) {
        params += layer.weights.reduce((sum, w) => sum + w.values.length, 0);
        if (!needed.has(layer.name)) continue;
        const tensors = new Map(layer.weights.map((w) => [w.name, tf.tensor(w.values, w.shape)]));
        this.owned.push(...tensors.values());
        const ctx = new LayerContext(layer, spec.source, tensors);
        const drop = layer.name === structure.logitsLayer && structure.logitsDropActivation;
        const compiled = compileLayer(ctx, drop);
        const plain = compileLayer(ctx, drop, false);
        this.owned.push(...compiled.owned, ...plain.owned);
        const inputs = layer.inbound.map((name) => {
          const i = index.get(name);
          if (i === undefined) throw ctx.error(`takes input from ${name}, which comes later or does not exist`);
          return i;
        });
        index.set(layer.name, this.layers.length);
        this.layers.push({ name: layer.name, className: layer.className, inputs, fn: compiled.fn, gradientFn: plain.fn });
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
    this.params = params;
    this.lastUse = this.layers.map(() => -1);
    this.layers.forEach((layer, i) => layer.inputs.forEach((j) => (this.lastUse[j] = Math.max(this.lastUse[j], i))));
    this.lastUse[this.layers.length - 1] = Number.POSITIVE_INFINITY;

    const shapes = this.probeShapes();
    this.nodeLayers = structure.nodeLayers.map((n) => {
      const shape = shapes[index.get(n.outputLayer)!];
      return { ...n, shape, channels: shape[shape.length - 1] };
    });
    for (const n of this.nodeLayers) this.nodeAt.set(index.get(n.outputLayer)!, n);
    this.numClasses = this.nodeLayers[this.nodeLayers.length - 1].channels;
  }

  nodeLayer(name: string): NodeLayerInfo {
    const n = this.nodeLayers.find((l) => l.name === name);
    if (!n) throw new RangeError(`no node layer named ${name}; node layers: ${this.nodeLayers.map((l) => l.name).join(', ')}`);
    return n;
  }

  /** Full forward pass of a [B, H, W, C] input. Call inside tf.tidy. */
  /** `batch` images ([batch, H, W, C] row-major) as the input tensor; the caller disposes it (or runs in tf.tidy). */
  inputTensor(input: Float32Array, batch: number): Tensor {
    checkBatchInput(input, batch, this.inputShape);
    const [h, w, c] = this.inputShape;
    return tf.tensor4d(input, [batch, h, w, c]);
  }

  run(x: Tensor, request: RunRequest = {}): RunTensors {
    this.checkInput(x);
    const values: (Tensor | undefined)[] = new Array(this.layers.length);
    return this.execute(values, 0, x.shape[0], request, new Set([x]), undefined) as RunTensors;
  }

  /** Runs up to node layer `layer` (before its interventions) and returns what the rest needs. */
  captureFrontier(x: Tensor, layer: string, request: RunRequest = {}): Frontier {
    this.checkInput(x);
    const at = this.indexOfNodeOutput(layer);
    const values: (Tensor | undefined)[] = new Array(this.layers.length);
    return this.execute(values, 0, x.shape[0], request, new Set([x]), at) as Frontier;
  }

  /**
   * Resumes from a frontier, the batch repeated `repeat` times (sample r·B + b is image b under the
   * r-th copy's interventions), applying the frontier layer's interventions first. Call inside tf.tidy.
   */
  runFromFrontier(frontier: Frontier, request: RunRequest = {}, repeat = 1): RunTensors {
    const at = this.indexOfNodeOutput(frontier.layer);
    const values: (Tensor | undefined)[] = new Array(this.layers.length);
    const keep = new Set<Tensor>();
    for (const [i, t] of frontier.tensors) {
      // concat, not tile: on the wasm backend tile is 20–40× slower for the same copy.
      const v = repeat === 1 ? t : tf.concat(Array.from({ length: repeat }, () => t), 0);
      if (repeat === 1) keep.add(v);
      values[i] = v;
    }
    return this.execute(values, at, frontier.batch * repeat, request, keep, undefined, true) as RunTensors;
  }

  dispose(): void {
    for (const t of this.owned) t.dispose();
    this.owned.length = 0;
  }

  private execute(
    values: (Tensor | undefined)[],
    from: number,
    batch: number,
    request: RunRequest,
    keep: Set<Tensor>,
    captureAt: number | undefined,
    resumed = false,
  ): RunTensors | Frontier {
    const phi: RunTensors['phi'] = {};
    let activations: Record<string, Tensor> | undefined;
    const phiLayers = request.phi ? new Set(request.phi.layers ?? this.nodeLayers.map((n) => n.name)) : undefined;
    for (let i = from; i < this.layers.length; i++) {
      const layer = this.layers[i];
      if (!(resumed && i === from)) {
        const fn = request.differentiable ? layer.gradientFn : layer.fn;
        values[i] = layer.inputs.length === 0 ? [...keep][0] : fn(layer.inputs.map((j) => values[j]!));
        // Under a gradient tape the backward pass still needs every activation: tidy frees them later.
        if (!request.differentiable) for (const j of layer.inputs) if (this.lastUse[j] === i) this.release(values, j, keep);
      }
      const node = this.nodeAt.get(i);
      if (!node) continue;
      if (captureAt === i) {
        const tensors = new Map<number, Tensor>();
        values.forEach((t, j) => {
          if (t && j <= i && this.lastUse[j] > i) tensors.set(j, t);
        });
        tensors.set(i, values[i]!);
        return { layer: node.name, batch, tensors };
      }
      const compiled = request.interventions
        ? compileForLayer(request.interventions, node.name, batch, [batch, ...node.shape], request.meanMaps?.[node.name])
        : undefined;
      if (compiled) {
        const raw = values[i]!;
        values[i] = compiled.apply(raw);
        compiled.dispose();
        if (!request.differentiable && !keep.has(raw) && !values.includes(raw)) raw.dispose();
      }
      const map = request.addMaps?.[node.name];
      if (map) {
        const size = node.shape.reduce((a, b) => a * b, 1);
        if (map.length !== batch * size) throw new RangeError(`the map added to ${node.name} has ${map.length} values; ${batch} samples need ${batch * size}`);
        values[i] = tf.add(values[i]!, tf.tensor(map, [batch, ...node.shape]));
      }
      const probe = request.probes?.[node.name];
      if (probe) values[i] = tf.add(values[i]!, probe);
      if (request.capture?.includes(node.name)) {
        (activations ??= {})[node.name] = values[i]!;
        keep.add(values[i]!); // the caller owns it now: do not free it after its last consumer
      }
      if (phiLayers?.has(node.name)) {
        phi[node.name] = {};
        for (const kind of request.phi!.kinds) phi[node.name][kind] = computePhi(values[i]!, kind);
      }
    }
    const logits = values[this.layers.length - 1]!;
    return { logits: keep.has(logits) ? logits.clone() : logits, phi, activations };
  }

  private release(values: (Tensor | undefined)[], j: number, keep: Set<Tensor>): void {
    const t = values[j];
    // Identity layers (Dropout, InputLayer) pass the same tensor on: free it only once nothing holds it.
    if (t && !keep.has(t) && !values.some((other, k) => k !== j && other === t)) t.dispose();
    values[j] = undefined;
  }

  private indexOfNodeOutput(layer: string): number {
    const node = this.nodeLayer(layer);
    return this.layers.findIndex((l) => l.name === node.outputLayer);
  }

  private checkInput(x: Tensor): void {
    const [, h, w, c] = x.shape;
    if (x.rank !== 4 || h !== this.inputShape[0] || w !== this.inputShape[1] || c !== this.inputShape[2]) {
      throw new RangeError(`input has shape [${x.shape.join(', ')}], the model expects [B, ${this.inputShape.join(', ')}]`);
    }
  }

  private probeShapes(): number[][] {
    return tf.tidy(() => {
      const values: Tensor[] = [];
      this.layers.forEach((layer, i) => {
        values[i] = layer.inputs.length === 0 ? tf.zeros([1, ...this.inputShape]) : layer.fn(layer.inputs.map((j) => values[j]));
      });
      return values.map((v) => v.shape.slice(1));
    });
  }
}
