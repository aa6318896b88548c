/** The worker's job registry: one entry per declared job, found by name; an unknown job fails by name. */
import { describe, expect, it } from 'vitest';
import { defineJob } from '../../src/main/jobs/job-declaration.js';
import { runJob } from '../../src/main/jobs/run-job.js';
import { findJob, registeredJobs } from '../../src/main/worker/job-registry.js';
import { buildJob } from '../../src/main/features/build/build-service.js';
import { rankJob } from '../../src/main/features/rankings/ranking-job.js';
import { repairJob } from '../../src/main/features/explain/explain-service.js';

describe('job registry', () => {
  it('holds each job once, under the name its declaration gives, with its typed steps', () => {
    const names = registeredJobs.map((j) => j.declaration.name);
    expect(names.sort()).toEqual(['adversarial', 'build', 'evaluate', 'explain', 'pixel-effects-image', 'properties', 'rank', 'repair']);
    expect(findJob('build')?.declaration).toBe(buildJob);
    expect(findJob('repair')?.declaration).toBe(repairJob);
    expect(buildJob.steps).toEqual(['phi', 'augmentation', 'fitting']);
    expect(rankJob.steps).toEqual(['ranking']);
  });

  it('a job declared but not registered fails in the worker, naming the job and the registry', async () => {
    const orphan = defineJob<{ project: string }, never>()('orphan');
    await expect(runJob(orphan, { project: '/nowhere' })).rejects.toThrow(/no job named "orphan" in the worker's registry/);
  }, 60_000);
});
