/** The fidelity lines of the app's loaded build (scm-fidelity.ts), with the project's stored evaluation when there is one. */
import type { ScmFidelityDto } from '../../../shared/fidelity.js';
import { scmFidelity } from '../../evaluation/scm-fidelity.js';
import type { BuiltScm } from '../../scm/build-scm.js';
import { latestBuildArtifact } from '../../scm/artifacts.js';
import { readArtifact } from '../../store/artifact-kind.js';
import type { ProjectSession } from '../../project/project-session.js';
import { cachedEvaluation } from '../rankings/rankings-extension.js';

export function buildFidelity(session: ProjectSession, built: BuiltScm): ScmFidelityDto {
  const settings = readArtifact(session.store, latestBuildArtifact)?.settings;
  return scmFidelity({
    validation: built.validation,
    build: { regressor: settings?.regressor, limit: settings?.limit },
    nodeLayers: session.settings.nodeLayers,
    evaluation: cachedEvaluation(session.store, built),
    evaluateHow: 'Evaluate in the Rankings view (or with causeway evaluate).',
  });
}
