/**
 * The app's long jobs, one at a time, each in worker threads: the build (the SCM build job, then the
 * ranking job — the pipeline's evaluation step) and the evaluation of the rankings against the real
 * network. Progress is pushed as job.progress with the pipeline step it belongs to and the job's own
 * typed step (`jobStep`); the end as job.done or job.failed. Cancel stops the running worker within a
 * second; starting again resumes from what the project store already holds.
 */
import { randomUUID } from 'node:crypto';
import type { EventSink } from '../../../shared/contract.js';
import type { BuildSettingsDto, EvaluationSettingsDto, JobInfo, JobProgressEvent, PipelineJobKind, PipelineStep } from '../../../shared/dto.js';
import { ApiError } from '../../../shared/errors.js';
import type { JobDeclaration, StepOfJob } from '../../jobs/job-declaration.js';
import { OverallProgress, type PlannedStage } from '../../jobs/overall-progress.js';
import { jobProgressFields } from '../../jobs/job-progress-event.js';
import type { Progress } from '../../util/progress.js';
import { CancelledError } from '../../util/progress.js';
import { type JobRunner, runJob } from '../../jobs/run-job.js';
import { rankingLoadStage } from './build-plan.js';
import { type BuildRequest, type BuildSummary, buildJob } from './build-service.js';
import { withWriterLock } from '../../project/writer-lock.js';
import { type EvaluateRequest, evaluateJob } from '../rankings/evaluation-service.js';
import { type RankRequest, rankJob } from '../rankings/ranking-job.js';

/** The pipeline row of each step the build's jobs report (typed by their declarations, not read from stage text). */
const pipelineStepOfJobStep: Record<StepOfJob<typeof buildJob> | StepOfJob<typeof rankJob>, PipelineStep> = {
  phi: 'phi',
  augmentation: 'augmentation',
  fitting: 'fitting',
  ranking: 'evaluation',
};

type Report = (step: PipelineStep, p: Omit<Progress, 'elapsedSeconds'> & { elapsedSeconds?: number }) => void;

interface Running {
  info: JobInfo;
  abort: AbortController;
}

export class BuildJobs {
  private running: Running | undefined;

  constructor(
    private readonly emit: EventSink,
    private readonly run: JobRunner = runJob,
  ) {}

  current(): JobInfo | null {
    return this.running?.info ?? null;
  }

  /**
   * Builds `project`; `onBuilt` runs after both jobs (it reloads the build in the app) and before
   * `done` hears what it returned.
   */
  start<T>(
    project: string,
    settings: BuildSettingsDto | undefined,
    onBuilt: (summary: BuildSummary) => Promise<T>,
    done: (jobId: string, value: T, seconds: number) => void,
    plan: readonly PlannedStage[] = [],
  ): string {
    return this.launch('build', plan, async (run, report) => {
      report('load', { stage: 'loading the model and the dataset', done: 0, total: 1 });
      const request: BuildRequest = { project, settings };
      // The project's writer lock: a `causeway build` of the same project meanwhile stops at once.
      const summary = await withWriterLock(project, 'build (Causeway app)', {}, async () => {
        const built = await run(buildJob, request);
        report('validation', { step: 'validation', stage: 'validation on the held-out images', done: 1, total: 1, elapsedSeconds: 0 });
        report('evaluation', { step: 'loading', stage: rankingLoadStage, done: 0, total: 1, elapsedSeconds: 0 });
        const rank: RankRequest = { project };
        await run(rankJob, rank);
        return built;
      });
      return onBuilt(summary);
    }, done);
  }

  /** Evaluates the project's rankings against the real network (every stage reports as 'evaluation'). */
  startEvaluation<T>(
    project: string,
    settings: EvaluationSettingsDto | undefined,
    onEvaluated: (outcome: { key: string }) => Promise<T>,
    done: (jobId: string, value: T, seconds: number) => void,
    plan: readonly PlannedStage[] = [],
  ): string {
    return this.launch('evaluate', plan, async (run, report) => {
      report('evaluation', { step: 'loading', stage: 'evaluation: loading the model and the dataset', done: 0, total: 1 });
      const request: EvaluateRequest = { project, settings };
      return onEvaluated(await run(evaluateJob, request));
    }, done);
  }

  /** The machine's pace seen by the last job that ran to its end (for the estimate before the next). */
  lastMeasured: { unitsPerSecond: number; loadSeconds: number } | undefined;

  cancel(jobId: string): boolean {
    if (!this.running || this.running.info.jobId !== jobId) return false;
    this.running.abort.abort();
    return true;
  }

  /** Stops a running job (closing the app or switching projects). */
  cancelAll(): void {
    this.running?.abort.abort();
  }

  private launch<T>(
    kind: PipelineJobKind,
    plan: readonly PlannedStage[],
    body: (run: <A, R, S extends string>(job: JobDeclaration<A, R, S>, args: A) => Promise<R>, report: Report) => Promise<T>,
    done: (jobId: string, value: T, seconds: number) => void,
  ): string {
    if (this.running) throw new ApiError('busy', `a ${this.running.info.kind === 'build' ? 'build' : 'evaluation'} is already running; cancel it or wait for it to finish`);
    const jobId = randomUUID();
    const abort = new AbortController();
    const info: JobInfo = { jobId, kind, startedAt: new Date().toISOString(), progress: null };
    this.running = { info, abort };
    const started = performance.now();
    const overall = plan.length ? new OverallProgress(plan) : undefined;
    let lastReport: { step: PipelineStep; p: Parameters<Report>[1]; at: number } | undefined;
    const report: Report = (step, p) => {
      // The plan follows the jobs' own typed steps (the pipeline rows are coarser: ranking is 'evaluation').
      const whole = overall?.update(p);
      const jobSeconds = (performance.now() - started) / 1000;
      const event: JobProgressEvent = {
        ...jobProgressFields(jobId, { ...p, elapsedSeconds: p.elapsedSeconds ?? jobSeconds }, whole),
        kind,
        step,
        ...(p.step !== undefined ? { jobStep: p.step } : {}),
        jobSeconds,
      };
      info.progress = event;
      lastReport = { step, p, at: performance.now() };
      this.emit('job.progress', event);
    };
    // Stages that report nothing for a while (a worker loading) still move the clock and the bar.
    const ticker = setInterval(() => {
      if (!lastReport || performance.now() - lastReport.at < 450) return;
      const { step, p, at } = lastReport;
      report(step, { ...p, elapsedSeconds: (p.elapsedSeconds ?? 0) + (performance.now() - at) / 1000, etaSeconds: undefined });
    }, 500);
    const onProgress = (p: Progress) => {
      const step: PipelineStep = kind === 'evaluate' ? 'evaluation' : p.step ? pipelineStepOfJobStep[p.step as keyof typeof pipelineStepOfJobStep] ?? 'load' : 'load';
      report(step, p);
      if (step === 'fitting' && p.done >= p.total) report('validation', { step: 'validation', stage: 'validation on the held-out images', done: 0, total: 1, elapsedSeconds: 0 });
    };
    const run = <A, R, S extends string>(job: JobDeclaration<A, R, S>, args: A) => this.run(job, args, { onProgress: onProgress as (p: Progress<S>) => void, signal: abort.signal });
    void (async () => {
      try {
        const value = await body(run, report);
        clearInterval(ticker);
        this.lastMeasured = overall?.measured() ?? this.lastMeasured;
        this.running = undefined;
        done(jobId, value, (performance.now() - started) / 1000);
      } catch (error) {
        clearInterval(ticker);
        this.running = undefined;
        const cancelled = error instanceof CancelledError || (error as Error)?.name === 'CancelledError';
        const what = kind === 'build' ? 'the build' : 'the evaluation';
        const message = cancelled ? `${what} was cancelled; start it again to resume where it stopped` : firstLine(error);
        this.emit('job.failed', { jobId, kind, cancelled, message });
      }
    })();
    return jobId;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
