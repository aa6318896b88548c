/**
 * Evaluates a project's filter rankings against the real network (METHODS §2): the service behind
 * `causeway evaluate` and the app. The result is plain JSON, cached in the project store as an
 * 'evaluation' artifact keyed by combineHashes(latest build's equations key, its evaluation key,
 * settings): a second request with the same build and settings is answered from the store.
 */
import { evaluateBuild, type EvaluationHooks } from '../evaluation/evaluate-project.js';
import type { EvaluationReport } from '../evaluation/evaluation-report.js';
import { type EvaluationSettingsInput, resolveEvaluationSettings } from '../evaluation/evaluation-settings.js';
import { throwIfCancelled } from '../jobs/progress.js';
import { latestBuild } from '../scm/latest-build.js';
import { type LayerRanking, rankFilters } from '../scm/rankings.js';
import { combineHashes, hashJson } from '../store/hashing.js';
import { ProjectSession } from './project-session.js';

export interface EvaluateRequest {
  project: string;
  settings?: EvaluationSettingsInput;
}

export interface EvaluationOutcome {
  report: EvaluationReport;
  /** True when the report came from the project store. */
  cached: boolean;
  key: string;
  /** Wall time of this call. */
  seconds: number;
}

interface LatestBuildRecord {
  equationsKey: string;
  keys: { evaluation: string };
}

/** The same ranking artifact `causeway rank` stores (shared cache). */
export function scmRankingKey(equationsKey: string, evaluationKey: string): string {
  return combineHashes(equationsKey, evaluationKey, 'scm-ranking');
}

export async function evaluateSession(session: ProjectSession, input: EvaluationSettingsInput = {}, hooks: EvaluationHooks = {}): Promise<EvaluationOutcome> {
  const started = performance.now();
  const settings = resolveEvaluationSettings(input);
  const latest = session.store.getArtifact<LatestBuildRecord>('latest-build', 'latest')?.value;
  if (!latest) throw new Error(`${session.dir}: no SCM built yet; run: npm run causeway -- build --project ${session.dir}`);
  // Masks per pass change the speed, not the results: hashed as the old default (1) when the
  // engine picks, so evaluations stored before engines chose it stay valid.
  const key = combineHashes(latest.equationsKey, latest.keys.evaluation, hashJson({ ...settings, masksPerPass: settings.masksPerPass ?? 1 }));
  const hit = session.store.getArtifact<EvaluationReport>('evaluation', key)?.value;
  if (hit) return { report: hit, cached: true, key, seconds: (performance.now() - started) / 1000 };

  const built = await latestBuild(session, hooks);
  const rankingKey = scmRankingKey(built.keys.equations, built.keys.evaluation);
  let ranking = session.store.getArtifact<LayerRanking[]>('ranking', rankingKey)?.value;
  if (!ranking) {
    throwIfCancelled(hooks.signal, 'the evaluation');
    ranking = rankFilters(built.scm, built.evaluation.layers, built.evaluation.labels);
    session.store.putArtifact('ranking', rankingKey, ranking);
  }
  const report = await evaluateBuild(
    { model: session.model, dataset: session.dataset, preprocessing: session.settings.preprocessing, built, ranking },
    settings,
    hooks,
  );
  session.store.putArtifact('evaluation', key, report);
  return { report, cached: false, key, seconds: (performance.now() - started) / 1000 };
}

export async function evaluateProject(request: EvaluateRequest, hooks: EvaluationHooks = {}): Promise<EvaluationOutcome> {
  const session = await ProjectSession.open(request.project);
  try {
    return await evaluateSession(session, request.settings, hooks);
  } finally {
    session.close();
  }
}

/** The JSON `causeway evaluate --json` prints: the headline numbers first, per-layer details after. */
export function evaluationJson(outcome: EvaluationOutcome) {
  const { report } = outcome;
  return {
    criteria: report.criteria,
    surrogate: { spearman: report.surrogate.spearman, pearson: report.surrogate.pearson, filters: report.surrogate.filters, multiFilter: report.surrogate.multiFilter },
    seconds: outcome.seconds,
    cached: outcome.cached,
    computeSeconds: report.computeSeconds,
    images: report.images,
    curveImages: report.curveImages,
    modelAccuracy: report.modelAccuracy,
    scmAccuracy: report.scmAccuracy,
    groundTruth: report.groundTruth,
    reference: report.reference,
    notes: report.notes,
    layers: report.layers,
    global: report.global,
    multiFilterDraws: report.surrogate.draws,
  };
}
