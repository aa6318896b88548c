/**
 * Structural-equation regressors (METHODS §1): `createRegressor(name, options)` makes an unfitted
 * estimator, `restoreRegressor(json)` a fitted one from its `toJSON()`.
 *
 *   const r = createRegressor('ridge');          // GCV-chosen alpha on standardized parents
 *   await r.fit(parents, children);              // X: n×p, Y: n×q (one node layer's channels)
 *   const yHat = r.predict(parentsTest);         // n×q row-major
 *   if (isLinearRegressor(r)) r.model.coef;      // p×q edge weights in original units
 */
import { LassoRegression } from './lasso.js';
import { LarsRegression } from './lars.js';
import { LinearRegression, RidgeRegression } from './linear.js';
import { LogisticRegression } from './logistic.js';
import { isRegressorName, type RegressorName, type RegressorOptions, resolveOptions } from './options.js';
import { RandomForest } from './random-forest.js';
import { LinearSvm } from './svm.js';
import { MlpRegressor } from './mlp.js';
import type { FittedRegressorJSON, LinearRegressor, MultiOutputRegressor, ProbabilisticRegressor } from './types.js';

export type * from './types.js';
export type { RegressorName, RegressorOptions } from './options.js';

export function createRegressor(name: 'logistic', options?: RegressorOptions): LogisticRegression;
export function createRegressor(name: 'random-forest', options?: RegressorOptions): RandomForest;
export function createRegressor(name: 'linear' | 'ridge' | 'lasso' | 'lars' | 'svm' | 'logistic', options?: RegressorOptions): LinearRegressor;
export function createRegressor(name: RegressorName, options?: RegressorOptions): MultiOutputRegressor;
export function createRegressor(name: RegressorName, options: RegressorOptions = {}): MultiOutputRegressor {
  switch (name) {
    case 'linear':
      return new LinearRegression(resolveOptions('linear', options));
    case 'ridge':
      return new RidgeRegression(resolveOptions('ridge', options));
    case 'lasso':
      return new LassoRegression(resolveOptions('lasso', options));
    case 'lars':
      return new LarsRegression(resolveOptions('lars', options));
    case 'mlp':
      return new MlpRegressor(resolveOptions('mlp', options));
    case 'logistic':
      return new LogisticRegression(resolveOptions('logistic', options));
    case 'svm':
      return new LinearSvm(resolveOptions('svm', options));
    case 'random-forest':
      return new RandomForest(resolveOptions('random-forest', options));
    default:
      // resolveOptions names the valid choices.
      return resolveOptions(name, options) as never;
  }
}

/** A fitted regressor from `toJSON()` output (e.g. read back from the SQLite cache). */
export function restoreRegressor(json: FittedRegressorJSON): MultiOutputRegressor {
  if (typeof json !== 'object' || json === null || json.format !== 'causeway-regressor') {
    throw new RangeError('not a causeway regressor JSON (format must be "causeway-regressor")');
  }
  if (json.version !== 1) throw new RangeError(`unsupported regressor JSON version ${String(json.version)}`);
  if (!isRegressorName(json.name)) throw new RangeError(`unknown regressor "${String(json.name)}" in JSON`);
  if (!Number.isInteger(json.p) || json.p < 1 || !Number.isInteger(json.q) || json.q < 1) {
    throw new RangeError(`regressor JSON has a bad shape ${String(json.p)}×${String(json.q)}`);
  }
  const regressor = createRegressor(json.name, json.options as RegressorOptions) as MultiOutputRegressor & {
    restoreState(json: FittedRegressorJSON): void;
  };
  regressor.restoreState(json);
  return regressor;
}

export function isLinearRegressor(r: MultiOutputRegressor): r is LinearRegressor {
  return 'model' in r && 'decisionFunction' in r;
}

export function isProbabilisticRegressor(r: MultiOutputRegressor): r is ProbabilisticRegressor {
  return typeof (r as Partial<ProbabilisticRegressor>).predictProba === 'function';
}
