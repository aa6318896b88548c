/** SCM validation (METHODS §1 sanity check, the paper's Table 6 and Tables 2–5): accuracy side by side, fit quality per layer. */
import { count, fixed, pct, sig } from '../format.js';
import { note, table } from '../html.js';
import type { LayerFitReport } from '../../scm/fit-scm.js';
import type { StoredResults } from '../stored-results.js';
import type { FidelityLine } from '../../../shared/fidelity.js';
import { fidelityLinesHtml, storedFidelity } from '../fidelity-lines.js';

/** A layer's fit as the build stored it (its timing left out). */
export type LayerFit = Omit<LayerFitReport, 'seconds'>;

export interface ValidationData {
  evaluationImages: number;
  modelAccuracy: number;
  scmAccuracy: number;
  scmAccuracyTeacherForced: number;
  phi: string;
  /** The first node layer: observed, no equation. */
  exogenous: string[];
  layers: LayerFit[];
  /** The chained accuracy's distance from the network's, with a warning when poor. */
  fidelity: FidelityLine;
}

export function validationData(r: StoredResults): ValidationData {
  const v = r.build.validation;
  return {
    evaluationImages: v.evaluationImages,
    modelAccuracy: v.modelAccuracy,
    scmAccuracy: v.scmAccuracy,
    scmAccuracyTeacherForced: v.scmAccuracyTeacherForced,
    phi: r.build.settings.phi,
    fidelity: storedFidelity(r).chained,
    exogenous: r.layers.filter((l) => l.exogenous).map((l) => l.name),
    layers: r.fit.map((f) => ({
      name: f.name,
      channels: f.channels,
      regressor: f.regressor,
      trainRows: f.trainRows,
      avgMse: f.avgMse,
      maxMse: f.maxMse,
      avgR2: f.avgR2,
      minR2: f.minR2,
      ...(f.avgAccuracy !== undefined ? { avgAccuracy: f.avgAccuracy, minAccuracy: f.minAccuracy } : {}),
    })),
  };
}

export function validationHtml(d: ValidationData): string {
  const accuracy = table(
    ['', 'accuracy', 'how'],
    [
      ['Real network', pct(d.modelAccuracy), 'the model itself on the held-out images'],
      ['SCM, chained', pct(d.scmAccuracy), 'first node layer observed, every later layer predicted from predicted parents'],
      ['SCM, teacher-forced', pct(d.scmAccuracyTeacherForced), 'every layer predicted from its observed parents'],
    ],
    { numeric: [1], caption: `Accuracy on ${count(d.evaluationImages)} held-out images` },
  );
  const binary = d.layers.some((l) => l.avgAccuracy !== undefined);
  const fit = table(
    ['layer', 'channels', 'equation', 'training rows', 'avg MSE', 'max MSE', 'avg R²', 'min R²', ...(binary ? ['avg acc.', 'min acc.'] : [])],
    d.layers.map((l) => [
      l.name,
      l.channels,
      l.regressor,
      count(l.trainRows),
      sig(l.avgMse),
      sig(l.maxMse),
      fixed(l.avgR2, 4),
      fixed(l.minR2, 4),
      ...(binary ? [pct(l.avgAccuracy), pct(l.minAccuracy)] : []),
    ]),
    { numeric: [1, 3, 4, 5, 6, 7, 8, 9], caption: `Fit of the structural equations on held-out rows (φ = ${d.phi})` },
  );
  return [
    accuracy,
    fidelityLinesHtml([d.fidelity]),
    fit,
    note(`${d.exogenous.join(', ')} ${d.exogenous.length === 1 ? 'is' : 'are'} observed (exogenous) and has no equation. MSE is in units of φ${d.phi === 'fro' ? ' (Frobenius norm of the map)' : ''}; R² per channel, averaged (and the worst) over the layer's channels. Chained accuracy is the paper's sanity check (Table 6): prediction errors compound layer by layer.`),
  ].join('');
}
