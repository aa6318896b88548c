/**
 * Loads ONNX Runtime (onnxruntime-node) once per process and picks its execution provider:
 * CUDA where the machine has it, else the CPU with intra-op threads = the machine's cores. The
 * choice is explained in one sentence (shown by `info`). Nothing is ever downloaded: the CUDA
 * provider is used only when its library is already beside onnxruntime-node's binary (the npm
 * install fetches it unless ONNXRUNTIME_NODE_INSTALL=skip) and an NVIDIA driver is present.
 * `CAUSEWAY_ORT_THREADS` overrides the thread count, `CAUSEWAY_ORT_PROVIDER=cpu` keeps CUDA off.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { encodeOnnxModel } from './onnx-proto.js';

export type OrtProvider = 'cuda' | 'cpu';

export interface OrtRuntime {
  ort: typeof Ort;
  provider: OrtProvider;
  threads: number;
  version: string;
  /** One sentence: which provider runs and why (why not CUDA, when not). */
  reason: string;
  sessionOptions: Ort.InferenceSession.SessionOptions;
}

let loaded: Promise<OrtRuntime> | undefined;

/** ONNX Runtime, loaded once; rejects with a readable reason when it cannot load. */
export function ortRuntime(): Promise<OrtRuntime> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<OrtRuntime> {
  const require = createRequire(import.meta.url);
  let ort: typeof Ort;
  try {
    ort = require('onnxruntime-node') as typeof Ort;
  } catch (error) {
    throw new Error(`onnxruntime-node failed to load: ${firstLine(error)}`, { cause: error });
  }
  const threads = threadCount();
  const base: Ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // Each session's memory arena keeps its peak (twice as fast as without one, BENCHMARKS.md
    // §engines); the engine bounds how many sessions it keeps instead. CAUSEWAY_ORT_ARENA=0 turns it off.
    enableCpuMemArena: process.env.CAUSEWAY_ORT_ARENA !== '0',
    // Idle intra-op threads sleep instead of spinning: on a machine shared with other work a
    // spinning pool burns the cores it waits for (CAUSEWAY_ORT_SPIN=1 turns spinning back on).
    extra: { session: { intra_op: { allow_spinning: process.env.CAUSEWAY_ORT_SPIN === '1' ? '1' : '0' } } },
  };
  const version = ort.env.versions?.node ?? 'unknown';
  const cuda = await cudaAvailability(ort, require, base);
  if (cuda.ok) {
    return {
      ort,
      provider: 'cuda',
      threads,
      version,
      reason: `ONNX Runtime ${version} with the CUDA execution provider (CPU ops on ${threads} threads)`,
      sessionOptions: { ...base, executionProviders: ['cuda', 'cpu'] },
    };
  }
  return {
    ort,
    provider: 'cpu',
    threads,
    version,
    reason: `ONNX Runtime ${version} on the CPU with ${threads} intra-op thread${threads === 1 ? '' : 's'} — CUDA: ${cuda.why}`,
    sessionOptions: { ...base, executionProviders: ['cpu'] },
  };
}

function threadCount(): number {
  const forced = Number(process.env.CAUSEWAY_ORT_THREADS);
  return Number.isInteger(forced) && forced > 0 ? forced : availableParallelism();
}

async function cudaAvailability(
  ort: typeof Ort,
  require: NodeJS.Require,
  base: Ort.InferenceSession.SessionOptions,
): Promise<{ ok: true } | { ok: false; why: string }> {
  if (process.env.CAUSEWAY_ORT_PROVIDER?.toLowerCase() === 'cpu') return { ok: false, why: 'turned off by CAUSEWAY_ORT_PROVIDER=cpu' };
  if (platform() !== 'linux' || arch() !== 'x64') return { ok: false, why: `onnxruntime-node has no CUDA provider for ${platform()}/${arch()}` };
  const binDir = join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', 'linux', 'x64');
  if (!existsSync(join(binDir, 'libonnxruntime_providers_cuda.so'))) {
    return { ok: false, why: 'the CUDA provider library is not installed (onnxruntime-node installed with ONNXRUNTIME_NODE_INSTALL=skip)' };
  }
  if (!existsSync('/proc/driver/nvidia/version')) return { ok: false, why: 'no NVIDIA driver on this machine' };
  try {
    // A one-node model: a session with the CUDA provider only starts when CUDA 12 and cuDNN load.
    const b = new OnnxGraphBuilder();
    b.input('x', [1]);
    b.opInto('y', 'Relu', ['x']);
    b.output('y', [1]);
    const session = await ort.InferenceSession.create(encodeOnnxModel(b.model('probe')), { ...base, executionProviders: ['cuda'] });
    await session.release();
    return { ok: true };
  } catch (error) {
    return { ok: false, why: `the CUDA provider did not start: ${firstLine(error)}` };
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
