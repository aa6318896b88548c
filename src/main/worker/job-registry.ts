/**
 * Every worker job: its declaration (from its feature) paired with the function the worker runs.
 * `implement` checks at compile time that the function takes the declared arguments and resolves to
 * the declared result; the worker finds a job by its declared name.
 */
import type { JobDeclaration, JobHooks } from '../jobs/job-declaration.js';
import { adversarialJob, pixelEffectsImageJob, runAdversarial, runPixelEffectsImage } from '../features/pixel-effects/pixel-effects-service.js';
import { explainJob, repairJob, runExplain, runRepair } from '../features/explain/explain-service.js';
import { buildJob, buildProject } from '../features/build/build-service.js';
import { propertiesJob, runProperties } from '../features/properties/properties-service.js';
import { evaluateJob, evaluateProject } from '../features/rankings/evaluation-service.js';
import { rankJob, rankProject } from '../features/rankings/ranking-job.js';

export interface RegisteredJob {
  declaration: JobDeclaration<unknown, unknown, string>;
  run: (args: unknown, hooks: JobHooks) => Promise<unknown>;
}

function implement<A, R, S extends string>(declaration: JobDeclaration<A, R, S>, run: (args: A, hooks: JobHooks<S>) => Promise<R>): RegisteredJob {
  return { declaration, run: run as RegisteredJob['run'] };
}

export const registeredJobs: readonly RegisteredJob[] = [
  implement(buildJob, buildProject),
  implement(rankJob, rankProject),
  implement(evaluateJob, evaluateProject),
  implement(pixelEffectsImageJob, runPixelEffectsImage),
  implement(adversarialJob, runAdversarial),
  implement(explainJob, runExplain),
  implement(repairJob, runRepair),
  implement(propertiesJob, runProperties),
];

export function findJob(name: string): RegisteredJob | undefined {
  return registeredJobs.find((j) => j.declaration.name === name);
}
