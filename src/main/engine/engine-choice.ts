/**
 * The one place the forward engine is chosen. Automatic: ONNX Runtime (the model translated to an
 * ONNX graph), else TensorFlow.js with the reason ONNX Runtime could not take the model. `--engine
 * ort|tfjs` (CLI) or CAUSEWAY_ENGINE overrides; a forced engine that cannot run the model is an error.
 */
import type { EngineName, ForwardEngine } from './forward-engine.js';
import type { GraphModel } from './graph-model.js';
import type { ModelSpec } from './model-spec.js';
import { OrtForwardEngine } from './onnx/ort-forward-engine.js';
import { type OrtProvider, ortRuntime } from './onnx/ort-runtime.js';
import type { AnalyzeOptions } from './node-layers.js';
import { TfjsForwardEngine } from './tfjs-forward-engine.js';

export const engineNames: readonly EngineName[] = ['ort', 'tfjs'];

export interface EngineChoice {
  name: EngineName;
  /** One sentence for the user: what runs the forward work and why. */
  reason: string;
  /** ONNX Runtime's execution provider, when it runs. */
  provider?: OrtProvider;
  threads?: number;
}

/** The engine asked for by `value` (CAUSEWAY_ENGINE by default); undefined for automatic. */
export function requestedEngine(value = process.env.CAUSEWAY_ENGINE): EngineName | undefined {
  if (value === undefined || value === '' || value.toLowerCase() === 'auto') return undefined;
  const name = value.toLowerCase();
  if (name === 'onnxruntime') return 'ort';
  if (name === 'tensorflow' || name === 'tensorflowjs') return 'tfjs';
  if (!(engineNames as readonly string[]).includes(name)) throw new RangeError(`engine "${value}" is not one of ${engineNames.join(', ')} (or auto)`);
  return name as EngineName;
}

export async function chooseForwardEngine(
  spec: ModelSpec,
  graph: GraphModel,
  forced: EngineName | undefined = requestedEngine(),
  analyze: AnalyzeOptions = {},
): Promise<{ engine: ForwardEngine; choice: EngineChoice }> {
  const how = forced ? 'chosen with --engine' : 'automatic choice';
  if (forced === 'tfjs') {
    return { engine: new TfjsForwardEngine(graph), choice: { name: 'tfjs', reason: `TensorFlow.js for every pass (${how})` } };
  }
  try {
    const runtime = await ortRuntime();
    const engine = await OrtForwardEngine.create(spec, runtime, analyze);
    return {
      engine,
      choice: { name: 'ort', reason: `${runtime.reason}; gradients on TensorFlow.js (${how})`, provider: runtime.provider, threads: runtime.threads },
    };
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    if (forced === 'ort') throw new Error(`ONNX Runtime cannot run this model: ${why}`, { cause: error });
    return { engine: new TfjsForwardEngine(graph), choice: { name: 'tfjs', reason: `TensorFlow.js for every pass — ONNX Runtime: ${why}` } };
  }
}
