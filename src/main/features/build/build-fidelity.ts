/** The fidelity lines of a project's build (scm-fidelity.ts), with the project's stored evaluation when there is one. */
import type { ScmFidelityDto } from '../../../shared/fidelity.js';
import { scmFidelity } from '../../evaluation/scm-fidelity.js';
import type { BuiltScm } from '../../scm/build-scm.js';
import { latestBuildArtifact } from '../../scm/artifacts.js';
import { readArtifact } from '../../store/artifact-kind.js';
import type { ProjectStore } from '../../store/project-store.js';
import type { ProjectSession } from '../../project/project-session.js';
import { cachedEvaluation } from '../rankings/rankings-extension.js';

const inTheApp = 'Evaluate in the Rankings view (or with causeway evaluate).';

/** The app's lines for its loaded build. */
export function buildFidelity(session: ProjectSession, built: BuiltScm, evaluateHow = inTheApp, evaluation = cachedEvaluation(session.store, built)): ScmFidelityDto {
  return storedBuildFidelity(session.store, session.settings.nodeLayers, built, evaluateHow, evaluation);
}

/**
 * The same lines from the store alone (the CLI after a build in its worker): the build's keys and
 * validation are all the evaluation lookup needs, so the build is not loaded again.
 */
export function storedBuildFidelity(
  store: ProjectStore,
  nodeLayers: readonly string[] | undefined,
  built: Pick<BuiltScm, 'keys' | 'validation'>,
  evaluateHow = inTheApp,
  /** The stored evaluation, when the caller has read it already (it is large: read once). */
  evaluation = cachedEvaluation(store, built),
): ScmFidelityDto {
  const settings = readArtifact(store, latestBuildArtifact)?.settings;
  return scmFidelity({
    validation: built.validation,
    build: { regressor: settings?.regressor, limit: settings?.limit },
    nodeLayers,
    evaluation,
    evaluateHow,
  });
}
