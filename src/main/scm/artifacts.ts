/**
 * What a SCM build stores, declared once (see store/artifact-kind.ts): the pointer to the latest
 * build, the fitted equations under their key, and the SCM ranking of a build. Read by the app,
 * the CLI, comparisons and reports through these declarations.
 */
import { artifactKind } from '../store/artifact-kind.js';
import type { BuildSettings } from './build-settings.js';
import type { FittedScmJSON } from './fitted-scm.js';
import type { LayerFitReport } from './fit-scm.js';
import { type LayerRanking, scmRankingKey } from './rankings.js';
import type { Validation } from './validation.js';

/** The project's latest build: its settings, the keys of its stages and its validation. */
export interface LatestBuildRecord {
  settings: BuildSettings;
  /** The key of the fitted equations (the settings hash printed in report footers). */
  equationsKey: string;
  keys: { split: string; train: string; evaluation: string; augmented: string[] };
  validation: Validation;
}

export const latestBuildArtifact = artifactKind<LatestBuildRecord>()('latest-build', () => 'latest');

/** The fitted structural equations and their per-layer fit, under the equations key. */
export const equationsArtifact = artifactKind<{ scm: FittedScmJSON; report: LayerFitReport[] }>()('scm', (equationsKey: string) => equationsKey);

/** SCM importance of every filter of a build (the app's ranking job, `causeway rank`, evaluations). */
export const rankingArtifact = artifactKind<LayerRanking[]>()('ranking', scmRankingKey);
