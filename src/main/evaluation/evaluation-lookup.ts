/**
 * The stored evaluation (src/main/features/rankings/evaluation-service.ts, `causeway evaluate`) that belongs
 * to a project's latest build. Its cache key hashes the evaluation settings, which the report does not
 * know, so the report recognises its own build's evaluation by content: every evaluation copies the
 * build's SCM accuracy, its held-out image count and, per filter, the SCM's predicted drops from the
 * build's stored ranking — all equal, bit for bit, only for an evaluation of this build. The newest wins.
 */
import type { EvaluationReport } from './evaluation-report.js';
import type { Validation } from '../scm/build-scm.js';
import type { LayerRanking } from '../scm/rankings.js';
import { readAllArtifacts } from '../store/artifact-kind.js';
import type { ProjectStore } from '../store/project-store.js';
import { evaluationArtifact } from './artifacts.js';

export interface StoredEvaluation {
  report: EvaluationReport;
  createdAt: string;
}

export function findEvaluation(store: ProjectStore, validation: Validation, ranking: LayerRanking[] | undefined): StoredEvaluation | undefined {
  if (!ranking) return undefined; // the evaluation service stores the ranking before it evaluates
  const matches = readAllArtifacts(store, evaluationArtifact).filter((a) => belongsToBuild(a.value, validation, ranking));
  const newest = matches.at(-1);
  return newest ? { report: newest.value, createdAt: newest.createdAt } : undefined;
}

function belongsToBuild(report: EvaluationReport, validation: Validation, ranking: LayerRanking[]): boolean {
  if (!Array.isArray(report.layers) || report.scmAccuracy !== validation.scmAccuracy || report.images !== validation.evaluationImages) return false;
  if (report.layers.length !== ranking.length) return false;
  return report.layers.every((layer) => {
    const rank = ranking.find((r) => r.name === layer.name);
    if (!rank || rank.ranking.length !== layer.channels) return false;
    return rank.ranking.every((r) => layer.scm.accuracyDrop[r.channel] === r.accuracyDrop && layer.scm.marginDrop[r.channel] === r.marginDrop);
  });
}
