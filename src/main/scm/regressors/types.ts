/**
 * Shared types of the structural-equation regressors (METHODS §1): estimator objects in the
 * scikit-learn style (fit / predict), fitted to all q children of one node layer at once from the p
 * parent columns, and serializable to plain JSON for the SQLite cache.
 */
import type { DenseMatrix } from '../../engine/matrix-products.js';
import type { RegressorName } from './options.js';

export type { DenseMatrix } from '../../engine/matrix-products.js';
export type { RegressorName, RegressorOptions } from './options.js';

export type RegressorKind = 'continuous' | 'binary';

export interface MultiOutputRegressor {
  readonly name: RegressorName;
  readonly kind: RegressorKind;
  /** Whether fit (or restore) has run. */
  readonly fitted: boolean;
  /** X: n×p parents, Y: n×q children (binary: 0/1). */
  fit(X: DenseMatrix, Y: DenseMatrix): void | Promise<void>;
  /** n×q row-major predictions (binary: 0/1 labels). */
  predict(X: DenseMatrix): Float64Array;
  /** Plain JSON (numbers, strings, arrays, objects) to cache and `restoreRegressor`. */
  toJSON(): FittedRegressorJSON;
}

/**
 * A fitted linear model in original units: predictions (or decision values for the binary linear
 * models) are X·coef + intercept. coef is p×q row-major (row = parent channel, column = child).
 */
export interface LinearModel {
  p: number;
  q: number;
  coef: Float64Array;
  intercept: Float64Array;
}

/** linear, ridge, lasso, lars, logistic, svm. */
export interface LinearRegressor extends MultiOutputRegressor {
  readonly model: LinearModel;
  /** X·coef + intercept (n×q): the prediction itself for continuous models, the margin for binary ones. */
  decisionFunction(X: DenseMatrix): Float64Array;
}

export interface ProbabilisticRegressor extends MultiOutputRegressor {
  /** P(y = 1) per row and output, n×q row-major. */
  predictProba(X: DenseMatrix): Float64Array;
}

/** One classification tree as parallel arrays; node 0 is the root, leaves have feature −1. */
export interface TreeJSON {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Fraction of class 1 among the (bootstrap-weighted) training rows of the node. */
  value: number[];
}

export interface FittedRegressorJSON {
  format: 'causeway-regressor';
  version: 1;
  name: RegressorName;
  kind: RegressorKind;
  /** The resolved options the model was fitted with. */
  options: Record<string, unknown>;
  p: number;
  q: number;
  /** Linear family: coef (p×q row-major) and intercept (q). */
  linear?: { coef: number[]; intercept: number[] };
  /** random-forest: trees[output][tree]; `constant[output]` is 0/1 when that training column was constant, else null. */
  forest?: { trees: TreeJSON[][]; constant: (0 | 1 | null)[] };
  /** mlp: standardization and weights (row-major: w1 p×H, w2 H×q, ws p×q). */
  mlp?: {
    hidden: number;
    xMean: number[];
    xScale: number[];
    yMean: number[];
    yScale: number[];
    w1: number[];
    b1: number[];
    w2: number[];
    ws: number[];
    b2: number[];
  };
  /** Fit details: chosen alpha and its scores, iterations, convergence, constant outputs. */
  info: Record<string, unknown>;
}
