/**
 * Path interventions (METHODS §3): blocking the path from channel j of a node layer to channel k of
 * the next conv by zeroing the kernel slice W[:,:,j,k] in a *working copy* of the weights (the
 * model file and the loaded model are never touched).
 *
 * Two ways to run them, equal up to float rounding:
 * - `zeroKernelSlices` / `withEditedModel`: the edited ModelSpec loaded as a model of its own (the
 *   reference: one model per edit set, a full forward pass);
 * - `PathInterventionBatch`: many single-path edits in one suffix pass. A conv is linear in its input
 *   channels, so zeroing W[:,:,j,k] changes only output channel k, by −conv(X_j, W[:,:,j,k]) before
 *   bias, BN and activation. One depthwise convolution of the conv input X gives that term for every
 *   j; each copy of the batch gets its edited channel pushed through the BN/activation, and the rest
 *   of the network runs once on all copies from the conv's frontier.
 * Residual merges [ours]: the edge from parent P's channel k into Add channel k removes P's term
 * from the sum (Add' = Add − P_k, then the activation after the Add): a path intervention with no
 * weight to edit, computed the same way.
 * On ONNX Runtime the rest of the network runs there [issue 16: the TensorFlow.js-wasm suffix was
 * most of a deep model's graph time]: TensorFlow.js computes only each copy's change of the node
 * layer, on its edited channel alone (BN as that channel's scale and shift, activations and pooling
 * as they are), which is added to the layer in an ONNX Runtime suffix pass (ForwardRequest.addMaps).
 */
import { type FrontierHandle, checkBatchInput } from './forward-engine.js';
import type { Frontier, GraphModel, NodeLayerInfo } from './graph-model.js';
import { activationOf } from './layers/convolution.js';
import { compileLayer } from './layers/compile-layer.js';
import { LayerContext, type LayerFn } from './layers/layer-context.js';
import { LoadedModel } from './loaded-model.js';
import type { LayerSpec, ModelSpec } from './model-spec.js';
import { ensureGradients, tf, type Tensor } from './tf.js';

/** Zero kernel[:, :, input, output] of the Conv2D (or Dense kernel[input, output]) named `layer`. */
export interface KernelSliceEdit {
  layer: string;
  input: number;
  output: number;
}

/** A copy of `spec` with the kernel slices zeroed; only the edited weight arrays are copied. */
export function zeroKernelSlices(spec: ModelSpec, edits: KernelSliceEdit[]): ModelSpec {
  const copies = new Map<string, Float32Array>();
  for (const edit of edits) {
    const layer = spec.layers.find((l) => l.name === edit.layer);
    if (!layer || (layer.className !== 'Conv2D' && layer.className !== 'Dense')) {
      throw new Error(`${spec.source}: ${edit.layer} is not a Conv2D or Dense layer; kernel slices can only be zeroed there`);
    }
    if (Number(layer.config.groups ?? 1) !== 1) throw new Error(`${spec.source}: ${edit.layer} is a grouped convolution; its kernel slices cannot be zeroed per input channel`);
    const kernel = layer.weights.find((w) => w.name === 'kernel')!;
    const [cin, cout] = kernel.shape.slice(-2);
    if (!(Number.isInteger(edit.input) && edit.input >= 0 && edit.input < cin && Number.isInteger(edit.output) && edit.output >= 0 && edit.output < cout)) {
      throw new RangeError(`${edit.layer}: slice ${edit.input}→${edit.output} is outside its ${cin} inputs × ${cout} outputs`);
    }
    let values = copies.get(layer.name);
    if (!values) copies.set(layer.name, (values = Float32Array.from(kernel.values)));
    for (let pos = 0; pos < values.length; pos += cin * cout) values[pos + edit.input * cout + edit.output] = 0;
  }
  return {
    ...spec,
    layers: spec.layers.map((l) => {
      const values = copies.get(l.name);
      return values ? { ...l, weights: l.weights.map((w) => (w.name === 'kernel' ? { ...w, values } : w)) } : l;
    }),
  };
}

/** Runs `fn` on a model loaded from the edited copy, and frees that copy afterwards. */
export async function withEditedModel<T>(model: LoadedModel, edits: KernelSliceEdit[], fn: (edited: LoadedModel) => Promise<T>): Promise<T> {
  const edited = await LoadedModel.fromSpec(zeroKernelSlices(model.graph.spec, edits), { engine: model.engine.name });
  try {
    return await fn(edited);
  } finally {
    edited.dispose();
  }
}

/** How a node layer's incoming paths are blocked: kernel slices (conv) or merge terms (Add). */
export interface IncomingPaths {
  target: string;
  kind: 'kernel' | 'merge';
  /** Parent node layers; a kernel target has exactly one (every j → k), a merge one per branch (k → k). */
  sources: string[];
}

/** One blocked path: source channel `from` → target channel `to` (equal for merges). */
export interface PathEdge {
  source: string;
  from: number;
  to: number;
}

const channelwise = new Set([
  'MaxPooling2D',
  'AveragePooling2D',
  'ZeroPadding2D',
  'Dropout',
  'SpatialDropout2D',
  'GaussianNoise',
  'BatchNormalization',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
]);

interface Segment {
  paths: IncomingPaths;
  node: NodeLayerInfo;
  /** Layers from the parent's output to the conv input (kernel) — channelwise only. */
  pre: LayerSpec[];
  /** The conv (kernel) or Add (merge) layer itself. */
  core: LayerSpec;
  /** Layers after the core up to the node layer's output (BN, activation). */
  post: LayerSpec[];
}

function segmentOf(graph: GraphModel, target: string): Segment {
  const { spec } = graph;
  const node = graph.nodeLayer(target);
  const byName = new Map(spec.layers.map((l) => [l.name, l]));
  const core = byName.get(target)!;
  const fail = (problem: string): never => {
    throw new Error(`${spec.source}: no path interventions into ${target}: ${problem}`);
  };
  const post: LayerSpec[] = [];
  for (let name = target; name !== node.outputLayer; ) {
    const next = spec.layers.find((l) => l.inbound.includes(name));
    if (!next) fail(`cannot follow ${name} to ${node.outputLayer}`);
    post.push(next!);
    name = next!.name;
  }
  if (node.kind === 'merge') {
    if (core.className !== 'Add') fail(`${core.className} merges are not supported (only Add)`);
    const outputs = node.parents.map((p) => graph.nodeLayer(p).outputLayer);
    if (core.inbound.length !== outputs.length || !core.inbound.every((name) => outputs.includes(name))) {
      fail('every input of the Add must be a parent node layer output');
    }
    return { paths: { target, kind: 'merge', sources: node.parents }, node, pre: [], core, post };
  }
  if (node.kind !== 'conv' || core.className !== 'Conv2D') fail(`${core.className} is not a Conv2D`);
  if (Number(core.config.groups ?? 1) !== 1) fail('it is a grouped convolution (its kernel slices do not map one input channel to one filter)');
  if (node.parents.length !== 1) fail(node.parents.length === 0 ? 'it is the first node layer' : 'it has several parent node layers');
  const parentOutput = graph.nodeLayer(node.parents[0]).outputLayer;
  const pre: LayerSpec[] = [];
  for (let name = core.inbound[0]; name !== parentOutput; ) {
    const layer = byName.get(name)!;
    if (!channelwise.has(layer.className) || layer.inbound.length !== 1) {
      fail(`${layer.name} (${layer.className}) lies between it and ${node.parents[0]}; only BN, activation, pooling and padding may`);
    }
    pre.unshift(layer);
    name = layer.inbound[0];
  }
  return { paths: { target, kind: 'kernel', sources: node.parents }, node, pre, core, post };
}

/** Which paths lead into node layer `target` and how they are blocked; throws for unsupported layouts. */
export function incomingPaths(model: LoadedModel, target: string): IncomingPaths {
  return segmentOf(model.graph, target).paths;
}

/** A layer's weights as tensors, with a compiled layer function; all owned by `owned`. */
function compileSpec(layer: LayerSpec, source: string, owned: Tensor[]): LayerFn {
  const tensors = new Map(layer.weights.map((w) => [w.name, tf.tensor(w.values, w.shape)]));
  owned.push(...tensors.values());
  const compiled = compileLayer(new LayerContext(layer, source, tensors), false, false);
  owned.push(...compiled.owned);
  return compiled.fn;
}

/** Layers that act on every channel alike, so they run on a single-channel map as they are. */
const channelAgnostic = new Set(['MaxPooling2D', 'AveragePooling2D', 'ZeroPadding2D', 'Dropout', 'SpatialDropout2D', 'GaussianNoise', 'Activation', 'ReLU', 'LeakyReLU', 'ELU']);

/**
 * The layers after the core on single-channel copies [R·B, H, W, 1] whose channel is `rows[i]` for
 * row i: BatchNormalization as that channel's scale and shift, channel-agnostic layers as compiled;
 * undefined when another layer lies there.
 */
function channelPost(post: LayerSpec[], compiled: LayerFn[], activation: ((x: Tensor) => Tensor) | undefined): ((z: Tensor, rows: number[]) => Tensor) | undefined {
  const steps: ((x: Tensor, rows: number[]) => Tensor)[] = [];
  if (activation) steps.push((x) => activation(x));
  for (const [i, layer] of post.entries()) {
    if (channelAgnostic.has(layer.className)) steps.push((x) => compiled[i]([x]));
    else if (layer.className === 'BatchNormalization') {
      const w = (name: string) => layer.weights.find((x) => x.name === name)?.values;
      const [mean, variance] = [w('moving_mean')!, w('moving_variance')!];
      const gamma = layer.config.scale === false ? undefined : w('gamma');
      const beta = layer.config.center === false ? undefined : w('beta');
      const epsilon = Number(layer.config.epsilon ?? 1e-3);
      const scale = Float32Array.from(variance, (v, k) => (gamma ? gamma[k] : 1) / Math.sqrt(v + epsilon));
      const shift = Float32Array.from(scale, (sc, k) => (beta ? beta[k] : 0) - mean[k] * sc);
      const perRow = (values: Float32Array, rows: number[]) => tf.tensor4d(Float32Array.from(rows, (k) => values[k]), [rows.length, 1, 1, 1]);
      steps.push((x, rows) => tf.add(tf.mul(x, perRow(scale, rows)), perRow(shift, rows)));
    } else return undefined;
  }
  return (z, rows) => steps.reduce((x, step) => step(x, rows), z);
}

/** The part of a node layer's output that the rest of the network resumes from (the frontier's last entry). */
function nodeOutput(frontier: Frontier): Tensor {
  return frontier.tensors.get(Math.max(...frontier.tensors.keys()))!;
}

/**
 * Single-path interventions into one node layer, for one batch of images: prepared once (the
 * frontier and the conv input are kept), then `logits(edges)` runs any number of edges, each as
 * its own copy of the batch, through the rest of the network in one pass. Free with dispose().
 */
export class PathInterventionBatch {
  private readonly owned: Tensor[] = [];
  private readonly kept: Tensor[] = [];
  private readonly post: LayerFn[];
  /** The post layers on one channel per copy (ONNX Runtime's fast path); undefined: the whole layer goes through TensorFlow.js. */
  private channelPost?: (z: Tensor, rows: number[]) => Tensor;
  private frontier!: Frontier;
  private input!: Float32Array;
  /** The engine's own frontier at the target, when the engine is ONNX Runtime (captured on first use). */
  private engineFrontier?: FrontierHandle;
  /** kernel: the conv input X; merge: each parent's output. */
  private inputs: Tensor[] = [];
  /** The core's output before its activation (conv incl. bias) or the Add's sum. */
  private preActivation!: Tensor;
  private kernel?: Tensor;
  private conv?: { strides: [number, number]; padding: 'same' | 'valid'; dilations: [number, number]; activation: (x: Tensor) => Tensor };
  readonly paths: IncomingPaths;

  private constructor(
    private readonly model: LoadedModel,
    private readonly segment: Segment,
    readonly batch: number,
  ) {
    this.paths = segment.paths;
    const source = model.graph.spec.source;
    this.post = segment.post.map((l) => compileSpec(l, source, this.owned));
  }

  static prepare(model: LoadedModel, target: string, input: Float32Array, batch: number): PathInterventionBatch {
    const self = new PathInterventionBatch(model, segmentOf(model.graph, target), batch);
    try {
      self.capture(input);
    } catch (error) {
      self.dispose();
      throw error;
    }
    return self;
  }

  private capture(input: Float32Array): void {
    const { graph } = this.model;
    const { segment } = this;
    const source = graph.spec.source;
    const [h, w, c] = this.model.inputShape;
    checkBatchInput(input, this.batch, this.model.inputShape);
    this.input = input;
    if (segment.paths.kind === 'kernel') {
      const ctx = new LayerContext(segment.core, source, new Map());
      const dilations = ctx.pair('dilation_rate', [1, 1]);
      const strides = ctx.pair('strides', [1, 1]);
      if (dilations.some((d) => d > 1) && strides.some((s) => s > 1)) throw ctx.error('has both strides and dilations > 1; path interventions cannot run it');
      this.conv = { strides, padding: ctx.padding(), dilations, activation: activationOf(ctx, false).fn };
    }
    if (this.model.engine.name === 'ort') this.channelPost = channelPost(segment.post, this.post, this.conv?.activation);
    if (segment.paths.kind === 'kernel') {
      const kernel = segment.core.weights.find((wt) => wt.name === 'kernel')!;
      this.kernel = tf.tensor(kernel.values, kernel.shape);
      this.owned.push(this.kernel);
    }
    const pre = segment.pre.map((l) => compileSpec(l, source, this.owned));
    tf.tidy(() => {
      const x = tf.tensor4d(input, [this.batch, h, w, c]);
      if (!this.channelPost) {
        this.frontier = graph.captureFrontier(x, segment.node.name);
        for (const t of this.frontier.tensors.values()) this.keep(t);
      }
      const parents = segment.paths.sources.map((p) => nodeOutput(graph.captureFrontier(x, p)));
      if (segment.paths.kind === 'kernel') {
        const conv = this.conv!;
        const xIn = pre.reduce((v, fn) => fn([v]), parents[0]) as tf.Tensor4D;
        const z = tf.conv2d(xIn, this.kernel as tf.Tensor4D, conv.strides, conv.padding, 'NHWC', conv.dilations);
        const bias = segment.core.weights.find((wt) => wt.name === 'bias');
        this.inputs = [this.keep(xIn)];
        this.preActivation = this.keep(bias && segment.core.config.use_bias !== false ? tf.add(z, tf.tensor1d(bias.values)) : z);
      } else {
        // Inputs in the Add's own order (the sum is the same; the order only fixes the float rounding).
        const order = segment.core.inbound.map((name) => segment.paths.sources.findIndex((p) => graph.nodeLayer(p).outputLayer === name));
        this.inputs = parents.map((p) => this.keep(p));
        this.preActivation = this.keep(tf.addN(order.map((i) => parents[i])));
      }
    });
  }

  private keep(t: Tensor): Tensor {
    if (!this.kept.includes(t)) this.kept.push(tf.keep(t));
    return t;
  }

  /** Logits of every edge's copy of the batch: [edges.length · batch, numClasses], copy r at rows r·B…r·B+B−1. */
  async logits(edges: PathEdge[]): Promise<Float32Array> {
    if (edges.length === 0) return new Float32Array(0);
    const { paths } = this;
    const channels = this.segment.node.channels;
    const sourceIndex = edges.map((e) => {
      const s = paths.sources.indexOf(e.source);
      if (s < 0) throw new RangeError(`${e.source} is not a parent of ${paths.target}; parents: ${paths.sources.join(', ')}`);
      if (!(Number.isInteger(e.to) && e.to >= 0 && e.to < channels)) throw new RangeError(`${paths.target} has channels 0..${channels - 1}; channel ${e.to} does not exist`);
      const inputs = this.inputs[paths.kind === 'kernel' ? 0 : s].shape[3]!;
      if (!(Number.isInteger(e.from) && e.from >= 0 && e.from < inputs)) throw new RangeError(`${e.source} has channels 0..${inputs - 1}; channel ${e.from} does not exist`);
      if (paths.kind === 'merge' && e.from !== e.to) throw new RangeError(`a merge edge joins equal channels; got ${e.from} → ${e.to} into ${paths.target}`);
      return s;
    });
    if (this.channelPost) return this.logitsOnEngine(edges, sourceIndex);
    const out = tf.tidy(() => {
      const r = edges.length;
      const b = this.batch;
      const delta = paths.kind === 'kernel' ? this.kernelTerms(edges) : this.mergeTerms(edges, sourceIndex);
      const mask = new Float32Array(r * b * channels);
      edges.forEach((e, i) => {
        for (let j = 0; j < b; j++) mask[(i * b + j) * channels + e.to] = 1;
      });
      const tiled = tf.tile(this.preActivation, [r, 1, 1, 1]);
      let edited = tf.sub(tiled, tf.mul(delta, tf.tensor4d(mask, [r * b, 1, 1, channels])));
      if (this.conv) edited = this.conv.activation(edited);
      const value = this.post.reduce((v, fn) => fn([v]), edited);
      const at = Math.max(...this.frontier.tensors.keys());
      const tensors = new Map<number, Tensor>();
      for (const [i, t] of this.frontier.tensors) tensors.set(i, i === at ? value : tf.tile(t, [r, ...t.shape.slice(1).map(() => 1)]));
      return this.model.graph.runFromFrontier({ layer: paths.target, batch: r * b, tensors }, {}, 1).logits;
    });
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  /**
   * The fast path: each copy's edited channel (edited − unedited, both through the same ops, so a
   * path that carries nothing changes the layer by exactly 0) scattered into a map of the node layer,
   * added in an ONNX Runtime suffix pass from the target.
   */
  private async logitsOnEngine(edges: PathEdge[], sourceIndex: number[]): Promise<Float32Array> {
    const { paths } = this;
    const b = this.batch;
    const rows = edges.flatMap((e) => new Array<number>(b).fill(e.to));
    const change = tf.tidy(() => {
      const delta = paths.kind === 'kernel' ? this.kernelTerms(edges) : this.mergeTerms(edges, sourceIndex);
      const z = this.stackPicks(this.preActivation, edges.map((e) => e.to));
      return tf.sub(this.channelPost!(tf.sub(z, delta), rows), this.channelPost!(z, rows));
    });
    let values: Float32Array;
    try {
      values = (await change.data()) as Float32Array;
    } finally {
      change.dispose();
    }
    const channels = this.segment.node.channels;
    const positions = values.length / rows.length;
    const map = new Float32Array(values.length * channels);
    for (let i = 0; i < rows.length; i++) for (let p = 0; p < positions; p++) map[(i * positions + p) * channels + rows[i]] = values[i * positions + p];
    this.engineFrontier ??= await this.model.captureFrontier(this.input, b, paths.target);
    return (await this.model.forwardFromFrontier(this.engineFrontier, { addMaps: { [paths.target]: map } }, edges.length)).logits;
  }

  /**
   * First-order estimate of each path's effect, for screening which paths to test [ours]: blocking
   * j → k lowers the conv's pre-activation channel k by δ_jk = conv(X_j, W[:,:,j,k]), so the objective
   * moves by about −⟨∂y/∂Z_k, δ_jk⟩. `gradient` is ∂y/∂A of the node layer's output per image
   * ([B, H, W, C], e.g. from LoadedModel.gradients); it is pulled back through the BN/activation to Z.
   * Returns ⟨∂y/∂Z_k, δ_jk⟩ per image, source channel and target: [B, Cin, targets.length].
   */
  async firstOrder(targets: number[], gradient: Float32Array): Promise<Float32Array> {
    if (this.paths.kind !== 'kernel') throw new Error(`${this.paths.target} is a merge: its paths need no screening`);
    ensureGradients();
    const conv = this.conv!;
    const out = tf.tidy(() => {
      const z = this.preActivation;
      // `+ 0`: a linear conv with nothing after it (a BN-folded ONNX projection conv) makes `post` the
      // identity, and tf.grad refuses a function that returns its own input.
      const post = (v: Tensor) => this.post.reduce((a, fn) => fn([a]), conv.activation(tf.add(v, 0)));
      const gA = tf.tensor(gradient, z.shape);
      const gZ = tf.grad(post)(z, gA);
      const x = this.inputs[0] as tf.Tensor4D;
      const terms = tf.depthwiseConv2d(x, tf.gather(this.kernel!, targets, 3) as tf.Tensor4D, conv.strides, conv.padding, 'NHWC', conv.dilations);
      const [b, h, w] = terms.shape;
      const perSource = tf.reshape(terms, [b, h, w, x.shape[3], targets.length]);
      const g = tf.reshape(tf.gather(gZ, targets, 3), [b, h, w, 1, targets.length]);
      return tf.sum(tf.mul(perSource, g), [1, 2]);
    });
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  /** conv(X_j, W[:,:,j,k]) per edge, [R·B, H', W', 1]: one depthwise conv over the distinct targets. */
  private kernelTerms(edges: PathEdge[]): Tensor {
    const conv = this.conv!;
    const targets = [...new Set(edges.map((e) => e.to))];
    const x = this.inputs[0] as tf.Tensor4D;
    const cin = x.shape[3];
    // depthwise filter [kh, kw, Cin, M]: multiplier m carries W[:, :, j, targets[m]]; output channel j·M + m.
    const filter = tf.gather(this.kernel!, targets, 3) as tf.Tensor4D;
    const terms = tf.depthwiseConv2d(x, filter, conv.strides, conv.padding, 'NHWC', conv.dilations);
    const picks = edges.map((e) => e.from * targets.length + targets.indexOf(e.to));
    if (picks.some((p) => p >= cin * targets.length)) throw new RangeError('a source channel is out of range');
    return this.stackPicks(terms, picks);
  }

  /** P_k per edge (the parent's term in the sum), [R·B, H, W, 1]. */
  private mergeTerms(edges: PathEdge[], sourceIndex: number[]): Tensor {
    const stacked = tf.concat(this.inputs, 3);
    const offsets = this.inputs.map((_, i) => this.inputs.slice(0, i).reduce((s, t) => s + t.shape[3]!, 0));
    return this.stackPicks(stacked, edges.map((e, i) => offsets[sourceIndex[i]] + e.from));
  }

  /** Channels `picks` of a [B, H, W, C] tensor as the copies [R·B, H, W, 1] (copy r = pick r). */
  private stackPicks(t: Tensor, picks: number[]): Tensor {
    const [b, h, w] = t.shape;
    const chosen = tf.gather(t, picks, 3); // [B, H, W, R]
    return tf.reshape(tf.transpose(chosen, [3, 0, 1, 2]), [picks.length * b!, h!, w!, 1]);
  }

  dispose(): void {
    this.engineFrontier?.dispose();
    this.engineFrontier = undefined;
    for (const t of [...this.kept, ...this.owned]) t.dispose();
    this.kept.length = 0;
    this.owned.length = 0;
  }
}
