/** Messages between a job's caller and the worker thread that runs it (plain JSON). */
import type { Progress } from '../util/progress.js';

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; value: unknown }
  | { type: 'error'; name: string; message: string };

export interface JobWorkerData {
  /** The job's declared name (see job-declaration.ts). */
  job: string;
  args: unknown;
}
