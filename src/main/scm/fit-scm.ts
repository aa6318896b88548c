/**
 * Fits the structural equations (METHODS §1): for each non-exogenous node layer, all its channels
 * at once on the concatenated φ of its parent layers, over the observational training rows plus the
 * intervention-augmented rows whose intervened layer lies upstream of it (there the intervened
 * channels are set by the intervention, not by their equation). Reports fit quality on the held-out
 * evaluation rows. Binary φ thresholds the Frobenius norms at μ + σ of the training rows.
 */
import { regressorFamily } from '../../shared/choices.js';
import { columnStats } from '../engine/phi.js';
import { checkpoint } from '../util/progress.js';
import { toScmSpace } from './scm-space.js';
import type { PhiKind } from '../engine/phi.js';
import type { FittedScm } from './fitted-scm.js';
import { type AugmentedRows, type PhiTable, concatColumns, selectRows, stackRows } from './phi-table.js';
import { type RegressorName, type RegressorOptions, createRegressor } from './regressors/regressor.js';
import { type ScmLayer, descendantsOf } from './scm-structure.js';
import { type OutputMetrics, outputMetrics } from './regressors/metrics.js';

export interface FitInput {
  layers: ScmLayer[];
  /** The φ the SCM models; for `binary` the tables hold Frobenius norms, thresholded here. */
  phi: PhiKind;
  regressor: RegressorName;
  regressorOptions?: RegressorOptions;
  train: PhiTable;
  augmented: AugmentedRows[];
  evaluation: PhiTable;
  onLayer?: (layer: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface LayerFitReport {
  name: string;
  channels: number;
  regressor: RegressorName;
  trainRows: number;
  avgMse: number;
  maxMse: number;
  avgR2: number;
  minR2: number;
  /** Binary φ only. */
  avgAccuracy?: number;
  minAccuracy?: number;
  seconds: number;
}

export function regressorFits(phi: PhiKind, regressor: RegressorName): boolean {
  return (phi === 'binary') === (regressorFamily(regressor) === 'binary');
}

export async function fitScm(input: FitInput): Promise<{ scm: FittedScm; report: LayerFitReport[] }> {
  const { layers, phi, regressor } = input;
  if (!regressorFits(phi, regressor)) {
    throw new RangeError(
      phi === 'binary'
        ? `binary φ needs a classifier (logistic, svm, random-forest), not ${regressor}`
        : `continuous φ needs a regressor (linear, ridge, lasso, lars), not ${regressor}`,
    );
  }
  const channels = new Map(layers.map((l) => [l.name, l.channels]));
  let binaryThresholds: Record<string, number[]> | undefined;
  let train = input.train;
  let evaluation = input.evaluation;
  let augmented = input.augmented;
  if (phi === 'binary') {
    binaryThresholds = {};
    for (const l of layers) {
      if (l.kind === 'logits') continue;
      const { mean, std } = columnStats(train.layers[l.name], l.channels);
      binaryThresholds[l.name] = Array.from(mean, (m, k) => m + std[k]);
    }
    train = toScmSpace(train, binaryThresholds);
    evaluation = toScmSpace(evaluation, binaryThresholds);
    augmented = augmented.map((a) => toScmSpace(a, binaryThresholds));
  }

  const trainRow = new Map(train.indices.map((image, row) => [image, row]));
  const equations: FittedScm['equations'] = {};
  const report: LayerFitReport[] = [];
  const fitted = layers.filter((l) => !l.exogenous);
  for (const [done, layer] of fitted.entries()) {
    await checkpoint(input.signal, 'fitting');
    const started = performance.now();
    const parentCols = layer.parents.map((p) => channels.get(p)!);
    const p = parentCols.reduce((s, c) => s + c, 0);
    const xBlocks: Float64Array[] = [concatColumns(layer.parents.map((name, i) => ({ values: train.layers[name], cols: parentCols[i] })), train.n)];
    const yBlocks: Float32Array[] = [train.layers[layer.name]];
    for (const aug of augmented) {
      if (!descendantsOf(layers, aug.intervenedLayer).has(layer.name)) continue;
      const rows = aug.indices.map((image) => {
        const r = trainRow.get(image);
        if (r === undefined) throw new Error(`augmented image ${image} is not in the training split`);
        return r;
      });
      const parts = layer.parents.map((name, i) => ({
        values: aug.layers[name] ?? selectRows(train.layers[name], parentCols[i], rows),
        cols: parentCols[i],
      }));
      xBlocks.push(concatColumns(parts, aug.n));
      yBlocks.push(aug.layers[layer.name]);
    }
    const x = stackRows(xBlocks, 'f64');
    const y = stackRows(yBlocks);
    const rowsTotal = x.length / p;
    const name: RegressorName = layer.kind === 'logits' && regressorFamily(regressor) === 'binary' ? 'ridge' : regressor;
    // The logits' ridge fallback (binary φ) takes defaults: the options are the classifier's.
    const model = createRegressor(name, name === regressor ? input.regressorOptions : undefined);
    await model.fit({ rows: rowsTotal, cols: p, data: x }, { rows: rowsTotal, cols: layer.channels, data: y });
    equations[layer.name] = model;

    const evalX = concatColumns(layer.parents.map((n, i) => ({ values: evaluation.layers[n], cols: parentCols[i] })), evaluation.n);
    const predicted = model.predict({ rows: evaluation.n, cols: p, data: evalX });
    const metrics = outputMetrics(evaluation.layers[layer.name], predicted, evaluation.n, layer.channels, model.kind === 'binary');
    report.push(summarize(layer, name, rowsTotal, metrics, (performance.now() - started) / 1000));
    input.onLayer?.(layer.name, done + 1, fitted.length);
  }
  return { scm: { phi, regressor, layers, equations, binaryThresholds }, report };
}

function summarize(layer: ScmLayer, regressor: RegressorName, rows: number, m: OutputMetrics, seconds: number): LayerFitReport {
  const avg = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;
  const r: LayerFitReport = {
    name: layer.name,
    channels: layer.channels,
    regressor,
    trainRows: rows,
    avgMse: avg(m.mse),
    maxMse: Math.max(...m.mse),
    avgR2: avg(m.r2),
    minR2: Math.min(...m.r2),
    seconds,
  };
  if (m.accuracy) {
    r.avgAccuracy = avg(m.accuracy);
    r.minAccuracy = Math.min(...m.accuracy);
  }
  return r;
}
