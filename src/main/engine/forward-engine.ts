/**
 * What an engine for forward work does: full passes with interventions and φ, frontier capture and
 * suffix re-runs. Two implement it (ONNX Runtime, TensorFlow.js); LoadedModel picks one
 * (engine-choice.ts) and every caller above the engine goes through LoadedModel, so the engine is
 * chosen in one place. Gradients always run on TensorFlow.js.
 */
import type { InterventionSpec } from './interventions.js';
import type { TensorPhiKind } from './phi.js';

export type EngineName = 'ort' | 'tfjs';

export interface ForwardResult {
  batch: number;
  numClasses: number;
  /** [batch, numClasses] row-major, pre-softmax. */
  logits: Float32Array;
  /** phi[layer][kind] → [batch, channels] row-major. */
  phi: Record<string, Partial<Record<TensorPhiKind, Float32Array>>>;
}

/** The part of a run request both engines serve. */
export interface ForwardRequest {
  interventions?: InterventionSpec;
  /** φ to compute; `layers` defaults to every node layer the pass runs. */
  phi?: { layers?: string[]; kinds: TensorPhiKind[] };
  /** Dataset-mean maps (H·W·C, row-major) for `mean` interventions, by node layer. */
  meanMaps?: Record<string, Float32Array>;
  /**
   * Per-sample maps added to a node layer's activation after its interventions, by node layer:
   * [batch, ...shape] row-major, batch counting a suffix re-run's copies (a path intervention's
   * change of the layer, weight-edits.ts).
   */
  addMaps?: Record<string, Float32Array>;
}

/** A cached node-layer frontier for suffix re-runs; free it with dispose(). */
export interface FrontierHandle {
  readonly layer: string;
  readonly batch: number;
  dispose(): void;
}

export interface ForwardEngine {
  readonly name: EngineName;
  /** One batch: `input` is [batch, H, W, C] row-major. */
  forward(input: Float32Array, batch: number, request?: ForwardRequest): Promise<ForwardResult>;
  /** Runs the prefix up to node layer `layer` once and keeps what the suffix needs. */
  captureFrontier(input: Float32Array, batch: number, layer: string): Promise<FrontierHandle>;
  /** Re-runs the suffix after a frontier, the batch repeated `repeat` times (sample r·B + b). */
  forwardFromFrontier(handle: FrontierHandle, request?: ForwardRequest, repeat?: number): Promise<ForwardResult>;
  dispose(): void;
}

/** Every engine's input check: `input` must be `batch` images of the model's [H, W, C], row-major. */
export function checkBatchInput(input: Float32Array, batch: number, inputShape: readonly number[]): void {
  const [h, w, c] = inputShape;
  if (input.length !== batch * h * w * c) throw new RangeError(`input has ${input.length} values; a batch of ${batch} needs ${batch * h * w * c}`);
}
