/**
 * Every worker job, whoever started it (build, evaluation, pixel effects, adversarial detection,
 * explain, repair, properties): one progress event and one cancel. The pipeline's jobs also end with
 * job.done or job.failed; a lens job's end is the answer of the method that started it.
 */
import { z } from 'zod';
import type { JobDoneEvent, JobFailedEvent, JobProgressEvent } from '../dto.js';
import { event, method } from '../feature.js';
import { jobId } from './common.js';

export const jobMethods = {
  /** Cancels a running job by its id (the one `build.start` returned or the renderer gave a lens job). */
  'jobs.cancel': method<{ cancelled: boolean }>()(z.object({ jobId }).strict()),
};

export const jobEvents = {
  'job.progress': event<JobProgressEvent>(),
  'job.done': event<JobDoneEvent>(),
  'job.failed': event<JobFailedEvent>(),
};
