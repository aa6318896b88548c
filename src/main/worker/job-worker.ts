/**
 * Worker-thread entry: runs one job of the registry (job-registry.ts), found by its declared name;
 * posts its progress (and the latest state again every 400 ms, so listeners hear from it at least
 * twice a second even when a stage reports rarely) and its result; a cancel message aborts the job
 * at its next check.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, JobWorkerData, ToWorker } from '../jobs/job-protocol.js';
import type { Progress } from '../util/progress.js';
import { findJob } from './job-registry.js';

const port = parentPort!;
const { job, args } = workerData as JobWorkerData;
const abort = new AbortController();
port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') abort.abort();
});
const post = (m: FromWorker) => port.postMessage(m);

let latest: Progress | undefined;
const heartbeat = setInterval(() => {
  if (latest) post({ type: 'progress', progress: latest });
}, 400);

const registered = findJob(job);
const work = registered ? registered.run : () => Promise.reject(new Error(`no job named "${job}" in the worker's registry (src/main/worker/job-registry.ts)`));

work(args, {
  onProgress: (p) => {
    latest = p;
    post({ type: 'progress', progress: p });
  },
  signal: abort.signal,
})
  .then((value) => post({ type: 'result', value }))
  .catch((error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', name: e.name, message: e.message });
  })
  .finally(() => {
    clearInterval(heartbeat);
    port.close();
  });
