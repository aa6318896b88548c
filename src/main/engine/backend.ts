/**
 * Chooses the TensorFlow.js backend at start, in the order tfjs-node-gpu → tfjs-node → wasm → cpu,
 * and remembers why: the user is told which backend runs and why the faster ones did not.
 * `CAUSEWAY_BACKEND` (gpu | node | wasm | cpu) forces one.
 */
import { createRequire } from 'node:module';
import { tf } from './tf.js';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendChoice {
  name: BackendName;
  /** One sentence for the user: what runs and why. */
  reason: string;
  /** Backends tried before this one, each with why it was passed over. */
  skipped: { name: BackendName; why: string }[];
}

const require = createRequire(import.meta.url);

interface Candidate {
  name: BackendName;
  /** Loads and activates the backend; throws with a readable message when it can't. */
  activate: () => Promise<void>;
}

async function activateNative(pkg: string): Promise<void> {
  try {
    require.resolve(pkg);
  } catch {
    throw new Error(`${pkg} is not installed (an optional dependency; its install downloads libtensorflow)`);
  }
  try {
    require(pkg);
  } catch (error) {
    throw new Error(`${pkg} is installed but failed to load: ${firstLine(error)}`, { cause: error });
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but its backend did not start`);
}

const candidates: Candidate[] = [
  { name: 'tensorflow-gpu', activate: () => activateNative('@tensorflow/tfjs-node-gpu') },
  { name: 'tensorflow', activate: () => activateNative('@tensorflow/tfjs-node') },
  {
    name: 'wasm',
    activate: async () => {
      if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend did not start');
    },
  },
  {
    name: 'cpu',
    activate: async () => {
      if (!(await tf.setBackend('cpu'))) throw new Error('the plain JavaScript backend did not start');
    },
  },
];

const forcedNames: Record<string, BackendName> = {
  gpu: 'tensorflow-gpu',
  'tensorflow-gpu': 'tensorflow-gpu',
  node: 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

const reasons: Record<BackendName, string> = {
  'tensorflow-gpu': 'native TensorFlow with CUDA (fastest)',
  tensorflow: 'native TensorFlow on the CPU',
  wasm: 'WebAssembly with SIMD, single-threaded in Node',
  cpu: 'plain JavaScript (slowest)',
};

let chosen: Promise<BackendChoice> | undefined;

/** Starts the backend once per process; later calls return the same choice. */
export function initBackend(forced = process.env.CAUSEWAY_BACKEND): Promise<BackendChoice> {
  chosen ??= choose(forced);
  return chosen;
}

async function choose(forced: string | undefined): Promise<BackendChoice> {
  let order = candidates;
  if (forced) {
    const name = forcedNames[forced.toLowerCase()];
    if (!name) throw new Error(`CAUSEWAY_BACKEND=${forced} is not one of gpu, node, wasm, cpu`);
    order = candidates.filter((c) => c.name === name);
  }
  const skipped: BackendChoice['skipped'] = [];
  for (const candidate of order) {
    try {
      await candidate.activate();
      await tf.ready();
      const why = forced
        ? `forced by CAUSEWAY_BACKEND=${forced}`
        : skipped.map((s) => `${s.name}: ${s.why}`).join('; ');
      return { name: candidate.name, reason: `${reasons[candidate.name]}${why ? ` — ${why}` : ''}`, skipped };
    } catch (error) {
      skipped.push({ name: candidate.name, why: firstLine(error) });
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')}`);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
