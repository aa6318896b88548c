/**
 * The engine's public face: a model loaded from a file, run on plain Float32Array batches, returning
 * plain arrays. Tensors never leave this module (callers above the engine stay backend-neutral),
 * and every call frees what it allocates.
 */
import { type BackendChoice, initBackend } from './backend.js';
import { type EngineChoice, chooseForwardEngine } from './engine-choice.js';
import type { EngineName, ForwardEngine, ForwardRequest, ForwardResult, FrontierHandle } from './forward-engine.js';
import { GraphModel, type NodeLayerInfo, type RunRequest } from './graph-model.js';
import { loadModelSpec } from './load-model.js';
import type { AnalyzeOptions } from './node-layers.js';
import type { ModelSpec } from './model-spec.js';
import { ensureGradients, tf } from './tf.js';

export type { RunRequest } from './graph-model.js';
export type { EngineChoice } from './engine-choice.js';
export type { EngineName, ForwardRequest, ForwardResult, FrontierHandle } from './forward-engine.js';

export interface LoadOptions extends AnalyzeOptions {
  /** Forces the forward engine; default: the automatic choice (or CAUSEWAY_ENGINE). */
  engine?: EngineName;
}

export interface ModelSummary {
  name: string;
  format: ModelSpec['format'];
  source: string;
  kerasVersion?: string;
  /** What wrote a non-Keras file, e.g. "pytorch 1.13.1, ONNX opset 13". */
  producer?: string;
  backend: BackendChoice;
  /** The engine of forward work (passes, φ, ablations); gradients always run on TensorFlow.js. */
  engine: EngineChoice;
  inputShape: number[];
  params: number;
  numClasses: number;
  nodeLayers: Pick<NodeLayerInfo, 'name' | 'kind' | 'channels' | 'shape' | 'parents' | 'outputLayer'>[];
}

export type GradientObjective = 'loss' | 'logit' | 'probability';

export interface GradientRequest {
  objective: GradientObjective;
  /** Per sample: the label (loss) or the class whose logit/probability is differentiated. */
  targets: ArrayLike<number>;
  /** Node layers whose activation gradients to return. */
  layers?: string[];
  wrtInput?: boolean;
  interventions?: RunRequest['interventions'];
}

export interface GradientResult {
  /** The objective per sample. */
  value: Float32Array;
  logits: Float32Array;
  /** ∂objective/∂input, [batch, H, W, C]. */
  input?: Float32Array;
  /** Per node layer: activation and ∂objective/∂activation, both [batch, ...shape]. */
  layers: Record<string, { activation: Float32Array; gradient: Float32Array }>;
}

function objective(kind: GradientObjective, logits: tf.Tensor, oneHot: tf.Tensor): tf.Tensor {
  switch (kind) {
    case 'loss':
      return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1));
    case 'logit':
      return tf.sum(tf.mul(oneHot, logits), -1);
    case 'probability':
      return tf.sum(tf.mul(oneHot, tf.softmax(logits)), -1);
  }
}

export class LoadedModel {
  private constructor(
    readonly graph: GraphModel,
    readonly backend: BackendChoice,
    private readonly forwardEngine: ForwardEngine,
    readonly engine: EngineChoice,
  ) {}

  static async load(path: string, options: LoadOptions = {}): Promise<LoadedModel> {
    return LoadedModel.fromSpec(await loadModelSpec(path), options);
  }

  static async fromSpec(spec: ModelSpec, options: LoadOptions = {}): Promise<LoadedModel> {
    const backend = await initBackend();
    const graph = new GraphModel(spec, options);
    try {
      const { engine, choice } = await chooseForwardEngine(spec, graph, options.engine, { nodeLayers: options.nodeLayers });
      return new LoadedModel(graph, backend, engine, choice);
    } catch (error) {
      graph.dispose();
      throw error;
    }
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
      producer: spec.producer,
      backend: this.backend,
      engine: this.engine,
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

  /**
   * How many masks a suffix re-run of `rows` images should carry per pass (the batch repeated) when
   * the caller leaves it open. ONNX Runtime: as many as keep one pass's largest node activation
   * within ≈4 MiB (cache-sized), at most 16 — several masks per pass pay on small nets, where a
   * pass's fixed cost dominates (LeNet-5's sweep 2×), and cost on ResNet-14, whose 32×32 maps
   * then leave the cache (BENCHMARKS.md §engines). TensorFlow.js: 1 (BENCHMARKS.md §ablation).
   */
  masksPerPass(rows: number): number {
    if (this.engine.name !== 'ort' || rows < 1) return 1;
    const largest = Math.max(...this.graph.nodeLayers.map((n) => n.shape.reduce((a, b) => a * b, 1)));
    const budget = Math.floor((4 * 2 ** 20) / (4 * largest));
    return Math.max(1, Math.min(16, Math.floor(budget / rows)));
  }

  /** One batch: `input` is [batch, H, W, C] row-major. */
  forward(input: Float32Array, batch: number, request: ForwardRequest = {}): Promise<ForwardResult> {
    return this.forwardEngine.forward(input, batch, request);
  }

  /** Runs the prefix up to node layer `layer` once and keeps what the suffix needs. */
  captureFrontier(input: Float32Array, batch: number, layer: string): Promise<FrontierHandle> {
    return this.forwardEngine.captureFrontier(input, batch, layer);
  }

  /** Re-runs the suffix after a frontier, the batch repeated `repeat` times (sample r·B + b). */
  forwardFromFrontier(handle: FrontierHandle, request: ForwardRequest = {}, repeat = 1): Promise<ForwardResult> {
    return this.forwardEngine.forwardFromFrontier(handle, request, repeat);
  }

  /**
   * Gradients of a per-sample objective, summed over the batch (samples are independent at inference,
   * so each sample's gradient is its own): `loss` = cross-entropy with `targets` as labels, `logit` =
   * the logit of class targets[i], `probability` = its softmax probability. Returns the objective per
   * sample, ∂/∂input when asked, and for each requested node layer its activation and ∂/∂activation.
   */
  async gradients(input: Float32Array, batch: number, request: GradientRequest): Promise<GradientResult> {
    ensureGradients();
    const layers = request.layers ?? [];
    const shapes = layers.map((name) => [batch, ...this.graph.nodeLayer(name).shape]);
    if (request.targets.length !== batch) throw new RangeError(`${request.targets.length} targets for a batch of ${batch}`);
    const out = tf.tidy(() => {
      const x = this.graph.inputTensor(input, batch);
      const probes = shapes.map((shape) => tf.zeros(shape));
      const targets = tf.oneHot(tf.tensor1d(Array.from(request.targets), 'int32'), this.graph.numClasses);
      let perSample: tf.Tensor | undefined;
      let logits: tf.Tensor | undefined;
      let activations: Record<string, tf.Tensor> | undefined;
      const f = (...xs: tf.Tensor[]) => {
        const [xIn, ...ps] = xs;
        const run = this.graph.run(xIn, {
          interventions: request.interventions,
          probes: Object.fromEntries(layers.map((name, i) => [name, ps[i]])),
          capture: layers,
          differentiable: true,
        });
        // tf.grads runs f in a scope of its own: keep what we read afterwards (freed in `finally`).
        logits = tf.keep(run.logits);
        activations = run.activations;
        for (const a of Object.values(activations ?? {})) tf.keep(a);
        perSample = tf.keep(objective(request.objective, run.logits, targets));
        return tf.sum(perSample) as tf.Scalar;
      };
      const { grads } = tf.valueAndGrads(f)([x, ...probes]);
      return {
        value: perSample!,
        logits: logits!,
        inputGradient: grads[0],
        layerGradients: grads.slice(1),
        activations: layers.map((name) => activations![name]),
      };
    });
    try {
      const result: GradientResult = {
        value: (await out.value.data()) as Float32Array,
        logits: (await out.logits.data()) as Float32Array,
        layers: {},
      };
      if (request.wrtInput) result.input = (await out.inputGradient.data()) as Float32Array;
      for (const [i, name] of layers.entries()) {
        result.layers[name] = {
          activation: (await out.activations[i].data()) as Float32Array,
          gradient: (await out.layerGradients[i].data()) as Float32Array,
        };
      }
      return result;
    } finally {
      tf.dispose([out.value, out.logits, out.inputGradient, ...out.layerGradients, ...out.activations]);
    }
  }

  dispose(): void {
    this.forwardEngine.dispose();
    this.graph.dispose();
  }
}
