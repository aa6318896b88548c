/**
 * Ranking fidelity (METHODS §2), from the stored evaluation: each criterion against true
 * single-filter ablation (Spearman, Kendall with bootstrap intervals, precision@10%, areas under the
 * ablation curves), and the SCM as a surrogate of the real network. Every ρ stands beside the truth's
 * split-half reliability (its noise ceiling), per criterion and per layer; layers below 0.8 are warned of.
 */
import type { CriterionSummary } from '../../evaluation/evaluation-report.js';
import { reliabilityThreshold } from '../../evaluation/truth-reliability.js';
import type { MultiFilterSummary } from '../../evaluation/surrogate-fidelity.js';
import { count, fixed, interval, pct, utc } from '../format.js';
import { type Cell, esc, facts, note, table } from '../html.js';
import type { StoredResults } from '../stored-results.js';
import { evaluateCommandFor } from './rankings.js';

export interface FidelityData {
  /** Set when the project has no evaluation: the command that makes one. */
  missing: string | null;
  evaluatedAt?: string;
  images?: number;
  curveImages?: number;
  groundTruth?: string;
  modelAccuracy?: number;
  scmAccuracy?: number;
  criteria?: CriterionSummary[];
  reference?: { aucLeastFirst: number; aucMostFirst: number; globalAucLeastFirst?: number; globalAucMostFirst?: number };
  /** `key`: what the per-filter drops compare (margins; accuracies in evaluations stored before issue 12). */
  surrogate?: { pearson: number; spearman: number; filters: number; key: 'margin drop' | 'accuracy drop' };
  multiFilter?: MultiFilterSummary[];
  /** Per layer: the truth's reliability and each criterion's ρ there. */
  layers?: { name: string; channels: number; reliability: number; accuracyKeyReliability: number; spearman: Record<string, number> }[];
  warnings?: string[];
  notes?: string[];
}

export function fidelityData(r: StoredResults): FidelityData {
  if (!r.evaluation) return { missing: evaluateCommandFor(r.dir) };
  const e = r.evaluation.report;
  return {
    missing: null,
    evaluatedAt: r.evaluation.createdAt,
    images: e.images,
    curveImages: e.curveImages,
    groundTruth: e.groundTruth,
    modelAccuracy: e.modelAccuracy,
    scmAccuracy: e.scmAccuracy,
    criteria: e.criteria,
    reference: {
      aucLeastFirst: e.reference.aucLeastFirst,
      aucMostFirst: e.reference.aucMostFirst,
      globalAucLeastFirst: e.reference.globalAucLeastFirst,
      globalAucMostFirst: e.reference.globalAucMostFirst,
    },
    surrogate: { pearson: e.surrogate.pearson, spearman: e.surrogate.spearman, filters: e.surrogate.filters, key: e.surrogate.key ?? 'accuracy drop' },
    multiFilter: e.surrogate.multiFilter,
    // Evaluations stored before issue 12 have no reliability: shown as '—' and warned of.
    layers: e.layers.map((l) => ({
      name: l.name,
      channels: l.channels,
      reliability: l.truth.reliability?.reliability ?? Number.NaN,
      accuracyKeyReliability: l.truth.accuracyKeyReliability?.reliability ?? Number.NaN,
      spearman: Object.fromEntries(l.criteria.map((c) => [c.name, c.spearman])),
    })),
    warnings: e.warnings ?? ['this evaluation was stored before the truth\'s reliability was measured: evaluate again to see its noise ceiling'],
    notes: e.notes,
  };
}

/** "0.123 [0.050, 0.200]" with an interval, "0.123 ± 0.045" for random (sd over seeds). */
function withSpread(x: number, ci: [number, number] | null, sd: number | undefined): Cell {
  if (ci) return { html: `${esc(fixed(x))} <small>${esc(interval(ci))}</small>` };
  return sd !== undefined ? { html: `${esc(fixed(x))} <small>± ${esc(fixed(sd))}</small>` } : fixed(x);
}

export function fidelityHtml(d: FidelityData): string {
  if (d.missing) {
    return note(`Optional section: no evaluation of this build is stored. It appears once the project is evaluated: ${d.missing}`, 'missing');
  }
  const criteria = table(
    ['criterion', 'layers', 'Spearman ρ [95% CI]', 'truth reliability (ceiling)', 'Kendall τ-b [95% CI]', 'P@10%', 'AUC least-first ↑', 'AUC most-first ↓', 'global AUC ↑ / ↓'],
    [
      ...d.criteria!.map((c): Cell[] => [
        c.label,
        c.layers,
        withSpread(c.spearman, c.spearmanInterval, c.sd?.spearman),
        fixed(c.truthReliability ?? Number.NaN, 2),
        withSpread(c.kendall, c.kendallInterval, c.sd?.kendall),
        c.sd ? { html: `${esc(fixed(c.precisionAt10, 2))} <small>± ${esc(fixed(c.sd.precisionAt10, 2))}</small>` } : fixed(c.precisionAt10, 2),
        c.sd ? { html: `${esc(fixed(c.aucLeastFirst))} <small>± ${esc(fixed(c.sd.aucLeastFirst))}</small>` } : fixed(c.aucLeastFirst),
        c.name === 'random' ? '(same)' : fixed(c.aucMostFirst),
        c.globalAucLeastFirst === undefined ? '—' : `${fixed(c.globalAucLeastFirst)} / ${c.name === 'random' ? '—' : fixed(c.globalAucMostFirst)}`,
      ]),
      [
        { html: '<i>true ablation order (reference)</i>' },
        '',
        '',
        '',
        '',
        '',
        fixed(d.reference!.aucLeastFirst),
        fixed(d.reference!.aucMostFirst),
        d.reference!.globalAucLeastFirst === undefined ? '—' : `${fixed(d.reference!.globalAucLeastFirst)} / ${fixed(d.reference!.globalAucMostFirst)}`,
      ],
    ],
    {
      numeric: [1, 2, 3, 4, 5, 6, 7, 8],
      caption: `Each criterion against true single-filter ablation on ${count(d.images!)} held-out images (curves on ${count(d.curveImages!)}); ρ, τ, P@10% and AUC are means over layers; the truth's reliability over the same layers is the highest ρ a criterion can reach`,
      className: 'fidelity',
    },
  );
  const names = d.criteria!.filter((c) => c.name !== 'random').map((c) => c.name);
  const perLayer = table(
    ['layer', 'filters', 'truth reliability', '(accuracy key)', ...d.criteria!.filter((c) => c.name !== 'random').map((c) => `ρ ${c.label}`)],
    d.layers!.map((l): Cell[] => [
      l.name,
      l.channels,
      l.reliability >= reliabilityThreshold ? fixed(l.reliability, 2) : { html: `<b class="warn">${esc(fixed(l.reliability, 2))}</b>` },
      fixed(l.accuracyKeyReliability, 2),
      ...names.map((n) => (l.spearman[n] === undefined ? '—' : fixed(l.spearman[n], 2))),
    ]),
    {
      numeric: [1, 2, 3, ...names.map((_, i) => 4 + i)],
      caption: `Per layer: the truth's split-half reliability (Spearman–Brown; below ${reliabilityThreshold} in bold: the truth there is too noisy to rank criteria by) and each criterion's Spearman ρ`,
      className: 'fidelity-layers',
    },
  );
  const multi = table(
    ['filters zeroed (k)', 'draws', 'SCM accuracy', 'real accuracy', 'mean |SCM - real|'],
    d.multiFilter!.map((m) => [m.k, m.draws, pct(m.scmAccuracy), pct(m.realAccuracy), pct(m.meanAbsoluteError)]),
    { numeric: [0, 1, 2, 3, 4], caption: 'Random zero interventions on k filters of one layer: SCM vs real network (means over draws)' },
  );
  const s = d.surrogate!;
  return [
    facts([
      ['Evaluated', utc(d.evaluatedAt!)],
      ['Ground truth', d.groundTruth!],
      ['Accuracy on these images', `model ${pct(d.modelAccuracy)}, SCM ${pct(d.scmAccuracy)}`],
      ['SCM as a surrogate', `predicted vs true ${s.key} over ${count(s.filters)} filters: Pearson ${fixed(s.pearson)}, Spearman ${fixed(s.spearman)}`],
    ]),
    ...(d.warnings ?? []).map((w) => note(`Warning: ${w}`, 'warning')),
    criteria,
    perLayer,
    multi,
    `<ul class="notes">${d.notes!.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`,
  ].join('');
}
