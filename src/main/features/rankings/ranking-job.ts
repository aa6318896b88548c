/**
 * SCM importance of every filter (METHODS §1, `rankFilters`), computed as a job after a build (the
 * pipeline's evaluation step) and cached in the project under the same key `causeway rank` uses.
 */
import { ProgressReporter, type ProgressListener } from '../../util/progress.js';
import type { BuiltScm } from '../../scm/build-scm.js';
import { latestBuild } from '../../scm/latest-build.js';
import { rankingArtifact } from '../../scm/artifacts.js';
import { type LayerRanking, rankFilters } from '../../scm/rankings.js';
import { readArtifact, writeArtifact } from '../../store/artifact-kind.js';
import type { ProjectStore } from '../../store/project-store.js';
import { defineJob, type JobHooks } from '../../jobs/job-declaration.js';
import { withProjectSession } from '../../project/project-session.js';

export const rankingStage = 'evaluation (SCM importance of every filter)';

/** The ranking as a worker job, after a build; its one step is the pipeline's evaluation row. */
export const rankJob = defineJob<RankRequest, { layers: number }>()('rank', ['ranking']);

export interface RankRequest {
  project: string;
}

export function readRanking(store: ProjectStore, built: Pick<BuiltScm, 'keys'>): LayerRanking[] | undefined {
  return readArtifact(store, rankingArtifact, built.keys.equations, built.keys.evaluation);
}

export function computeRanking(store: ProjectStore, built: BuiltScm, onProgress?: ProgressListener<'ranking'>): LayerRanking[] {
  const cached = readRanking(store, built);
  if (cached) return cached;
  const layers = built.scm.layers.filter((l) => l.kind !== 'logits');
  const progress = new ProgressReporter(rankingStage, layers.reduce((s, l) => s + l.channels, 0), onProgress, undefined, { step: 'ranking' });
  const ranking = rankFilters(built.scm, built.evaluation.layers, built.evaluation.labels, { onChannel: () => progress.advance() });
  writeArtifact(store, rankingArtifact, ranking, built.keys.equations, built.keys.evaluation);
  return ranking;
}

/** The job: opens the project in the worker, ranks (or finds the cached ranking). */
export function rankProject(request: RankRequest, hooks: JobHooks<'ranking'> = {}): Promise<{ layers: number }> {
  return withProjectSession(request.project, async (session) => {
    const built = await latestBuild(session, { signal: hooks.signal });
    return { layers: computeRanking(session.store, built, hooks.onProgress).length };
  });
}
