/**
 * Forward work on ONNX Runtime: the network translated once (network-to-onnx.ts), one session per
 * graph variant (a full pass, a prefix to a frontier, a suffix from it; which layers take
 * interventions; which φ come out), created on first use and kept (least recently used dropped).
 * Interventions are the same per-channel buffers the TensorFlow.js engine applies
 * (interventions.ts), fed as inputs, so one session serves every mask on its layers.
 */
import type * as Ort from 'onnxruntime-node';
import { type ForwardEngine, type ForwardRequest, type ForwardResult, type FrontierHandle, checkBatchInput } from '../forward-engine.js';
import { type InterventionBuffers, interventionBuffers, intervenedLayers } from '../interventions.js';
import type { ModelSpec } from '../model-spec.js';
import type { AnalyzeOptions } from '../node-layers.js';
import type { TensorPhiKind } from '../phi.js';
import { type OnnxProgram, OnnxNetwork } from './network-to-onnx.js';
import type { OrtRuntime } from './ort-runtime.js';

/**
 * Graph variants kept per model. A sweep over node layers needs a prefix and a suffix or two per
 * layer at a time, and each session keeps its memory arena's peak: a few suffice (ResNet-14's sweep
 * peaked at 2.7 GB with 64 kept, BENCHMARKS.md §engines).
 */
const SESSION_CACHE = 6;

interface CachedSession {
  session: Ort.InferenceSession;
  frontier: number[];
  outputs?: Record<number, string>;
}

class OrtFrontier implements FrontierHandle {
  constructor(
    readonly owner: OrtForwardEngine,
    readonly layer: string,
    readonly batch: number,
    public tensors: Map<number, Ort.Tensor> | undefined,
  ) {}
  dispose(): void {
    this.tensors = undefined;
  }
}

export class OrtForwardEngine implements ForwardEngine {
  readonly name = 'ort';
  private readonly sessions = new Map<string, Promise<CachedSession>>();
  private readonly order: string[];
  private disposed = false;

  private constructor(
    readonly network: OnnxNetwork,
    private readonly runtime: OrtRuntime,
    readonly numClasses: number,
  ) {
    this.order = network.nodeLayers.map((n) => n.name);
  }

  /** Translates the model and starts its full-pass session; throws when a layer has no translation. */
  static async create(spec: ModelSpec, runtime: OrtRuntime, options: AnalyzeOptions = {}): Promise<OrtForwardEngine> {
    const network = new OnnxNetwork(spec, options);
    const logits = network.nodeLayers[network.nodeLayers.length - 1];
    const engine = new OrtForwardEngine(network, runtime, network.nodeShape(logits.name).at(-1)!);
    await engine.session({});
    return engine;
  }

  async forward(input: Float32Array, batch: number, request: ForwardRequest = {}): Promise<ForwardResult> {
    this.checkInput(input, batch);
    const intervene = this.intervened(request, 0);
    const { session } = await this.session({ intervene, phi: phiOf(request) });
    const feeds: Record<string, Ort.Tensor> = { input: this.tensor(input, [batch, ...this.network.spec.inputShape]) };
    this.addInterventionFeeds(feeds, request, intervene, batch);
    return this.read(await session.run(feeds), batch, request, 0);
  }

  async captureFrontier(input: Float32Array, batch: number, layer: string): Promise<FrontierHandle> {
    this.checkInput(input, batch);
    const { session, frontier, outputs } = await this.session({ stopAt: layer });
    const out = await session.run({ input: this.tensor(input, [batch, ...this.network.spec.inputShape]) });
    return new OrtFrontier(this, layer, batch, new Map(frontier.map((j) => [j, out[outputs![j]]])));
  }

  async forwardFromFrontier(handle: FrontierHandle, request: ForwardRequest = {}, repeat = 1): Promise<ForwardResult> {
    if (!(handle instanceof OrtFrontier) || handle.owner !== this) throw new TypeError('this frontier was captured by another engine or model');
    if (!handle.tensors) throw new Error('this frontier was disposed');
    if (!Number.isInteger(repeat) || repeat < 1) throw new RangeError(`repeat must be a positive integer, got ${repeat}`);
    const from = this.order.indexOf(handle.layer);
    const intervene = this.intervened(request, from);
    const { session, frontier } = await this.session({ from: handle.layer, repeat: repeat > 1, intervene, phi: phiOf(request) });
    const feeds: Record<string, Ort.Tensor> = {};
    for (const j of frontier) feeds[`frontier:${j}`] = handle.tensors.get(j)!;
    if (repeat > 1) feeds.repeat = new this.runtime.ort.Tensor('int64', BigInt64Array.of(BigInt(repeat)), [1]);
    const batch = handle.batch * repeat;
    this.addInterventionFeeds(feeds, request, intervene, batch);
    return this.read(await session.run(feeds), batch, request, from);
  }

  dispose(): void {
    this.disposed = true;
    for (const pending of this.sessions.values()) void pending.then(({ session }) => session.release()).catch(() => undefined);
    this.sessions.clear();
  }

  /** The session of one graph variant, built on first use. */
  private session(program: OnnxProgram): Promise<CachedSession> {
    if (this.disposed) throw new Error('this model was disposed');
    const key = JSON.stringify(program);
    let pending = this.sessions.get(key);
    if (pending) {
      this.sessions.delete(key); // most recently used last
      this.sessions.set(key, pending);
      return pending;
    }
    pending = (async () => {
      const built = this.network.build(program);
      const session = await this.runtime.ort.InferenceSession.create(built.bytes, this.runtime.sessionOptions);
      return { session, frontier: built.frontier, outputs: built.outputs };
    })();
    pending.catch(() => this.sessions.delete(key));
    this.sessions.set(key, pending);
    if (this.sessions.size > SESSION_CACHE) {
      const [oldest, old] = this.sessions.entries().next().value!;
      this.sessions.delete(oldest);
      void old.then(({ session }) => session.release()).catch(() => undefined);
    }
    return pending;
  }

  /** Node layers the interventions (or added maps) touch, in network order, from node layer index `from` on. */
  private intervened(request: ForwardRequest, from: number): string[] {
    const layers = intervenedLayers(request.interventions);
    for (const layer of Object.keys(request.addMaps ?? {})) layers.add(layer);
    for (const layer of layers) {
      if (!this.order.includes(layer)) throw new RangeError(`no node layer named ${layer}; node layers: ${this.order.join(', ')}`);
    }
    // Layers before a frontier are not re-run: their interventions cannot act (as the TensorFlow.js engine).
    return this.order.filter((name, i) => i >= from && layers.has(name));
  }

  private addInterventionFeeds(feeds: Record<string, Ort.Tensor>, request: ForwardRequest, layers: string[], batch: number): void {
    for (const layer of layers) {
      const shape = this.network.nodeShape(layer);
      const channels = shape[shape.length - 1];
      // An added map alone: the identity (mul 1, add 0) before it.
      const buffers = (request.interventions && interventionBuffers(request.interventions, layer, batch, channels)) || identityBuffers(channels);
      const added = request.addMaps?.[layer];
      const { rows } = buffers;
      const spatial = shape.length === 3;
      feeds[`mul:${layer}`] = this.tensor(buffers.mul, spatial ? [rows, channels, 1, 1] : [rows, channels]);
      if (!buffers.usesMean && !added) {
        feeds[`add:${layer}`] = this.tensor(buffers.add, spatial ? [rows, channels, 1, 1] : [rows, channels]);
        continue;
      }
      const mean = request.meanMaps?.[layer];
      if (buffers.usesMean && !mean) throw new RangeError(`a mean intervention on ${layer} needs the layer's dataset-mean map`);
      const [h, w] = spatial ? shape : [1, 1];
      if (mean && mean.length !== h * w * channels) throw new RangeError(`the mean map of ${layer} has ${mean.length} values; the layer has ${h * w * channels}`);
      if (added && added.length !== batch * h * w * channels) throw new RangeError(`the map added to ${layer} has ${added.length} values; ${batch} samples need ${batch * h * w * channels}`);
      // add + meanOn·meanMap (+ the added map), moved from H·W·C (callers' layout) to C·H·W (the graph's).
      const fullRows = added ? batch : rows;
      const full = new Float32Array(fullRows * channels * h * w);
      for (let r = 0; r < fullRows; r++)
        for (let c = 0; c < channels; c++) {
          const at = (rows === 1 ? 0 : r) * channels + c;
          const a = buffers.add[at];
          const on = buffers.meanOn[at];
          const base = (r * channels + c) * h * w;
          for (let p = 0; p < h * w; p++) full[base + p] = a + (on !== 0 ? on * mean![p * channels + c] : 0) + (added ? added[(r * h * w + p) * channels + c] : 0);
        }
      feeds[`add:${layer}`] = this.tensor(full, spatial ? [fullRows, channels, h, w] : [fullRows, channels]);
    }
  }

  private read(out: Ort.InferenceSession.ReturnType, batch: number, request: ForwardRequest, from: number): ForwardResult {
    const phi: ForwardResult['phi'] = {};
    if (request.phi) {
      const layers = new Set(request.phi.layers ?? this.order);
      for (const [i, layer] of this.order.entries()) {
        if (i < from || !layers.has(layer)) continue;
        phi[layer] = {};
        for (const kind of request.phi.kinds) phi[layer][kind] = out[`phi:${layer}:${kind}`].data as Float32Array;
      }
    }
    return { batch, numClasses: this.numClasses, logits: out.logits.data as Float32Array, phi };
  }

  private tensor(values: Float32Array, dims: number[]): Ort.Tensor {
    return new this.runtime.ort.Tensor('float32', values, dims);
  }

  private checkInput(input: Float32Array, batch: number): void {
    checkBatchInput(input, batch, this.network.spec.inputShape);
  }
}

function identityBuffers(channels: number): InterventionBuffers {
  return { rows: 1, channels, mul: new Float32Array(channels).fill(1), add: new Float32Array(channels), meanOn: new Float32Array(channels), usesMean: false };
}

function phiOf(request: ForwardRequest): { layers?: string[]; kinds: TensorPhiKind[] } | undefined {
  if (!request.phi) return undefined;
  return { layers: request.phi.layers ? [...request.phi.layers].sort() : undefined, kinds: [...request.phi.kinds].sort() };
}
