/**
 * Runs a job in a worker thread, off the caller's event loop. Cancel asks the job to stop at its next
 * check; if it has not stopped 800 ms later the worker is terminated, so cancel always takes effect
 * within a second (the store commits whole batches only, so nothing half-written remains).
 */
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../util/progress.js';
import type { JobDeclaration, JobHooks } from './job-declaration.js';
import type { FromWorker, JobWorkerData } from './job-protocol.js';

export type RunJobOptions<S extends string = string> = JobHooks<S>;

export class JobError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** How a job is run: runJob in production; tests may pass a stand-in. */
export type JobRunner = typeof runJob;

export function runJob<A, R, S extends string>(declaration: JobDeclaration<A, R, S>, args: A, options: RunJobOptions<S> = {}): Promise<R> {
  const job = declaration.name;
  return new Promise<R>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new CancelledError(`the ${job} job`));
    const worker = startWorker({ job, args });
    let settled = false;
    let hardStop: NodeJS.Timeout | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(hardStop);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' });
      hardStop = setTimeout(() => {
        void worker.terminate();
        finish(() => reject(new CancelledError(`the ${job} job`)));
      }, 800);
    };
    options.signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') options.onProgress?.(m.progress as Parameters<NonNullable<typeof options.onProgress>>[0]);
      else if (m.type === 'result') finish(() => resolve(m.value as R));
      else finish(() => reject(m.name === 'CancelledError' ? new CancelledError(`the ${job} job`) : new JobError(m.name, m.message)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the ${job} job's worker exited (code ${code}) without a result`))));
  });
}

/**
 * The compiled worker beside this file when built (electron.vite.config.ts bundles it as job-worker.js
 * next to the main bundle); from source, a bootstrap that loads TypeScript first, then worker/job-worker.ts.
 */
function startWorker(data: JobWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return new Worker(new URL('./job-worker.js', import.meta.url), { workerData: data });
  const entry = new URL('../worker/job-worker.ts', import.meta.url).href;
  return new Worker(new URL('./source-worker-bootstrap.mjs', import.meta.url), { workerData: { ...data, entry } });
}
