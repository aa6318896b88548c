/**
 * The part of a `job.progress` event every job shares, made from one progress report: the pipeline's
 * jobs (build, evaluate) and the lenses' jobs add their kind and step to it.
 */
import type { OverallSnapshot } from './overall-progress.js';
import type { Progress } from '../util/progress.js';

export function jobProgressFields(jobId: string, p: Progress, overall: OverallSnapshot | undefined) {
  return {
    jobId,
    stage: p.stage,
    done: p.done,
    total: p.total,
    ...(p.etaSeconds !== undefined ? { etaSeconds: p.etaSeconds } : {}),
    elapsedSeconds: p.elapsedSeconds,
    ...(overall ? { overall } : {}),
  };
}
