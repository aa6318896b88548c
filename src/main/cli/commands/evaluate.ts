/**
 * `causeway evaluate --project DIR [--seeds 5] [--curve-images 128] [--resamples 1000] [--json]`:
 * checks every filter-ranking criterion (the SCM's included) against true single-filter ablation in
 * the real network, with ablation curves and the SCM's surrogate fidelity. Cached in the project.
 */
import type { ProgressListener } from '../../util/progress.js';
import { evaluateSession, evaluationJson } from '../../features/rankings/evaluation-service.js';
import { percent, seconds, table } from '../format.js';
import type { Flags } from '../options.js';
import { openProjectFromFlags } from '../project-options.js';
import { type EvaluationSettingsInput, evaluationSettingsSchema } from '../../evaluation/evaluation-settings.js';
import { flagsOf, parseFlags } from '../schema-flags.js';

export const evaluateUsage = 'evaluate --project DIR [--seeds 5] [--curve-images 128] [--resamples 1000] [--batch-size 64] [--taylor per-image|pooled] [--json]';

/** The CLI's evaluation settings: flags derived from the shared schema (its defaults and limits). */
const cliEvaluationSettings = evaluationSettingsSchema.pick({ seeds: true, curveImages: true, resamples: true, batchSize: true, taylor: true });
export const evaluateFlags = flagsOf(cliEvaluationSettings);

export function evaluationSettingsFrom(flags: Flags): EvaluationSettingsInput {
  return parseFlags(cliEvaluationSettings, flags);
}

export async function evaluateCommand(flags: Flags, _onText?: (text: string) => void, onProgress?: ProgressListener, signal?: AbortSignal) {
  const settings = evaluationSettingsFrom(flags);
  const session = await openProjectFromFlags(flags);
  try {
    const outcome = await evaluateSession(session, settings, { onProgress, signal });
    const json = evaluationJson(outcome);
    const { report } = outcome;
    // With --json the warnings are in the JSON too; stderr keeps them in front of a person reading a pipeline's log.
    if (flags.json) for (const w of report.warnings) process.stderr.write(`causeway evaluate: warning: ${w}\n`);
    const num = (x: number | undefined, digits = 3) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
    const withCi = (x: number, ci: [number, number] | null, sd?: number) =>
      ci ? `${num(x)} [${num(ci[0])}, ${num(ci[1])}]` : sd !== undefined ? `${num(x)} ± ${num(sd)}` : num(x);
    const criteria = table(
      report.criteria.map((c) => [
        c.label,
        c.layers,
        withCi(c.spearman, c.spearmanInterval, c.sd?.spearman),
        withCi(c.kendall, c.kendallInterval, c.sd?.kendall),
        num(c.precisionAt10, 2),
        num(c.truthReliability, 2),
        num(c.aucLeastFirst),
        num(c.aucMostFirst),
      ]),
      ['criterion', 'layers', 'Spearman ρ [95% CI]', 'Kendall τ-b [95% CI]', 'P@10%', 'truth reliability', 'AUC least-first ↑', 'AUC most-first ↓'],
    );
    const reliability = table(
      report.layers.map((l) => [
        l.name,
        l.channels,
        num(l.truth.reliability.reliability, 2),
        num(l.truth.accuracyKeyReliability.reliability, 2),
        ...report.criteria.filter((c) => c.name !== 'random').map((c) => num(l.criteria.find((x) => x.name === c.name)?.spearman, 2)),
        `${num(l.random.spearman.mean, 2)} ± ${num(l.random.spearman.sd, 2)}`,
      ]),
      ['layer', 'filters', 'truth reliability', '(accuracy key)', ...report.criteria.filter((c) => c.name !== 'random').map((c) => `ρ ${c.label}`), 'ρ random'],
    );
    const byLayer = report.surrogate.multiFilterByLayer ?? report.surrogate.multiFilter;
    const multi = table(
      byLayer.map((m) => [
        m.layer ?? 'all',
        m.k,
        m.draws,
        percent(m.scmAccuracy),
        percent(m.realAccuracy),
        m.maePoints === undefined ? percent(m.meanAbsoluteError) : `${m.maePoints.toFixed(1)} pp`,
        m.maePointsInterventional === undefined ? '—' : `${m.maePointsInterventional.toFixed(1)} pp`,
        m.scmMargin === undefined ? '—' : `${num(m.scmMargin, 2)} / ${num(m.realMargin, 2)}`,
      ]),
      ['layer', 'k', 'draws', 'SCM accuracy', 'real accuracy', '|SCM − real|', '(interventional)', 'margin SCM / real'],
    );
    const perLayer = report.surrogate.perLayer;
    const reliabilityOf = (layer: string) => report.truthReliability?.[layer];
    const text = [
      `Filter rankings vs true single-filter ablation on ${report.images} held-out images (curves on ${report.curveImages}); ${outcome.cached ? 'from the project cache' : `computed in ${seconds(report.computeSeconds)}`}${outcome.resumedBatches ? ` (resumed: ${outcome.resumedBatches} batches from an interrupted run)` : ''}`,
      `model accuracy ${percent(report.modelAccuracy)}, SCM accuracy ${percent(report.scmAccuracy)}; ground truth: drop in mean true-class margin`,
      '',
      criteria,
      '',
      `per layer: the truth's split-half reliability (Spearman–Brown, ${report.reliabilityGroups} stratified groups; the ceiling of every ρ) and each criterion's Spearman ρ`,
      reliability,
      ...report.warnings.map((w) => `warning: ${w}`),
      `reference (true-ablation order): AUC least-first ${num(report.reference.aucLeastFirst)}, most-first ${num(report.reference.aucMostFirst)}`,
      '',
      perLayer
        ? `SCM as a surrogate (${report.surrogate.mode ?? 'interventional'}): predicted vs true margin drop per layer ${perLayer.layers.map((l) => `${l.layer} ρ ${num(l.spearman ?? NaN, 2)} (r ${num(l.pearson ?? NaN, 2)}; truth reliability ${num(reliabilityOf(l.layer) ?? NaN, 2)})`).join(', ')}; mean ρ ${num(perLayer.meanSpearman ?? NaN, 2)}, worst ${num(perLayer.minSpearman ?? NaN, 2)}; pooled over ${report.surrogate.filters} filters Pearson ${num(report.surrogate.pearson)}, Spearman ${num(report.surrogate.spearman)}`
        : `SCM as a surrogate over ${report.surrogate.filters} filters: predicted vs true accuracy drop Pearson ${num(report.surrogate.pearson)}, Spearman ${num(report.surrogate.spearman)}`,
      'random zero interventions on k channels of one layer (SCM counterfactual vs the network; interventional beside):',
      multi,
      '',
      ...report.notes.map((n) => `note: ${n}`),
    ].join('\n');
    return { json, text };
  } finally {
    session.close();
  }
}
