/** Events every worker job pushes (build, evaluation), and the cancel of the analysis panels' jobs. */
import { z } from 'zod';
import type { AnalysisProgressEvent } from '../analysis.js';
import type { JobDoneEvent, JobFailedEvent, JobProgressEvent } from '../dto.js';
import { event, method } from '../feature.js';
import type { PropertiesProgressEvent } from '../properties.js';
import { jobId } from './common.js';

export const jobMethods = {
  /** Cancels a pixel-effects or explanatory-graph job by the id the renderer gave it. */
  'analysis.cancel': method<{ cancelled: boolean }>()(z.object({ jobId }).strict()),
};

export const jobEvents = {
  'job.progress': event<JobProgressEvent>(),
  'job.done': event<JobDoneEvent>(),
  'job.failed': event<JobFailedEvent>(),
  'analysis.progress': event<AnalysisProgressEvent>(),
  'properties.progress': event<PropertiesProgressEvent>(),
};
