/**
 * Per-image effects of interventions on one class's probability (METHODS §3):
 * Δ_i = p_c(x_i) − p_c(x_i | do), for node interventions do(A_{l,k} = 0) and path interventions
 * (engine/weight-edits.ts). Kept per image so that a bootstrap resample is only a reweighting, and
 * cached by intervention so a graph rebuilt on a resample re-runs only what it has not seen.
 * Node interventions re-run the suffix after the layer's cached frontier, path interventions the
 * suffix after the target's; many interventions share one pass (copies of the image batch).
 */
import { softmaxRows } from '../causal-effect/masked-probabilities.js';
import type { Intervention } from '../engine/interventions.js';
import type { FrontierHandle, LoadedModel } from '../engine/loaded-model.js';
import { type PathEdge, PathInterventionBatch } from '../engine/weight-edits.js';
import { type ProgressListener, ProgressReporter, checkpoint } from '../util/progress.js';
import type { ImageSet } from './class-images.js';

/** The typed steps of a pass over the class graph (each once per node layer, the layer its part). */
export type GraphStep = 'node effects' | 'path effects';

export interface EffectHooks {
  onProgress?: ProgressListener<GraphStep>;
  signal?: AbortSignal;
}

export interface PassLimits {
  /** Images per pass. */
  batchSize: number;
  /** Most activation values (copies × one image's map) one pass may hold. */
  maxElements: number;
}

export class InterventionEffects {
  private readonly cache = new Map<string, Float64Array>();
  /** ∂p_c/∂A of every node layer with incoming paths, per image batch start: one gradient pass serves every screen. */
  private readonly gradientCache = new Map<number, Record<string, { gradient: Float32Array }>>();
  /** Interventions actually run (cache misses), for the benchmark. */
  runs = 0;

  private constructor(
    readonly model: LoadedModel,
    readonly images: ImageSet,
    readonly cls: number,
    /** p_c of every image without intervention. */
    readonly base: Float64Array,
    private readonly limits: PassLimits,
    private readonly hooks: EffectHooks,
  ) {}

  static async create(model: LoadedModel, images: ImageSet, cls: number, limits: PassLimits, hooks: EffectHooks = {}): Promise<InterventionEffects> {
    if (!(Number.isInteger(cls) && cls >= 0 && cls < model.numClasses)) throw new RangeError(`class ${cls} is outside the model's ${model.numClasses} classes`);
    const base = new Float64Array(images.n);
    const size = images.input.length / Math.max(images.n, 1);
    for (let start = 0; start < images.n; start += limits.batchSize) {
      const count = Math.min(limits.batchSize, images.n - start);
      const { logits } = await model.forward(images.input.subarray(start * size, (start + count) * size), count);
      const p = softmaxRows(logits, count, model.numClasses);
      for (let b = 0; b < count; b++) base[start + b] = p[b * model.numClasses + cls];
      await checkpoint(hooks.signal);
    }
    return new InterventionEffects(model, images, cls, base, limits, hooks);
  }

  /** Δ per image for do(A_{layer,k} = 0), one array per channel. */
  async nodeDeltas(layer: string, channels: number[]): Promise<Float64Array[]> {
    const missing = [...new Set(channels.filter((k) => !this.cache.has(nodeKey(layer, k))))];
    if (missing.length > 0) {
      const size = this.mapSize(layer);
      let prepared: { start: number; handle: FrontierHandle } | undefined;
      try {
        await this.runCopies({ step: 'node effects', part: layer }, `node effects (${layer})`, missing.length, size, async (start, count, input, first, repeat) => {
          if (prepared?.start !== start) {
            prepared?.handle.dispose();
            prepared = { start, handle: await this.model.captureFrontier(input, count, layer) };
          }
          const perSample: Intervention[][] = [];
          for (let r = 0; r < repeat; r++) for (let b = 0; b < count; b++) perSample.push([{ layer, channels: [missing[first + r]], kind: 'zero' }]);
          const { logits } = await this.model.forwardFromFrontier(prepared.handle, { interventions: { perSample } }, repeat);
          this.store(logits, start, count, repeat, (r) => nodeKey(layer, missing[first + r]));
        });
      } finally {
        prepared?.handle.dispose();
      }
    }
    return channels.map((k) => this.cache.get(nodeKey(layer, k))!);
  }

  /** Δ per image for blocking each path into node layer `target`, one array per edge. */
  async pathDeltas(target: string, edges: PathEdge[]): Promise<Float64Array[]> {
    const seen = new Set<string>();
    const missing = edges.filter((e) => {
      const key = pathKey(target, e);
      if (this.cache.has(key) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (missing.length > 0) {
      const size = this.mapSize(target);
      let prepared: { start: number; batch: PathInterventionBatch } | undefined;
      try {
        await this.runCopies({ step: 'path effects', part: target }, `path effects (into ${target})`, missing.length, size, async (start, count, input, first, repeat) => {
          if (prepared?.start !== start) {
            prepared?.batch.dispose();
            prepared = { start, batch: PathInterventionBatch.prepare(this.model, target, input, count) };
          }
          const chunk = missing.slice(first, first + repeat);
          const logits = await prepared.batch.logits(chunk);
          this.store(logits, start, count, repeat, (r) => pathKey(target, chunk[r]));
        });
      } finally {
        prepared?.batch.dispose();
      }
    }
    return edges.map((e) => this.cache.get(pathKey(target, e))!);
  }

  /**
   * First-order estimates ⟨∂p_c/∂Z_k, δ_jk⟩ of every path j → k into a conv node layer, per image:
   * one array [n · Cin] (image-major) per target channel. For screening only; cached like effects.
   */
  async pathEstimates(target: string, targets: number[]): Promise<Float64Array[]> {
    const missing = [...new Set(targets.filter((k) => !this.cache.has(estimateKey(target, k))))];
    const { images, limits, model } = this;
    if (missing.length > 0) {
      const size = images.input.length / Math.max(images.n, 1);
      for (let start = 0; start < images.n; start += limits.batchSize) {
        await checkpoint(this.hooks.signal, 'the explanatory graph');
        const count = Math.min(limits.batchSize, images.n - start);
        const input = images.input.subarray(start * size, (start + count) * size);
        let grads = this.gradientCache.get(start);
        if (!grads?.[target]) {
          const layers = [...new Set([target, ...model.nodeLayers.filter((l) => l.kind !== 'logits' && l.parents.length > 0).map((l) => l.name)])];
          grads = (await model.gradients(input, count, { objective: 'probability', targets: new Array<number>(count).fill(this.cls), layers })).layers;
          this.gradientCache.set(start, grads);
        }
        const batch = PathInterventionBatch.prepare(model, target, input, count);
        try {
          const est = await batch.firstOrder(missing, grads[target].gradient);
          const cin = est.length / (count * missing.length);
          missing.forEach((k, m) => {
            let values = this.cache.get(estimateKey(target, k));
            if (!values) this.cache.set(estimateKey(target, k), (values = new Float64Array(images.n * cin)));
            for (let b = 0; b < count; b++) for (let j = 0; j < cin; j++) values[(start + b) * cin + j] = est[(b * cin + j) * missing.length + m];
          });
        } finally {
          batch.dispose();
        }
      }
    }
    return targets.map((k) => this.cache.get(estimateKey(target, k))!);
  }

  private mapSize(layer: string): number {
    const node = this.model.nodeLayers.find((l) => l.name === layer);
    if (!node) throw new RangeError(`no node layer named ${layer}; node layers: ${this.model.nodeLayers.map((l) => l.name).join(', ')}`);
    return node.shape.reduce((a, b) => a * b, 1);
  }

  /**
   * Runs `total` interventions over every image batch, as many copies per pass as the element budget
   * allows; `pass(start, count, input, first, repeat)` runs interventions first…first+repeat−1 on
   * images start…start+count−1. Image batches are the outer loop so a batch's frontier is reused.
   */
  private async runCopies(
    at: { step: GraphStep; part: string },
    stage: string,
    total: number,
    mapSize: number,
    pass: (start: number, count: number, input: Float32Array, first: number, repeat: number) => Promise<void>,
  ): Promise<void> {
    const { images, limits } = this;
    const size = images.input.length / Math.max(images.n, 1);
    const progress = new ProgressReporter(stage, total * images.n, this.hooks.onProgress, undefined, at);
    for (let start = 0; start < images.n; start += limits.batchSize) {
      const count = Math.min(limits.batchSize, images.n - start);
      const perPass = Math.max(1, Math.min(total, Math.floor(limits.maxElements / (count * mapSize))));
      const input = images.input.subarray(start * size, (start + count) * size);
      for (let first = 0; first < total; first += perPass) {
        await checkpoint(this.hooks.signal, 'the explanatory graph');
        const repeat = Math.min(perPass, total - first);
        await pass(start, count, input, first, repeat);
        progress.advance(repeat * count);
      }
    }
    this.runs += total;
  }

  /** Stores Δ of copies r·count + b (image start + b) under key(r). */
  private store(logits: Float32Array, start: number, count: number, repeat: number, key: (r: number) => string): void {
    const classes = this.model.numClasses;
    const p = softmaxRows(logits, repeat * count, classes);
    for (let r = 0; r < repeat; r++) {
      const k = key(r);
      let deltas = this.cache.get(k);
      if (!deltas) this.cache.set(k, (deltas = new Float64Array(this.images.n)));
      for (let b = 0; b < count; b++) deltas[start + b] = this.base[start + b] - p[(r * count + b) * classes + this.cls];
    }
  }
}

function nodeKey(layer: string, channel: number): string {
  return `node ${layer} ${channel}`;
}

function estimateKey(target: string, channel: number): string {
  return `estimate ${target} ${channel}`;
}

function pathKey(target: string, e: PathEdge): string {
  return `path ${e.source} ${e.from} ${target} ${e.to}`;
}

/** Σ w_i Δ_i / Σ w_i: the class effect under image weights (all 1, or bootstrap counts). */
export function weightedMean(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights ? weights[i] : 1;
    sum += w * values[i];
    total += w;
  }
  return total > 0 ? sum / total : Number.NaN;
}
