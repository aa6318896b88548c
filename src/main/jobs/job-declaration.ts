/**
 * A job that runs in a worker thread, declared once in its feature: its name, its arguments and result
 * (as types) and the typed steps its progress reports carry. Callers run it by its declaration
 * (`runJob(buildJob, request)` resolves to a BuildSummary); the worker's registry
 * (src/main/worker/job-registry.ts) pairs each declaration with the function that does the work.
 */
import type { Progress } from '../util/progress.js';

export interface JobDeclaration<A, R, S extends string = string> {
  readonly name: string;
  /** The steps its progress reports name in `Progress.step`, in order. */
  readonly steps: readonly S[];
  /** Never set: carry the argument and result types. */
  readonly args?: A;
  readonly result?: R;
}

/** `defineJob<Args, Result>()(name, steps)`. */
export function defineJob<A, R>() {
  return <const S extends string = never>(name: string, steps: readonly S[] = []): JobDeclaration<A, R, S> => ({ name, steps });
}

/** What a job's function receives besides its arguments. */
export interface JobHooks<S extends string = string> {
  onProgress?: (progress: Progress<S>) => void;
  signal?: AbortSignal;
}

export type StepOfJob<J> = J extends JobDeclaration<unknown, unknown, infer S> ? S : never;
