/**
 * Plots: the per-layer fit of the structural equations (always), and from a stored evaluation the
 * cumulative ablation curves (paper Figures 2–4), the SCM's predicted vs the true single-filter drops,
 * and SCM vs real accuracy of the random multi-filter interventions.
 */
import { barChart, legendHtml, lineChart, palette, scatterChart } from '../charts.js';
import { figure, note } from '../html.js';
import type { StoredResults } from '../stored-results.js';
import { evaluateCommandFor } from './rankings.js';
import type { EvaluationReport } from '../../evaluation/evaluation-report.js';

export interface CurveSet {
  fractionRemoved: number[];
  curves: { name: string; label: string; values: number[] }[];
  random: { mean: number[]; sd: number[] };
}

export interface PlotsData {
  fit: { layers: string[]; avgR2: number[]; minR2: number[] };
  /** Set when the project has no evaluation: the command that makes one. */
  evaluateCommand: string | null;
  global?: { pool: string; leastFirst: CurveSet; mostFirst: CurveSet };
  /** Per layer, most important filters removed first. */
  layers?: ({ name: string } & CurveSet)[];
  /** Per filter, the SCM's predicted drop against the true one, in the key the surrogate line beside it compares. */
  drops?: { key: 'margin drop' | 'accuracy drop'; layers: { layer: string; trueDrop: number[]; scmDrop: number[] }[] };
  multiFilter?: { k: number; layer: string; channels: number[]; scmAccuracy: number; realAccuracy: number }[];
}

const referenceLabel = 'true ablation order';

/**
 * Margin drops (the ranking key) where the evaluation compared them; evaluations stored before issue
 * 12 compared accuracy drops and may hold no margins, so they keep the accuracy plot.
 */
function dropsOf(e: EvaluationReport): NonNullable<PlotsData['drops']> {
  const margins = e.surrogate.key === 'margin drop' && e.layers.every((l) => Array.isArray(l.truth.marginDrop) && Array.isArray(l.scm.marginDrop));
  return margins
    ? { key: 'margin drop', layers: e.layers.map((l) => ({ layer: l.name, trueDrop: l.truth.marginDrop, scmDrop: l.scm.marginDrop })) }
    : { key: 'accuracy drop', layers: e.layers.map((l) => ({ layer: l.name, trueDrop: l.truth.accuracyDrop, scmDrop: l.scm.accuracyDrop })) };
}

export function plotsData(r: StoredResults): PlotsData {
  const fit = { layers: r.fit.map((f) => f.name), avgR2: r.fit.map((f) => f.avgR2), minR2: r.fit.map((f) => f.minR2) };
  const e = r.evaluation?.report;
  if (!e) return { fit, evaluateCommand: evaluateCommandFor(r.dir) };
  const label = (name: string) => (name === 'true-ablation' ? referenceLabel : (e.criteria.find((c) => c.name === name)?.label ?? name));
  const data: PlotsData = {
    fit,
    evaluateCommand: null,
    layers: e.layers.map((l) => ({
      name: l.name,
      fractionRemoved: l.fractionRemoved,
      curves: [...l.criteria.map((c) => ({ name: c.name, label: label(c.name), values: c.mostFirst })), { name: 'true-ablation', label: referenceLabel, values: l.reference.mostFirst }],
      random: { mean: l.random.curveMean, sd: l.random.curveSd },
    })),
    drops: dropsOf(e),
    multiFilter: e.surrogate.draws.map((d) => ({ k: d.k, layer: d.layer, channels: d.channels, scmAccuracy: d.scmAccuracy, realAccuracy: d.realAccuracy })),
  };
  if (e.global) {
    const g = e.global;
    const set = (direction: 'leastFirst' | 'mostFirst'): CurveSet => ({
      fractionRemoved: g.fractionRemoved,
      curves: g.curves.map((c) => ({ name: c.name, label: label(c.name), values: c[direction] })),
      random: { mean: g.random.curveMean, sd: g.random.curveSd },
    });
    data.global = { pool: g.pool, leastFirst: set('leastFirst'), mostFirst: set('mostFirst') };
  }
  return data;
}

const criterionOrder = ['scm', 'l1-norm', 'l2-norm', 'activation-mean', 'activation-variance', 'taylor', 'bn-gamma'];
const randomGrey = '#9a9a9a';

/** A criterion keeps its colour in every plot; the reference is black and dashed; the SCM is drawn thicker. */
function colorOf(name: string): string {
  if (name === 'true-ablation') return '#000000';
  const i = criterionOrder.indexOf(name);
  return palette[i >= 0 ? i : palette.length - 1];
}

function curveChart(set: CurveSet, title: string, width: number, height: number): string {
  return lineChart({
    x: set.fractionRemoved,
    series: set.curves.map((c) => ({ name: c.label, values: c.values, color: colorOf(c.name), dashed: c.name === 'true-ablation', emphasis: c.name === 'scm' })),
    band: { mean: set.random.mean, sd: set.random.sd, color: randomGrey },
    xName: 'filters removed',
    yName: 'accuracy',
    title,
    width,
    height,
  });
}

function curveLegend(sets: CurveSet[]): string {
  const seen = new Map<string, string>();
  for (const set of sets) for (const c of set.curves) seen.set(c.name, c.label);
  const items = [...seen].map(([name, label]) => ({ label, color: colorOf(name), dashed: name === 'true-ablation' }));
  return legendHtml([...items, { label: 'random: mean (solid) ± sd (dotted)', color: randomGrey }]);
}

export function plotsHtml(d: PlotsData): string {
  const parts = [
    '<h3>Fit of the structural equations</h3>',
    figure(
      barChart({
        categories: d.fit.layers,
        series: [
          { name: 'average R²', values: d.fit.avgR2 },
          { name: 'worst channel R²', values: d.fit.minR2 },
        ],
        yName: 'R² (held-out rows)',
        width: 680,
        height: 240,
      }),
      'Fit of the structural equations per layer: average and worst channel R² on held-out rows (same numbers as the validation table).',
    ),
  ];
  if (d.evaluateCommand) {
    parts.push(note(`Ablation curves and predicted vs true drops appear once the project is evaluated: ${d.evaluateCommand}`, 'missing'));
    return parts.join('');
  }
  parts.push('<h3>Cumulative ablation curves</h3>', curveLegend([...(d.global ? [d.global.leastFirst, d.global.mostFirst] : []), ...d.layers!]));
  if (d.global) {
    parts.push(
      `<div class="grid2">${figure(curveChart(d.global.leastFirst, 'all layers: least important first (higher is better)', 335, 250), '')}${figure(
        curveChart(d.global.mostFirst, 'all layers: most important first (lower is better)', 335, 250),
        '',
      )}</div>`,
      `<p class="caption">Global cumulative ablation: ${d.global.pool}, removed in each criterion's order; accuracy of the real network on the curve images.</p>`,
    );
  }
  parts.push(
    `<div class="grid2">${d.layers!.map((l) => figure(curveChart(l, `${l.name}: most important first`, 335, 250), '')).join('')}</div>`,
    '<p class="caption">Per-layer cumulative ablation, most important filters first: a steeper fall means a better ranking.</p>',
  );
  parts.push(
    '<h3>The SCM against the real network</h3>',
    `<div class="grid2">${figure(
      scatterChart({
        series: d.drops!.layers.map((l) => ({ name: l.layer, points: l.trueDrop.map((t, k) => [t, l.scmDrop[k]] as [number, number]) })),
        xName: `true ${d.drops!.key} (real network)`,
        yName: `SCM-predicted ${d.drops!.key}`,
        percentAxes: d.drops!.key === 'accuracy drop',
        width: 335,
        height: 300,
      }),
      `Predicted vs true single-filter ${d.drops!.key}s, one point per filter${d.drops!.key === 'margin drop' ? ' (drop in mean true-class margin when the filter is zeroed: the ranking key)' : ' (an evaluation stored before margins were compared; evaluate again for margin drops)'}.`,
    )}${figure(
      scatterChart({
        series: [...new Set(d.multiFilter!.map((m) => m.k))].map((k) => ({
          name: `k = ${k}`,
          points: d.multiFilter!.filter((m) => m.k === k).map((m) => [m.realAccuracy, m.scmAccuracy] as [number, number]),
        })),
        xName: 'real accuracy',
        yName: 'SCM accuracy',
        percentAxes: true,
        width: 335,
        height: 300,
      }),
      'Random multi-filter zero interventions: SCM vs real accuracy.',
    )}</div>`,
  );
  return parts.join('');
}
