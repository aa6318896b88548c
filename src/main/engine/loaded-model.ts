/**
 * The engine's public face: a model loaded from a file, run on plain Float32Array batches, returning
 * plain arrays. Tensors never leave this module (callers above the engine stay backend-neutral),
 * and every call frees what it allocates.
 */
import { type BackendChoice, initBackend } from './backend.js';
import { type Frontier, GraphModel, type NodeLayerInfo, type RunRequest, type RunTensors } from './graph-model.js';
import { loadModelSpec } from './load-model.js';
import type { ModelSpec } from './model-spec.js';
import type { TensorPhiKind } from './phi.js';
import { tf } from './tf.js';

export type { RunRequest } from './graph-model.js';

export interface ModelSummary {
  name: string;
  format: ModelSpec['format'];
  source: string;
  kerasVersion?: string;
  backend: BackendChoice;
  inputShape: number[];
  params: number;
  numClasses: number;
  nodeLayers: Pick<NodeLayerInfo, 'name' | 'kind' | 'channels' | 'shape' | 'parents' | 'outputLayer'>[];
}

export interface ForwardResult {
  batch: number;
  numClasses: number;
  /** [batch, numClasses] row-major, pre-softmax. */
  logits: Float32Array;
  /** phi[layer][kind] → [batch, channels] row-major. */
  phi: Record<string, Partial<Record<TensorPhiKind, Float32Array>>>;
}

/** A cached node-layer frontier for suffix re-runs; free it with dispose(). */
export interface FrontierHandle {
  readonly layer: string;
  readonly batch: number;
  dispose(): void;
}

class FrontierHandleImpl implements FrontierHandle {
  constructor(readonly frontier: Frontier) {}
  get layer(): string {
    return this.frontier.layer;
  }
  get batch(): number {
    return this.frontier.batch;
  }
  dispose(): void {
    for (const t of this.frontier.tensors.values()) t.dispose();
    this.frontier.tensors.clear();
  }
}

export class LoadedModel {
  private constructor(
    readonly graph: GraphModel,
    readonly backend: BackendChoice,
  ) {}

  static async load(path: string): Promise<LoadedModel> {
    const backend = await initBackend();
    const spec = await loadModelSpec(path);
    return new LoadedModel(new GraphModel(spec), backend);
  }

  static async fromSpec(spec: ModelSpec): Promise<LoadedModel> {
    const backend = await initBackend();
    return new LoadedModel(new GraphModel(spec), backend);
  }

  get inputShape(): number[] {
    return this.graph.inputShape;
  }

  get numClasses(): number {
    return this.graph.numClasses;
  }

  get nodeLayers(): NodeLayerInfo[] {
    return this.graph.nodeLayers;
  }

  summary(): ModelSummary {
    const { spec } = this.graph;
    return {
      name: spec.name,
      format: spec.format,
      source: spec.source,
      kerasVersion: spec.kerasVersion,
      backend: this.backend,
      inputShape: this.graph.inputShape,
      params: this.graph.params,
      numClasses: this.graph.numClasses,
      nodeLayers: this.graph.nodeLayers.map(({ name, kind, channels, shape, parents, outputLayer }) => ({
        name,
        kind,
        channels,
        shape,
        parents,
        outputLayer,
      })),
    };
  }

  /** One batch: `input` is [batch, H, W, C] row-major. */
  async forward(input: Float32Array, batch: number, request: RunRequest = {}): Promise<ForwardResult> {
    const out = tidyRun(() => this.graph.run(this.toTensor(input, batch), request));
    return this.read(out, batch);
  }

  /** Runs the prefix up to node layer `layer` once and keeps what the suffix needs. */
  async captureFrontier(input: Float32Array, batch: number, layer: string): Promise<FrontierHandle> {
    let frontier: Frontier | undefined;
    tf.tidy(() => {
      frontier = this.graph.captureFrontier(this.toTensor(input, batch), layer);
      for (const t of frontier.tensors.values()) tf.keep(t);
    });
    return new FrontierHandleImpl(frontier!);
  }

  /** Re-runs the suffix after a frontier, the batch repeated `repeat` times (sample r·B + b). */
  async forwardFromFrontier(handle: FrontierHandle, request: RunRequest = {}, repeat = 1): Promise<ForwardResult> {
    const { frontier } = handle as FrontierHandleImpl;
    if (frontier.tensors.size === 0) throw new Error('this frontier was disposed');
    const out = tidyRun(() => this.graph.runFromFrontier(frontier, request, repeat));
    return this.read(out, frontier.batch * repeat);
  }

  dispose(): void {
    this.graph.dispose();
  }

  private toTensor(input: Float32Array, batch: number): tf.Tensor {
    const [h, w, c] = this.graph.inputShape;
    if (input.length !== batch * h * w * c) {
      throw new RangeError(`input has ${input.length} values; a batch of ${batch} needs ${batch * h * w * c}`);
    }
    return tf.tensor4d(input, [batch, h, w, c]);
  }

  private async read(out: RunTensors, batch: number): Promise<ForwardResult> {
    try {
      const logits = (await out.logits.data()) as Float32Array;
      const phi: ForwardResult['phi'] = {};
      for (const [layer, kinds] of Object.entries(out.phi)) {
        phi[layer] = {};
        for (const [kind, t] of Object.entries(kinds)) phi[layer][kind as TensorPhiKind] = (await t!.data()) as Float32Array;
      }
      return { batch, numClasses: this.graph.numClasses, logits, phi };
    } finally {
      out.logits.dispose();
      for (const kinds of Object.values(out.phi)) for (const t of Object.values(kinds)) t?.dispose();
    }
  }
}

/** tf.tidy for a run: keeps the returned logits and φ tensors (a nested plain object), frees the rest. */
function tidyRun(fn: () => RunTensors): RunTensors {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as RunTensors;
}
