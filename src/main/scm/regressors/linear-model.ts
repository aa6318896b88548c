/**
 * The shared representation of the linear family (linear, ridge, lasso, lars, logistic, svm):
 * coef p×q + intercept q in original units, predictions X·coef + intercept. Also the centered (and
 * optionally standardized) normal-equation system built from one Gram pass, and the way back from
 * standardized coefficients to original units.
 */
import { type GramResult, gramAndCross } from '../../engine/matrix-products.js';
import type { ProductPrecision } from '../../engine/matrix-products.js';
import type { RegressorName } from './options.js';
import type { DenseMatrix, FittedRegressorJSON, LinearModel, LinearRegressor, RegressorKind } from './types.js';
import { checkFitInput, checkPredictInput, notFitted } from './validate.js';

/** X·coef + intercept, n×q row-major, in float64. */
export function linearPredict(model: LinearModel, X: DenseMatrix): Float64Array {
  const { p, q, coef, intercept } = model;
  const n = X.rows;
  const out = new Float64Array(n * q);
  const x = X.data;
  for (let i = 0; i < n; i++) {
    const oi = i * q;
    out.set(intercept, oi);
    const xi = i * p;
    for (let j = 0; j < p; j++) {
      const v = x[xi + j];
      if (v === 0) continue;
      const cj = j * q;
      for (let k = 0; k < q; k++) out[oi + k] += v * coef[cj + k];
    }
  }
  return out;
}

/**
 * The centered normal equations of one layer, in standardized units when `standardize`:
 * G = XsᵀXs (p×p), C = XsᵀYc (p×q), with Xs = (X − x̄)/scale and Yc = Y − ȳ; yy = Σ Yc² per output.
 * scale is the population standard deviation (StandardScaler), 1 for constant columns (and for all
 * columns when not standardizing).
 */
export interface CenteredSystem {
  n: number;
  p: number;
  q: number;
  xMean: Float64Array;
  yMean: Float64Array;
  scale: Float64Array;
  /** 1 where the column of X is constant over the rows (zero variance up to rounding, as sklearn). */
  constant: Uint8Array;
  G: Float64Array;
  C: Float64Array;
  yy: Float64Array;
  precision: 'float32' | 'float64';
}

export async function centeredSystem(
  X: DenseMatrix,
  Y: DenseMatrix,
  standardize: boolean,
  precision: ProductPrecision,
): Promise<CenteredSystem> {
  const gram = await gramAndCross(X, Y, { precision });
  return systemFromGram(gram, standardize);
}

export function systemFromGram(gram: GramResult, standardize: boolean): CenteredSystem {
  const { n, p, q } = gram;
  const G = Float64Array.from(gram.xtx);
  const C = Float64Array.from(gram.xty as Float64Array);
  const scale = new Float64Array(p).fill(1);
  const constant = new Uint8Array(p);
  const eps = Number.EPSILON;
  for (let j = 0; j < p; j++) {
    const variance = Math.max(G[j * p + j], 0) / n;
    const mean = gram.xCenter[j];
    // sklearn's _is_constant_feature bound: var ≤ n·eps·var + (n·mean·eps)².
    if (variance <= n * eps * variance + (n * mean * eps) ** 2) constant[j] = 1;
    else if (standardize) scale[j] = Math.sqrt(variance);
  }
  if (standardize) {
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) G[j * p + k] /= scale[j] * scale[k];
      for (let k = 0; k < q; k++) C[j * q + k] /= scale[j];
    }
  }
  return {
    n,
    p,
    q,
    xMean: Float64Array.from(gram.xCenter),
    yMean: Float64Array.from(gram.yCenter as Float64Array),
    scale,
    constant,
    G,
    C,
    yy: Float64Array.from(gram.yty as Float64Array),
    precision: gram.precision,
  };
}

/**
 * Coefficients B (p×q) for standardized, centered inputs → original units:
 * coef = B / scale (by row), intercept = b0 − x̄ᵀ·coef (b0 = ȳ for the centered regressions).
 */
export function toOriginalUnits(B: Float64Array, scale: Float64Array, xMean: Float64Array, b0: Float64Array): LinearModel {
  const p = scale.length;
  const q = b0.length;
  const coef = new Float64Array(p * q);
  const intercept = Float64Array.from(b0);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < q; k++) {
      const c = B[j * q + k] / scale[j] + 0; // + 0 turns −0 into 0 (JSON has no −0)
      coef[j * q + k] = c;
      intercept[k] -= xMean[j] * c;
    }
  }
  return { p, q, coef, intercept };
}

/** Column means and population standard deviations (1 for constant columns) of X, and Xs = (X − mean)/std. */
export function standardizeRows(X: DenseMatrix, standardize: boolean): { mean: Float64Array; scale: Float64Array; Xs: Float64Array } {
  const { rows: n, cols: p, data } = X;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j] += data[i * p + j];
  for (let j = 0; j < p; j++) mean[j] /= n;
  const Xs = new Float64Array(n * p);
  for (let i = 0; i < n * p; i++) Xs[i] = data[i] - mean[i % p];
  if (standardize) {
    const ss = new Float64Array(p);
    for (let i = 0; i < n * p; i++) ss[i % p] += Xs[i] * Xs[i];
    const eps = Number.EPSILON;
    for (let j = 0; j < p; j++) {
      const variance = ss[j] / n;
      if (!(variance <= n * eps * variance + (n * mean[j] * eps) ** 2)) scale[j] = Math.sqrt(variance);
    }
    for (let i = 0; i < n * p; i++) Xs[i] /= scale[i % p];
  } else {
    // Keep the raw values (only the mean is reported): the classifiers then fit on X itself.
    for (let i = 0; i < n * p; i++) Xs[i] = data[i];
    mean.fill(0);
  }
  return { mean, scale, Xs };
}

/** Base of the linear family: validation, predict, decision values, JSON. */
export abstract class LinearFamilyRegressor implements LinearRegressor {
  abstract readonly name: RegressorName;
  abstract readonly kind: RegressorKind;
  protected state: LinearModel | undefined;
  /** Fit details (chosen alpha, iterations, …); also stored in the JSON. */
  info: Record<string, unknown> = {};

  constructor(readonly options: object) {}

  get fitted(): boolean {
    return this.state !== undefined;
  }

  get model(): LinearModel {
    if (!this.state) throw notFitted(this.name);
    return this.state;
  }

  async fit(X: DenseMatrix, Y: DenseMatrix): Promise<void> {
    const shape = checkFitInput(X, Y, this.kind);
    const { model, info } = await this.fitLinear(X, Y, shape);
    this.state = model;
    this.info = info;
  }

  protected abstract fitLinear(
    X: DenseMatrix,
    Y: DenseMatrix,
    shape: { n: number; p: number; q: number },
  ): Promise<{ model: LinearModel; info: Record<string, unknown> }>;

  decisionFunction(X: DenseMatrix): Float64Array {
    const model = this.model;
    checkPredictInput(X, model.p);
    return linearPredict(model, X);
  }

  predict(X: DenseMatrix): Float64Array {
    const z = this.decisionFunction(X);
    if (this.kind === 'binary') for (let i = 0; i < z.length; i++) z[i] = z[i] > 0 ? 1 : 0;
    return z;
  }

  toJSON(): FittedRegressorJSON {
    const m = this.model;
    return {
      format: 'causeway-regressor',
      version: 1,
      name: this.name,
      kind: this.kind,
      options: plainOptions(this.options),
      p: m.p,
      q: m.q,
      linear: { coef: Array.from(m.coef), intercept: Array.from(m.intercept) },
      info: structuredClone(this.info),
    };
  }

  /** Used by restoreRegressor. */
  restoreState(json: FittedRegressorJSON): void {
    const lin = json.linear;
    if (!lin || lin.coef.length !== json.p * json.q || lin.intercept.length !== json.q) {
      throw new RangeError(`regressor JSON for ${json.name} lacks coefficients of shape ${json.p}×${json.q}`);
    }
    this.state = { p: json.p, q: json.q, coef: Float64Array.from(lin.coef), intercept: Float64Array.from(lin.intercept) };
    this.info = structuredClone(json.info ?? {});
  }
}

/** Options as plain JSON that `resolveOptions` accepts again (unset optional values dropped). */
export function plainOptions(options: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== null && v !== undefined));
}
