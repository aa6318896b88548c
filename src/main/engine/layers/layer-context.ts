/** What a layer compiler gets: the spec, its weights as tensors, and helpers to read the config. */
import type { LayerSpec } from '../model-spec.js';
import { ModelLoadError } from '../model-spec.js';
import { tf, type Tensor } from '../tf.js';

export type LayerFn = (inputs: Tensor[]) => Tensor;

export class LayerContext {
  constructor(
    readonly spec: LayerSpec,
    readonly source: string,
    private readonly tensors: Map<string, Tensor>,
  ) {}

  /** A weight tensor by Keras short name; a missing required weight is a load error naming the layer. */
  weight(name: string): Tensor {
    const t = this.tensors.get(name);
    if (!t) throw this.error(`has no weight "${name}"`);
    return t;
  }

  optionalWeight(name: string): Tensor | undefined {
    return this.tensors.get(name);
  }

  number(key: string, fallback?: number): number {
    const v = this.spec.config[key];
    if (typeof v === 'number') return v;
    if (fallback !== undefined) return fallback;
    throw this.error(`config "${key}" is missing or not a number`);
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.spec.config[key];
    return typeof v === 'boolean' ? v : fallback;
  }

  string(key: string, fallback: string): string {
    const v = this.spec.config[key];
    return typeof v === 'string' ? v.toLowerCase() : fallback;
  }

  pair(key: string, fallback: [number, number]): [number, number] {
    const v = this.spec.config[key];
    if (typeof v === 'number') return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
    if (v === undefined || v === null) return fallback;
    throw this.error(`config "${key}" must be a number or a pair, got ${JSON.stringify(v)}`);
  }

  padding(): 'same' | 'valid' {
    const p = this.string('padding', 'valid');
    if (p !== 'same' && p !== 'valid') throw this.error(`padding "${p}" is not supported`);
    return p;
  }

  error(problem: string): ModelLoadError {
    return new ModelLoadError(this.source, `layer ${this.spec.name} (${this.spec.className}) ${problem}`);
  }
}

/** Every op in a layer function runs on tensors created in tf.tidy by the caller. */
export function single(inputs: Tensor[]): Tensor {
  return inputs[0];
}

export { tf };
