/**
 * What an evaluation stores, declared once (see store/artifact-kind.ts): the report under the key of
 * the build and the settings, and the app's pointer to the evaluation it last ran for a build.
 */
import { artifactKind } from '../store/artifact-kind.js';
import { combineHashes, hashJson } from '../store/hashing.js';
import type { EvaluationReport } from './evaluation-report.js';
import type { EvaluationSettings } from './evaluation-settings.js';

/**
 * An evaluation report, keyed by the build's equations and evaluation keys and the settings. Masks per
 * pass change the speed, not the results: hashed as the old default (1) when the engine picks, so
 * evaluations stored before engines chose it stay valid.
 */
export const evaluationArtifact = artifactKind<EvaluationReport>()('evaluation', (equationsKey: string, evaluationKey: string, settings: EvaluationSettings) =>
  combineHashes(equationsKey, evaluationKey, hashJson({ ...settings, masksPerPass: settings.masksPerPass ?? 1 })),
);

/** Which evaluation the app ran for a build (its settings may differ from the defaults). */
export const appEvaluationArtifact = artifactKind<{ key: string }>()('app-evaluation', (equationsKey: string) => equationsKey);
