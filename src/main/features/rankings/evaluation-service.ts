/**
 * Evaluates a project's filter rankings against the real network (METHODS §2): the service behind
 * `causeway evaluate` and the app. The result is plain JSON, cached in the project store as an
 * 'evaluation' artifact keyed by combineHashes(latest build's equations key, its evaluation key,
 * settings): a second request with the same build and settings is answered from the store. While it
 * runs, every finished batch of its mask runs is committed under that key (stored-batches.ts), so a
 * killed evaluation resumes where it stopped; the batches are cleared once the report is stored.
 */
import { evaluateBuild, type EvaluationHooks } from '../../evaluation/evaluate-project.js';
import { evaluationSteps } from '../../evaluation/evaluation-steps.js';
import type { EvaluationReport } from '../../evaluation/evaluation-report.js';
import { type EvaluationSettingsInput, resolveEvaluationSettings } from '../../evaluation/evaluation-settings.js';
import { StoredBatches } from '../../evaluation/stored-batches.js';
import { throwIfCancelled } from '../../util/progress.js';
import { evaluationArtifact } from '../../evaluation/artifacts.js';
import { latestBuildArtifact, rankingArtifact } from '../../scm/artifacts.js';
import { readArtifact, writeArtifact } from '../../store/artifact-kind.js';
import { latestBuild } from '../../scm/latest-build.js';
import { rankFilters } from '../../scm/rankings.js';
import { defineJob } from '../../jobs/job-declaration.js';
import { type ProjectSession, withProjectSession } from '../../project/project-session.js';

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
  /** Batches an interrupted run of the same evaluation had committed and this one took over (0: a clean run). */
  resumedBatches: number;
}

export async function evaluateSession(session: ProjectSession, input: EvaluationSettingsInput = {}, hooks: EvaluationHooks = {}): Promise<EvaluationOutcome> {
  const started = performance.now();
  const settings = resolveEvaluationSettings(input);
  const latest = readArtifact(session.store, latestBuildArtifact);
  if (!latest) throw new Error(`${session.dir}: no SCM built yet; run: npm run causeway -- build --project ${session.dir}`);
  const key = evaluationArtifact.key(latest.equationsKey, latest.keys.evaluation, settings);
  const hit = readArtifact(session.store, evaluationArtifact, latest.equationsKey, latest.keys.evaluation, settings);
  if (hit) return { report: hit, cached: true, key, seconds: (performance.now() - started) / 1000, resumedBatches: 0 };

  const built = await latestBuild(session, hooks);
  let ranking = readArtifact(session.store, rankingArtifact, built.keys.equations, built.keys.evaluation);
  if (!ranking) {
    throwIfCancelled(hooks.signal, 'the evaluation');
    ranking = rankFilters(built.scm, built.evaluation.layers, built.evaluation.labels);
    writeArtifact(session.store, rankingArtifact, ranking, built.keys.equations, built.keys.evaluation);
  }
  const stored = new StoredBatches(session.store, key);
  const resumedBatches = stored.count();
  const report = await evaluateBuild(
    { model: session.model, dataset: session.dataset, preprocessing: session.settings.preprocessing, built, ranking, stored },
    settings,
    hooks,
  );
  writeArtifact(session.store, evaluationArtifact, report, latest.equationsKey, latest.keys.evaluation, settings);
  stored.clear();
  return { report, cached: false, key, seconds: (performance.now() - started) / 1000, resumedBatches };
}

export function evaluateProject(request: EvaluateRequest, hooks: EvaluationHooks = {}): Promise<EvaluationOutcome> {
  return withProjectSession(request.project, (session) => evaluateSession(session, request.settings, hooks));
}

/** The evaluation as a worker job (the app's "Evaluate"). */
/** Its steps: the build's rows read back (φ, augmentation), then the evaluation's own. */
export const evaluateJob = defineJob<EvaluateRequest, EvaluationOutcome>()('evaluate', ['phi', 'augmentation', ...evaluationSteps]);

/** The JSON `causeway evaluate --json` prints: the headline numbers first, per-layer details after. */
export function evaluationJson(outcome: EvaluationOutcome) {
  const { report } = outcome;
  return {
    criteria: report.criteria,
    surrogate: {
      spearman: report.surrogate.spearman,
      pearson: report.surrogate.pearson,
      filters: report.surrogate.filters,
      key: report.surrogate.key,
      mode: report.surrogate.mode,
      perLayer: report.surrogate.perLayer,
      multiFilter: report.surrogate.multiFilter,
      multiFilterByLayer: report.surrogate.multiFilterByLayer,
    },
    seconds: outcome.seconds,
    cached: outcome.cached,
    resumedBatches: outcome.resumedBatches,
    computeSeconds: report.computeSeconds,
    images: report.images,
    curveImages: report.curveImages,
    modelAccuracy: report.modelAccuracy,
    scmAccuracy: report.scmAccuracy,
    groundTruth: report.groundTruth,
    truthReliability: report.truthReliability,
    warnings: report.warnings,
    reference: report.reference,
    notes: report.notes,
    layers: report.layers,
    global: report.global,
    multiFilterDraws: report.surrogate.draws,
  };
}
