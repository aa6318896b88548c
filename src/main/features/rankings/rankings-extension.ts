/**
 * The evaluation service in the rankings view: its report for the open project's build (criteria
 * beyond SCM importance, their fidelity to true single-filter ablation, ablation curves, the SCM as
 * a surrogate), read from the project store where `causeway evaluate` or the app's evaluation job
 * left it, and reshaped for the renderer.
 */
import type { EvaluationDto } from '../../../shared/dto.js';
import type { EvaluationReport } from '../../evaluation/evaluation-report.js';
import { resolveEvaluationSettings } from '../../evaluation/evaluation-settings.js';
import type { BuiltScm } from '../../scm/build-scm.js';
import { appEvaluationArtifact, evaluationArtifact } from '../../evaluation/artifacts.js';
import { readArtifact, writeArtifact } from '../../store/artifact-kind.js';
import type { ProjectStore } from '../../store/project-store.js';
import { findEvaluation } from '../../evaluation/evaluation-lookup.js';
import { readRanking } from './ranking-job.js';

export const evaluationNote =
  'Ranked by SCM importance: the drop in mean true-class margin when the filter is zeroed in the SCM, answered counterfactually (each held-out image keeps its own noise); the accuracy drop is beside it. Evaluate to compare every criterion with true ablation in the network (fidelity, ablation curves).';

/** The app remembers which evaluation it ran for a build (settings may differ from the defaults). */
export function rememberEvaluation(store: ProjectStore, built: BuiltScm, key: string): void {
  writeArtifact(store, appEvaluationArtifact, { key }, built.keys.equations);
}

/**
 * The report for this build: the app's last evaluation, else one with default settings (the CLI's),
 * else the newest of any settings (a CLI run with its own flags), recognised as the report does.
 */
export function cachedEvaluation(store: ProjectStore, built: Pick<BuiltScm, 'keys' | 'validation'>): EvaluationReport | undefined {
  const pointer = readArtifact(store, appEvaluationArtifact, built.keys.equations)?.key;
  // The same key the evaluation stores under (before, this one hashed the defaults without the
  // masks-per-pass default and never found the CLI's evaluation).
  const byDefault = evaluationArtifact.key(built.keys.equations, built.keys.evaluation, resolveEvaluationSettings({}));
  for (const key of [pointer, byDefault]) {
    const report = key ? store.getArtifact<EvaluationReport>(evaluationArtifact.name, key)?.value : undefined;
    if (report) return report;
  }
  return findEvaluation(store, built.validation, readRanking(store, built))?.report;
}

export function evaluationDto(report: EvaluationReport): EvaluationDto {
  return {
    images: report.images,
    curveImages: report.curveImages,
    groundTruth: report.groundTruth,
    modelAccuracy: report.modelAccuracy,
    scmAccuracy: report.scmAccuracy,
    criteria: report.criteria.map((c) => ({
      name: c.name,
      label: c.label,
      layers: c.layers,
      spearman: c.spearman,
      kendall: c.kendall,
      precisionAt10: c.precisionAt10,
      spearmanInterval: c.spearmanInterval,
      aucLeastFirst: c.aucLeastFirst,
      aucMostFirst: c.aucMostFirst,
      ...(c.sd ? { spearmanSd: c.sd.spearman } : {}),
      truthReliability: c.truthReliability,
    })),
    surrogate: {
      spearman: report.surrogate.spearman,
      pearson: report.surrogate.pearson,
      filters: report.surrogate.filters,
      multiFilter: report.surrogate.multiFilter.map(({ k, scmAccuracy, realAccuracy, meanAbsoluteError }) => ({ k, scmAccuracy, realAccuracy, meanAbsoluteError })),
    },
    layers: report.layers.map((l) => ({
      name: l.name,
      fractionRemoved: l.fractionRemoved,
      curves: l.criteria.map((c) => ({ name: c.name, leastFirst: c.leastFirst, mostFirst: c.mostFirst })),
      reference: l.reference.leastFirst,
      random: l.random.curveMean,
      spearman: l.criteria.map((c) => ({ name: c.name, value: c.spearman })),
      truthReliability: l.truth.reliability?.reliability ?? Number.NaN,
    })),
    warnings: report.warnings ?? [],
    notes: report.notes,
    computeSeconds: report.computeSeconds,
  };
}
