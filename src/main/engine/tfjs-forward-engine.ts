/**
 * Forward work on TensorFlow.js (the GraphModel executor): the fallback engine, and the reference
 * the ONNX Runtime engine is tested against. Every call frees the tensors it allocates.
 */
import type { ForwardEngine, ForwardRequest, ForwardResult, FrontierHandle } from './forward-engine.js';
import type { Frontier, GraphModel, RunRequest, RunTensors } from './graph-model.js';
import type { TensorPhiKind } from './phi.js';
import { tf } from './tf.js';

class TfjsFrontier implements FrontierHandle {
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

export class TfjsForwardEngine implements ForwardEngine {
  readonly name = 'tfjs';

  constructor(private readonly graph: GraphModel) {}

  /** Also serves tensor-level requests (probes, captures) for LoadedModel's own use. */
  async forward(input: Float32Array, batch: number, request: ForwardRequest | RunRequest = {}): Promise<ForwardResult> {
    const out = tidyRun(() => this.graph.run(this.graph.inputTensor(input, batch), request));
    return this.read(out, batch);
  }

  async captureFrontier(input: Float32Array, batch: number, layer: string): Promise<FrontierHandle> {
    let frontier: Frontier | undefined;
    tf.tidy(() => {
      frontier = this.graph.captureFrontier(this.graph.inputTensor(input, batch), layer);
      for (const t of frontier.tensors.values()) tf.keep(t);
    });
    return new TfjsFrontier(frontier!);
  }

  async forwardFromFrontier(handle: FrontierHandle, request: ForwardRequest = {}, repeat = 1): Promise<ForwardResult> {
    if (!(handle instanceof TfjsFrontier)) throw new TypeError('this frontier was captured by another engine');
    const { frontier } = handle;
    if (frontier.tensors.size === 0) throw new Error('this frontier was disposed');
    const out = tidyRun(() => this.graph.runFromFrontier(frontier, request, repeat));
    return this.read(out, frontier.batch * repeat);
  }

  dispose(): void {
    // The GraphModel belongs to the LoadedModel, which frees it.
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
