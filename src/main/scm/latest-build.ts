/** The project's most recent SCM build, reloaded from the cache (every stage is stored). */
import type { ProjectSession } from '../project/project-session.js';
import { type BuildHooks, type BuiltScm, buildScm } from './build-scm.js';
import { readArtifact } from '../store/artifact-kind.js';
import { latestBuildArtifact } from './artifacts.js';
import { resolveBuildSettings } from './build-settings.js';

export async function latestBuild(session: ProjectSession, hooks: BuildHooks = {}): Promise<BuiltScm> {
  const latest = readArtifact(session.store, latestBuildArtifact);
  if (!latest) throw new Error(`${session.dir}: no SCM built yet; run: npm run causeway -- build --project ${session.dir}`);
  return buildScm(
    { store: session.store, model: session.model, dataset: session.dataset, preprocessing: session.settings.preprocessing, dataKey: session.dataKey },
    resolveBuildSettings(latest.settings),
    hooks,
  );
}
