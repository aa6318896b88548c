/**
 * Everything a report prints, read from a project's store: the artifacts `latestBuild` reads (the
 * latest build's settings, keys and validation, the fitted equations' per-layer report), the SCM
 * ranking, the matching evaluation and the intervention history. Nothing is recomputed: a missing
 * result is reported missing, with the command that makes it.
 */
import { basename } from 'node:path';
import { adversarialRunArtifact, cemapRunArtifact, type StoredAdversarialRun, type StoredCemapRun } from '../features/pixel-effects/pixel-effects-service.js';
import { auditArtifact, type StoredPropertyAudit } from '../features/properties/properties-service.js';
import { type ExplanatoryGraphDto, graphArtifact, repairArtifact, type RepairDto } from '../features/explain/explain-service.js';
import type { DatasetInfo } from '../data/dataset.js';
import type { ModelSummary } from '../engine/loaded-model.js';
import { equationsArtifact, type LatestBuildRecord, latestBuildArtifact, rankingArtifact } from '../scm/artifacts.js';
import type { Validation } from '../scm/build-scm.js';
import type { BuildSettings } from '../scm/build-settings.js';
import type { LayerFitReport } from '../scm/fit-scm.js';
import type { LayerRanking } from '../scm/rankings.js';
import type { ScmLayer } from '../scm/scm-structure.js';
import { type ArtifactKind, readAllArtifacts, readArtifact } from '../store/artifact-kind.js';
import type { ProjectSession } from '../project/project-session.js';
import type { ProjectSettings } from '../store/project-settings.js';
import { buildIsCurrent } from './build-currency.js';
import { type StoredEvaluation, findEvaluation } from '../evaluation/evaluation-lookup.js';
import { type InterventionRun, readInterventionRuns } from './intervention-records.js';

export interface StoredBuild {
  settings: BuildSettings;
  /** The settings hash printed in the footer: the key of the fitted equations. */
  equationsKey: string;
  keys: { split: string; train: string; evaluation: string; augmented: string[] };
  validation: Validation;
  /** When the equations were fitted. */
  fittedAt: string;
  /** False when the model file, dataset or preprocessing changed since the build. */
  current: boolean;
}

export interface StoredResults {
  dir: string;
  name: string;
  settings: ProjectSettings;
  model: Omit<ModelSummary, 'nodeLayers'>;
  dataset: DatasetInfo;
  build: StoredBuild;
  layers: ScmLayer[];
  fit: LayerFitReport[];
  ranking?: LayerRanking[];
  evaluation?: StoredEvaluation;
  interventions: InterventionRun[];
  /** History records not written by the app (left out, counted). */
  unreadableInterventions: number;
  explanations: StoredExplanations;
  audits: StoredAudits;
  pixelEffects: StoredPixelEffects;
  /** Which forward engine produced the stored builds and artifacts, counted per kind. */
  engines: ReturnType<ProjectSession['store']['engineTally']>;
}

/** S3 run summaries as stored (oldest first). */
export interface StoredPixelEffects {
  maps: { createdAt: string; value: StoredCemapRun }[];
  attacks: { createdAt: string; value: StoredAdversarialRun }[];
}

/** S4 audit summaries as stored (oldest first). */
export type StoredAudits = { createdAt: string; value: StoredPropertyAudit }[];

/** S2 results as stored (oldest first). */
export interface StoredExplanations {
  graphs: { createdAt: string; value: Omit<ExplanatoryGraphDto, 'seconds' | 'cached'> }[];
  repairs: { createdAt: string; value: Omit<RepairDto, 'seconds' | 'cached'> }[];
}

function readStored<T>(store: ProjectSession['store'], kind: ArtifactKind<T, never>): { createdAt: string; value: T }[] {
  return readAllArtifacts(store, kind).map(({ createdAt, value }) => ({ createdAt, value }));
}

function readExplanations(store: ProjectSession['store']): StoredExplanations {
  return { graphs: readStored(store, graphArtifact), repairs: readStored(store, repairArtifact) };
}

/** Throws, naming the project and the command to run, when the project has no complete build. */
export function readStoredResults(session: ProjectSession): StoredResults {
  const { store, dir } = session;
  const latest: LatestBuildRecord | undefined = readArtifact(store, latestBuildArtifact);
  if (!latest) throw new Error(`${dir}: no SCM built yet; run build first: npm run causeway -- build --project ${dir}`);
  const fitted = store.getArtifact<{ scm: { layers: ScmLayer[] }; report: LayerFitReport[] }>(equationsArtifact.name, equationsArtifact.key(latest.equationsKey));
  if (!fitted) throw new Error(`${dir}: the latest build's equations are missing from ${store.file}; run build again: npm run causeway -- build --project ${dir}`);
  const ranking = readArtifact(store, rankingArtifact, latest.equationsKey, latest.keys.evaluation);
  const { runs, unreadable } = readInterventionRuns(store.listInterventions());
  const { nodeLayers: _nodeLayers, ...model } = session.model.summary();
  return {
    dir,
    name: session.settings.name ?? basename(dir),
    settings: session.settings,
    model,
    dataset: session.dataset.info,
    build: {
      settings: latest.settings,
      equationsKey: latest.equationsKey,
      keys: latest.keys,
      validation: latest.validation,
      fittedAt: fitted.createdAt,
      current: buildIsCurrent(session.dataKey, session.dataset.info.count, latest.settings, latest.keys.train),
    },
    layers: fitted.value.scm.layers,
    fit: fitted.value.report,
    ranking,
    evaluation: findEvaluation(store, latest.validation, ranking),
    interventions: runs,
    unreadableInterventions: unreadable,
    explanations: readExplanations(store),
    audits: readStored(store, auditArtifact),
    pixelEffects: {
      maps: readStored(store, cemapRunArtifact),
      attacks: readStored(store, adversarialRunArtifact),
    },
    engines: store.engineTally(),
  };
}
