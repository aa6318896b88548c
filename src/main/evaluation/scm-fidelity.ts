/**
 * The SCM's measured fidelity to the network, in the lines every view and the report put beside an
 * SCM number (issue 15, item 6): the build's chained accuracy against the network's, and — once the
 * build is evaluated — the do-query error on random k-filter zeroings, the ranking's Spearman ρ with
 * the true margin drop (its interval and the truth's noise ceiling beside it) and the per-filter drop
 * agreement. "Poor" is `fidelityThresholds` (src/shared/fidelity.ts); a poor line carries a warning
 * with a concrete suggestion. Reads stored numbers only.
 */
import { type FidelityLine, type ScmFidelityDto, fidelityThresholds as limits } from '../../shared/fidelity.js';
import type { EvaluationReport } from './evaluation-report.js';

export interface FidelityInput {
  /** The build's validation on its held-out images. */
  validation: { modelAccuracy: number; scmAccuracy: number; evaluationImages: number };
  /** The build's equations and image limit (what the suggestions change). */
  build: { regressor?: string; limit?: number };
  /** The project's node-layer families (default conv). */
  nodeLayers?: readonly string[];
  evaluation?: EvaluationReport;
  /** How to evaluate this project (the app's button and the CLI command), said when it is not evaluated. */
  evaluateHow: string;
}

const points = (x: number) => `${x.toFixed(1)} pp`;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const rho = (x: number) => x.toFixed(2);

/** What to try when the SCM's equations miss the network: the options this build does not use yet. */
export function improvements(build: FidelityInput['build'], nodeLayers: readonly string[] | undefined): string {
  const tries = [
    ...(build.regressor === 'mlp' ? [] : ['the mlp equations (Pipeline → equations; --regressor mlp)']),
    ...(nodeLayers?.includes('dense') ? [] : ['dense node layers where the network has hidden dense layers (a new project with node layers conv + dense; --node-layers conv,dense)']),
    `more images (images to use; --limit${build.limit ? `, now ${build.limit}` : ''})`,
  ];
  return `try ${tries.join(', or ')}`;
}

function line(text: string, warning: string | null): FidelityLine {
  return { text, poor: warning !== null, warning };
}

export function chainedFidelity(input: FidelityInput): ScmFidelityDto['chained'] {
  const { modelAccuracy, scmAccuracy, evaluationImages } = input.validation;
  const gapPoints = 100 * Math.abs(scmAccuracy - modelAccuracy);
  const text = `Chained SCM ${pct(scmAccuracy)} vs network ${pct(modelAccuracy)} on ${evaluationImages} held-out images: ${points(gapPoints)} off`;
  const warning =
    gapPoints > limits.chainedGapPoints
      ? `The chained SCM is ${points(gapPoints)} off the network (more than ${limits.chainedGapPoints} pp): its population (interventional) answers stray from the network; ${improvements(input.build, input.nodeLayers)}.`
      : null;
  return { ...line(text, warning), scmAccuracy, networkAccuracy: modelAccuracy, images: evaluationImages, gapPoints };
}

function queryFidelity(input: FidelityInput, report: EvaluationReport): ScmFidelityDto['queries'] {
  const rows = report.surrogate.multiFilter;
  const draws = rows.reduce((s, m) => s + m.draws, 0);
  if (draws === 0) return null;
  // Older reports hold only the counterfactual error, as a fraction.
  const pooled = (f: (m: (typeof rows)[number]) => number | undefined) => rows.reduce((s, m) => s + m.draws * (f(m) ?? Number.NaN), 0) / draws;
  const ks = rows.map((m) => m.k);
  const span = ks.length > 1 ? `${Math.min(...ks)}–${Math.max(...ks)}` : String(ks[0]);
  const of = (mode: 'counterfactual' | 'interventional', maePoints: number) => {
    const measured = Number.isFinite(maePoints);
    const text = measured
      ? `Random zeroings of ${span} filters of one layer (${draws} draws): the SCM's ${mode} accuracy is ${points(maePoints)} off the network's on average`
      : `The SCM's ${mode} accuracy under random zeroings was not measured by this evaluation (stored by an older version): evaluate again`;
    const warning =
      maePoints > limits.queryErrorPoints
        ? `The SCM's ${mode} answers are ${points(maePoints)} off the network on average (more than ${limits.queryErrorPoints} pp): verify each intervention on the network; ${improvements(input.build, input.nodeLayers)}.`
        : null;
    return { ...line(text, warning), maePoints };
  };
  return {
    counterfactual: of('counterfactual', pooled((m) => m.maePoints ?? 100 * m.meanAbsoluteError)),
    interventional: of('interventional', pooled((m) => m.maePointsInterventional)),
    draws,
    ks,
  };
}

function rankingFidelity(input: FidelityInput, report: EvaluationReport): ScmFidelityDto['ranking'] {
  const scm = report.criteria.find((c) => c.name === 'scm');
  if (!scm) return null;
  const others = report.criteria.filter((c) => c.name !== 'scm' && c.name !== 'random' && Number.isFinite(c.spearman));
  const best = others.reduce<(typeof others)[number] | undefined>((b, c) => (!b || c.spearman > b.spearman ? c : b), undefined);
  const ceiling = scm.truthReliability ?? Number.NaN;
  const ci = scm.spearmanInterval;
  const text =
    `SCM ranking vs true margin drop: Spearman ρ ${rho(scm.spearman)}${ci ? ` [${rho(ci[0])}, ${rho(ci[1])}]` : ''} (mean over ${scm.layers} layers); ` +
    `the truth's noise ceiling ${Number.isFinite(ceiling) ? rho(ceiling) : 'not measured'}` +
    (best ? `; best other criterion ${best.label} ${rho(best.spearman)}` : '');
  const warnings: string[] = [];
  if (best && scm.spearman < best.spearman) warnings.push(`Ranking ρ ${rho(scm.spearman)} is below the ${best.label} baseline ${rho(best.spearman)}: prefer the baseline here.`);
  else if (Number.isFinite(ceiling) && scm.spearman < limits.rankingShareOfCeiling * ceiling) {
    warnings.push(`Ranking ρ ${rho(scm.spearman)} is under ${limits.rankingShareOfCeiling} of its ceiling ${rho(ceiling)}: the SCM ranks these filters poorly; ${improvements(input.build, input.nodeLayers)}.`);
  }
  if (!(ceiling >= limits.truthReliability)) {
    warnings.push(`The truth's reliability ${Number.isFinite(ceiling) ? rho(ceiling) : '(not measured)'} is below ${limits.truthReliability}: ρ is measured against a noisy truth; evaluate on more held-out images (images to use; --limit).`);
  }
  return {
    ...line(text, warnings.length ? warnings.join(' ') : null),
    spearman: scm.spearman,
    interval: ci,
    truthReliability: ceiling,
    layers: scm.layers,
    baseline: best ? { name: best.name, label: best.label, spearman: best.spearman } : null,
  };
}

function surrogateFidelity(report: EvaluationReport): ScmFidelityDto['surrogate'] {
  const s = report.surrogate;
  // Reports stored before issue 12 compared accuracy drops; later ones margins.
  const key = s.key ?? 'accuracy drop';
  const text = `SCM-predicted vs true ${key} per filter over ${s.filters} filters: Pearson r ${rho(s.pearson)}, Spearman ρ ${rho(s.spearman)}`;
  return { ...line(text, null), key, spearman: s.spearman, pearson: s.pearson, filters: s.filters };
}

export function scmFidelity(input: FidelityInput): ScmFidelityDto {
  const report = input.evaluation;
  return {
    chained: chainedFidelity(input),
    evaluated: report !== undefined,
    notEvaluated: report ? null : `Not evaluated yet: the ranking's and the do-queries' fidelity to the network are unknown. ${input.evaluateHow}`,
    queries: report ? queryFidelity(input, report) : null,
    ranking: report ? rankingFidelity(input, report) : null,
    surrogate: report ? surrogateFidelity(report) : null,
  };
}
