/**
 * Cross-architecture comparison: the chosen projects side by side — size, build settings, the
 * network's and the SCM's accuracy, the fit of every layer over relative depth, and the headline
 * fidelity numbers where a project is evaluated.
 */
import { barChart, scatterChart } from '../charts.js';
import { count, fixed, pct } from '../format.js';
import { type Cell, figure, mono, table } from '../html.js';
import type { StoredResults } from '../stored-results.js';

export interface ComparisonProject {
  name: string;
  dir: string;
  model: string;
  params: number;
  nodeLayers: number;
  filters: number;
  phi: string;
  regressor: string;
  evaluationImages: number;
  modelAccuracy: number;
  scmAccuracy: number;
  scmAccuracyTeacherForced: number;
  settingsHash: string;
  current: boolean;
  /** Fitted layers in network order with their average R² (the first node layer is observed, not fitted). */
  layers: { name: string; avgR2: number }[];
  /** From the stored evaluation, when there is one. */
  scmSpearman: number | null;
  /** Mean over the SCM criterion's layers of the truth's split-half reliability (the ceiling of scmSpearman). */
  truthReliability: number | null;
  surrogatePearson: number | null;
}

export interface ComparisonData {
  projects: ComparisonProject[];
}

export function comparisonData(results: StoredResults[]): ComparisonData {
  return {
    projects: results.map((r) => {
      const v = r.build.validation;
      const e = r.evaluation?.report;
      return {
        name: r.name,
        dir: r.dir,
        model: r.model.name,
        params: r.model.params,
        nodeLayers: r.layers.length,
        filters: r.layers.filter((l) => l.kind !== 'logits').reduce((s, l) => s + l.channels, 0),
        phi: r.build.settings.phi,
        regressor: r.build.settings.regressor,
        evaluationImages: v.evaluationImages,
        modelAccuracy: v.modelAccuracy,
        scmAccuracy: v.scmAccuracy,
        scmAccuracyTeacherForced: v.scmAccuracyTeacherForced,
        settingsHash: r.build.equationsKey,
        current: r.build.current,
        layers: r.fit.map((f) => ({ name: f.name, avgR2: f.avgR2 })),
        scmSpearman: e?.criteria.find((c) => c.name === 'scm')?.spearman ?? null,
        truthReliability: e?.criteria.find((c) => c.name === 'scm')?.truthReliability ?? null,
        surrogatePearson: e?.surrogate.pearson ?? null,
      };
    }),
  };
}

export function comparisonHtml(d: ComparisonData): string {
  const p = d.projects;
  const row = (label: string, value: (x: ComparisonProject) => Cell): Cell[] => [label, ...p.map(value)];
  const facts = table(
    ['', ...p.map((x) => x.name)],
    [
      row('model', (x) => x.model),
      row('parameters', (x) => count(x.params)),
      row('node layers / filters', (x) => `${x.nodeLayers} / ${count(x.filters)}`),
      row('φ / equations', (x) => `${x.phi} / ${x.regressor}`),
      row('held-out images', (x) => count(x.evaluationImages)),
      row('model accuracy', (x) => pct(x.modelAccuracy)),
      row('SCM accuracy (chained)', (x) => pct(x.scmAccuracy)),
      row('SCM accuracy (teacher-forced)', (x) => pct(x.scmAccuracyTeacherForced)),
      row('SCM ranking ρ vs true ablation', (x) => (x.scmSpearman === null ? 'not evaluated' : fixed(x.scmSpearman))),
      row('truth reliability (ceiling of ρ)', (x) => (x.scmSpearman === null ? 'not evaluated' : fixed(x.truthReliability ?? Number.NaN, 2))),
      row('SCM surrogate Pearson (drops)', (x) => (x.surrogatePearson === null ? 'not evaluated' : fixed(x.surrogatePearson))),
      row('settings hash', (x) => mono(x.settingsHash.slice(0, 16))),
    ],
    { className: 'comparison', caption: 'Each project on its own held-out split; accuracies are stored results of each build' },
  );
  const accuracy = barChart({
    categories: p.map((x) => x.name),
    series: [
      { name: 'model', values: p.map((x) => x.modelAccuracy) },
      { name: 'SCM (chained)', values: p.map((x) => x.scmAccuracy) },
      { name: 'SCM (teacher-forced)', values: p.map((x) => x.scmAccuracyTeacherForced) },
    ],
    yName: 'accuracy (held-out)',
    yMin: 0,
    yMax: 1,
    percent: true,
    width: 335,
    height: 260,
  });
  const depth = scatterChart({
    // Relative depth lets networks of different lengths share one axis: layer i of L fitted layers at i/L.
    series: p.map((x) => ({ name: x.name, points: x.layers.map((l, i) => [(i + 1) / x.layers.length, l.avgR2] as [number, number]) })),
    xName: 'relative depth of the fitted layer (last = logits)',
    yName: 'average R²',
    diagonal: false,
    connect: true,
    width: 335,
    height: 260,
  });
  return [
    facts,
    `<div class="grid2">${figure(accuracy, 'Accuracy of the network and of its SCM.')}${figure(depth, 'Fit of the structural equations over depth.')}</div>`,
  ].join('');
}
