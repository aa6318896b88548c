/**
 * Worker-thread entry: runs one named job, posts its progress (and the latest state again every
 * 400 ms, so listeners hear from it at least twice a second even when a stage reports rarely) and
 * its result; a cancel message aborts the job at its next check.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildProject } from '../features/build/build-service.js';
import { evaluateProject } from '../features/rankings/evaluation-service.js';
import { rankProject } from '../features/rankings/ranking-job.js';
import { runProperties } from '../features/properties/properties-service.js';
import { adversarialJob, cemapImageJob, explainJob } from '../features/analysis/analysis-job-entries.js';
import type { FromWorker, JobName, JobWorkerData, ToWorker } from '../jobs/job-protocol.js';
import type { Progress } from '../util/progress.js';

type Job = (args: never, hooks: { onProgress: (p: Progress) => void; signal: AbortSignal }) => Promise<unknown>;

const jobs: Record<JobName, Job> = {
  build: buildProject as Job,
  rank: rankProject as Job,
  evaluate: evaluateProject as Job,
  'cemap-image': cemapImageJob as Job,
  adversarial: adversarialJob as Job,
  explain: explainJob as Job,
  properties: runProperties as Job,
};

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

jobs[job](args as never, {
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
