/**
 * Held-out metrics of the structural equations (METHODS §1): per output MSE and R² (sklearn
 * `mean_squared_error` / `r2_score` with `multioutput='raw_values'`; a constant true column gives
 * R² = 1 when predicted exactly, else 0, as sklearn's force_finite), accuracy for binary outputs;
 * per layer the average and the worst (max MSE, min R², min accuracy — the paper's Tables 2–5).
 */
import type { DenseMatrix } from './types.js';
import { checkMatrix } from './validate.js';

export interface Summary {
  mean: number;
  /** Worst value: max for MSE, min for R² and accuracy. */
  worst: number;
  /** Output (channel) index of the worst value. */
  worstIndex: number;
}

export interface LayerMetrics {
  perOutput: { mse: Float64Array; r2: Float64Array; accuracy?: Float64Array };
  mse: Summary;
  r2: Summary;
  accuracy?: Summary;
}

type Predictions = DenseMatrix | Float64Array;

function predictionMatrix(yTrue: DenseMatrix, yPred: Predictions): DenseMatrix {
  checkMatrix('yTrue', yTrue);
  const pred = yPred instanceof Float64Array ? { rows: yTrue.rows, cols: yTrue.cols, data: yPred } : yPred;
  checkMatrix('yPred', pred);
  if (pred.rows !== yTrue.rows || pred.cols !== yTrue.cols) {
    throw new RangeError(`yPred is ${pred.rows}×${pred.cols} but yTrue is ${yTrue.rows}×${yTrue.cols}`);
  }
  if (yTrue.rows < 1) throw new RangeError('metrics need at least one row');
  return pred;
}

/** Mean squared error per output. */
export function meanSquaredError(yTrue: DenseMatrix, yPred: Predictions): Float64Array {
  const pred = predictionMatrix(yTrue, yPred);
  const { rows: n, cols: q } = yTrue;
  const out = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < q; k++) {
      const d = yTrue.data[i * q + k] - pred.data[i * q + k];
      out[k] += d * d;
    }
  }
  return out.map((v) => v / n);
}

/** R² = 1 − SS_res/SS_tot per output; SS_tot = 0 → 1 if SS_res = 0 else 0. */
export function r2Score(yTrue: DenseMatrix, yPred: Predictions): Float64Array {
  const pred = predictionMatrix(yTrue, yPred);
  const { rows: n, cols: q } = yTrue;
  const mean = new Float64Array(q);
  for (let i = 0; i < n; i++) for (let k = 0; k < q; k++) mean[k] += yTrue.data[i * q + k];
  for (let k = 0; k < q; k++) mean[k] /= n;
  const res = new Float64Array(q);
  const tot = new Float64Array(q);
  const constant = new Uint8Array(q).fill(1);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < q; k++) {
      const y = yTrue.data[i * q + k];
      const d = y - pred.data[i * q + k];
      res[k] += d * d;
      tot[k] += (y - mean[k]) ** 2;
      if (y !== yTrue.data[k]) constant[k] = 0;
    }
  }
  const out = new Float64Array(q);
  for (let k = 0; k < q; k++) {
    if (constant[k] || tot[k] === 0) out[k] = res[k] === 0 ? 1 : 0;
    else out[k] = 1 - res[k] / tot[k];
  }
  return out;
}

/** Fraction of rows where the prediction equals the label, per output. */
export function accuracy(yTrue: DenseMatrix, yPred: Predictions): Float64Array {
  const pred = predictionMatrix(yTrue, yPred);
  const { rows: n, cols: q } = yTrue;
  const out = new Float64Array(q);
  for (let i = 0; i < n; i++) for (let k = 0; k < q; k++) if (yTrue.data[i * q + k] === pred.data[i * q + k]) out[k] += 1;
  return out.map((v) => v / n);
}

export function summarize(values: Float64Array, worst: 'max' | 'min'): Summary {
  if (values.length === 0) throw new RangeError('nothing to summarize');
  let sum = 0;
  let worstIndex = 0;
  for (let k = 0; k < values.length; k++) {
    sum += values[k];
    if (worst === 'max' ? values[k] > values[worstIndex] : values[k] < values[worstIndex]) worstIndex = k;
  }
  return { mean: sum / values.length, worst: values[worstIndex], worstIndex };
}

/** All metrics of one layer's equations on held-out rows; accuracy when `kind` is binary. */
export function layerMetrics(yTrue: DenseMatrix, yPred: Predictions, kind: 'continuous' | 'binary'): LayerMetrics {
  const mse = meanSquaredError(yTrue, yPred);
  const r2 = r2Score(yTrue, yPred);
  const result: LayerMetrics = { perOutput: { mse, r2 }, mse: summarize(mse, 'max'), r2: summarize(r2, 'min') };
  if (kind === 'binary') {
    const acc = accuracy(yTrue, yPred);
    result.perOutput.accuracy = acc;
    result.accuracy = summarize(acc, 'min');
  }
  return result;
}

export interface OutputMetrics {
  mse: Float64Array;
  r2: Float64Array;
  /** Binary outputs only. */
  accuracy?: Float64Array;
}

/** Per-output MSE, R² (and accuracy when `binary`) of n×q row-major arrays. */
export function outputMetrics(
  yTrue: Float32Array | Float64Array,
  yPred: Float32Array | Float64Array,
  n: number,
  q: number,
  binary: boolean,
): OutputMetrics {
  const t: DenseMatrix = { rows: n, cols: q, data: yTrue };
  const p: DenseMatrix = { rows: n, cols: q, data: yPred };
  const result: OutputMetrics = { mse: meanSquaredError(t, p), r2: r2Score(t, p) };
  if (binary) result.accuracy = accuracy(t, p);
  return result;
}
