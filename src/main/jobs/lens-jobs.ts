/**
 * The lenses' worker jobs (pixel effects, adversarial detection, explain, repair, properties): each
 * named by the id the renderer chose, so it can follow the job's `job.progress` and cancel it with
 * `jobs.cancel` before the method that started it answers. Several may run at once.
 */
import type { EventSink } from '../../shared/contract.js';
import type { LensJobKind } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import type { JobDeclaration } from './job-declaration.js';
import { jobProgressFields } from './job-progress-event.js';
import { OverallProgress, type PlannedStage } from './overall-progress.js';
import { type JobRunner, runJob } from './run-job.js';

export class LensJobs {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly emit: EventSink,
    private readonly run: JobRunner = runJob,
  ) {}

  /** Runs `declaration` as job `jobId`; with a plan of its stages, its progress carries one bar and ETA for the whole job. */
  async start<A, R, S extends string>(jobId: string, kind: LensJobKind, declaration: JobDeclaration<A, R, S>, args: A, plan: readonly PlannedStage<S>[] = []): Promise<R> {
    if (this.running.has(jobId)) throw new ApiError('busy', `job ${jobId} is already running`);
    const abort = new AbortController();
    this.running.set(jobId, abort);
    const overall = plan.length ? new OverallProgress(plan) : undefined;
    try {
      return await this.run(declaration, args, {
        signal: abort.signal,
        onProgress: (p) => {
          this.emit('job.progress', { ...jobProgressFields(jobId, p, overall?.update(p)), kind, ...(p.step !== undefined ? { step: p.step } : {}) });
        },
      });
    } finally {
      this.running.delete(jobId);
    }
  }

  /** True when job `jobId` was running here (it stops within a second). */
  cancel(jobId: string): boolean {
    const abort = this.running.get(jobId);
    abort?.abort();
    return abort !== undefined;
  }

  cancelAll(): void {
    for (const abort of this.running.values()) abort.abort();
  }
}
