/**
 * Every regressor parameter, its default and its check — the one place parameters are validated
 * (scikit-learn's `_parameter_constraints` in spirit). `resolveOptions` rejects options that the
 * chosen method does not take, so a typo or a misplaced option is an error, not a silent default.
 */
import { type RegressorName, regressorNames, regressors } from '../../../shared/choices.js';
import type { ProductPrecision } from '../../engine/matrix-products.js';

export { type RegressorName, regressorNames };

/**
 * The default ridge grid: 25 values log-spaced over 1e-3 … 1e4 (numpy `logspace(-3, 4, 25)`), alpha in
 * the units of the (standardized) centered Gram matrix, whose diagonal is n.
 */
export const defaultRidgeAlphas: readonly number[] = Array.from({ length: 25 }, (_, i) => (i === 24 ? 1e4 : 10 ** (i * (7 / 24) - 3)));

export interface RegressorOptions {
  /** Gram/product arithmetic (linear, ridge, lasso, lars, logistic): `auto` (default) picks float64 for small problems. */
  precision?: ProductPrecision;
  /** Standardize X (population std, like StandardScaler) before a penalized fit; default true (ridge, lasso, lars, logistic, svm). */
  standardize?: boolean;
  /** ridge: a fixed alpha (implies selection 'fixed'); lasso: the L1 weight (default 0.01). */
  alpha?: number;
  /** ridge: how alpha is chosen: 'gcv' (default), 'kfold', or 'fixed' (needs alpha). */
  selection?: 'gcv' | 'kfold' | 'fixed';
  /** ridge: the alpha grid for gcv/kfold (default `defaultRidgeAlphas`). */
  alphas?: readonly number[];
  /** ridge kfold: the number of folds (default 5), or an explicit fold id (0..k-1) for every row. */
  folds?: number | readonly number[];
  /** Seed: ridge kfold shuffling, svm coordinate order, random-forest bootstrap and features. */
  seed?: number;
  /** lasso (duality gap, sklearn semantics, default 1e-4); logistic and primal svm (max |gradient| of the mean objective, default 1e-6); dual svm (projected-gradient spread, default 1e-4 as liblinear). */
  tol?: number;
  /** lasso (default 1000 sweeps), logistic and primal svm (default 500 L-BFGS iterations), dual svm (default 1000 epochs). */
  maxIter?: number;
  /** lars: stop after this many active features (sklearn's n_nonzero_coefs, default 500). */
  maxFeatures?: number;
  /** logistic, svm: inverse regularization strength (default 1). */
  C?: number;
  /** svm: 'primal' (default: L-BFGS on the primal, converges in few iterations when n > p) or 'dual' (liblinear's dual coordinate descent). */
  solver?: 'primal' | 'dual';
  /** random-forest: number of trees (default 50). */
  nTrees?: number;
  /** random-forest: maximum depth (default 12). */
  maxDepth?: number;
  /** random-forest: minimum rows in a leaf (default 1). */
  minSamplesLeaf?: number;
  /** random-forest: features tried per split: 'sqrt' (default, floor(√p) ≥ 1) or a count. */
  featuresPerSplit?: 'sqrt' | number;
  /** random-forest: draw a bootstrap sample per tree (default true). */
  bootstrap?: boolean;
  /**
   * random-forest: nodes with more than 64 rows look for splits among at most maxBins per-feature
   * quantile bins (exact when a column has ≤ maxBins distinct values); smaller nodes sort exactly.
   * Default 256.
   */
  maxBins?: number;
  /** mlp: hidden ReLU units (default 64). */
  hidden?: number;
  /** mlp: Adam step size (default 3e-3, in standardized units). */
  learningRate?: number;
  /** mlp: rows per mini-batch (default 64). */
  batchSize?: number;
  /** mlp: most epochs (default 150). */
  maxEpochs?: number;
  /** mlp: stop after this many epochs without a better held-out loss (default 12). */
  patience?: number;
  /** mlp: L2 penalty on the weights (default 1e-4). */
  l2?: number;
  /** mlp: share of the rows held out for early stopping (default 0.1). */
  validationFraction?: number;
}

export interface MlpOptions {
  hidden: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  l2: number;
  validationFraction: number;
  seed: number;
}
export interface LinearOptions {
  precision: ProductPrecision;
}
export interface RidgeOptions {
  precision: ProductPrecision;
  standardize: boolean;
  selection: 'gcv' | 'kfold' | 'fixed';
  alpha: number | null;
  alphas: number[];
  folds: number | number[];
  seed: number;
}
export interface LassoOptions {
  precision: ProductPrecision;
  standardize: boolean;
  alpha: number;
  tol: number;
  maxIter: number;
}
export interface LarsOptions {
  precision: ProductPrecision;
  standardize: boolean;
  maxFeatures: number;
}
export interface LogisticOptions {
  precision: ProductPrecision;
  standardize: boolean;
  C: number;
  tol: number;
  maxIter: number;
}
export interface SvmOptions {
  precision: ProductPrecision;
  solver: 'primal' | 'dual';
  standardize: boolean;
  C: number;
  tol: number;
  maxIter: number;
  seed: number;
}
export interface ForestOptions {
  nTrees: number;
  maxDepth: number;
  minSamplesLeaf: number;
  featuresPerSplit: 'sqrt' | number;
  bootstrap: boolean;
  maxBins: number;
  seed: number;
}

export interface ResolvedOptionsByName {
  linear: LinearOptions;
  ridge: RidgeOptions;
  lasso: LassoOptions;
  lars: LarsOptions;
  logistic: LogisticOptions;
  svm: SvmOptions;
  'random-forest': ForestOptions;
  mlp: MlpOptions;
}

// Which options each regressor takes: declared beside the regressor list in shared/choices.ts.
const allowed = Object.fromEntries(regressors.map((r) => [r.name, r.options])) as unknown as Record<RegressorName, readonly (keyof RegressorOptions)[]>;

// Every option name choices.ts lists must be an option here.
type ListedOption = (typeof regressors)[number]['options'][number];
export const _listedOptionsExist: [Exclude<ListedOption, keyof RegressorOptions>] extends [never] ? true : false = true;

export function isRegressorName(name: unknown): name is RegressorName {
  return typeof name === 'string' && (regressorNames as readonly string[]).includes(name);
}

/** Checks `options` for regressor `name` and fills in the defaults. Throws a RangeError naming the bad option. */
export function resolveOptions<N extends RegressorName>(name: N, options: RegressorOptions = {}): ResolvedOptionsByName[N] {
  if (!isRegressorName(name)) throw new RangeError(`unknown regressor "${String(name)}"; expected one of ${regressorNames.join(', ')}`);
  if (typeof options !== 'object' || options === null) throw new TypeError('regressor options must be an object');
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(allowed[name] as readonly string[]).includes(key)) {
      throw new RangeError(`option "${key}" does not apply to the ${name} regressor (it takes: ${allowed[name].join(', ')})`);
    }
  }
  const o = options;
  const precision = oneOf('precision', o.precision, ['auto', 'float32', 'float64'] as const, 'auto');
  const standardize = bool('standardize', o.standardize, true);
  const resolved: { [K in RegressorName]: () => ResolvedOptionsByName[K] } = {
    linear: () => ({ precision }),
    ridge: () => {
      const alpha = o.alpha === undefined ? null : positive('alpha', o.alpha, true);
      const selection = oneOf('selection', o.selection, ['gcv', 'kfold', 'fixed'] as const, alpha === null ? 'gcv' : 'fixed');
      if (selection === 'fixed' && alpha === null) throw new RangeError('ridge selection "fixed" needs an alpha');
      if (selection !== 'fixed' && alpha !== null) throw new RangeError(`ridge alpha is fixed but selection is "${selection}"`);
      const alphas = (o.alphas ?? defaultRidgeAlphas).map((a, i) => positive(`alphas[${i}]`, a, false));
      if (alphas.length === 0) throw new RangeError('ridge alphas must not be empty');
      let folds: number | number[] = 5;
      if (typeof o.folds === 'number') folds = integer('folds', o.folds, 2);
      else if (o.folds !== undefined) {
        if (!Array.isArray(o.folds)) throw new RangeError('folds must be a count or an array of fold ids');
        folds = o.folds.map((f, i) => integer(`folds[${i}]`, f, 0));
        const k = Math.max(...folds) + 1;
        if (k < 2) throw new RangeError('explicit folds must use at least 2 fold ids');
        for (let f = 0; f < k; f++) if (!folds.includes(f)) throw new RangeError(`explicit folds skip fold id ${f}`);
      }
      return { precision, standardize, selection, alpha, alphas, folds, seed: seed(o.seed) };
    },
    lasso: () => ({
      precision,
      standardize,
      alpha: positive('alpha', o.alpha ?? 0.01, true),
      tol: positive('tol', o.tol ?? 1e-4, true),
      maxIter: integer('maxIter', o.maxIter ?? 1000, 1),
    }),
    lars: () => ({ precision, standardize, maxFeatures: integer('maxFeatures', o.maxFeatures ?? 500, 1) }),
    mlp: () => {
      const validationFraction = positive('validationFraction', o.validationFraction ?? 0.1, true);
      if (validationFraction >= 0.5) throw new RangeError(`validationFraction must be below 0.5, got ${validationFraction}`);
      return {
        hidden: integer('hidden', o.hidden ?? 64, 1),
        learningRate: positive('learningRate', o.learningRate ?? 3e-3, false),
        batchSize: integer('batchSize', o.batchSize ?? 64, 1),
        maxEpochs: integer('maxEpochs', o.maxEpochs ?? 150, 1),
        patience: integer('patience', o.patience ?? 12, 1),
        l2: positive('l2', o.l2 ?? 1e-4, true),
        validationFraction,
        seed: seed(o.seed),
      };
    },
    logistic: () => ({
      precision,
      standardize,
      C: positive('C', o.C ?? 1, false),
      tol: positive('tol', o.tol ?? 1e-6, false),
      maxIter: integer('maxIter', o.maxIter ?? 500, 1),
    }),
    svm: () => {
      const solver = oneOf('solver', o.solver, ['primal', 'dual'] as const, 'primal');
      return {
        precision,
        solver,
        standardize,
        C: positive('C', o.C ?? 1, false),
        tol: positive('tol', o.tol ?? (solver === 'dual' ? 1e-4 : 1e-6), false),
        maxIter: integer('maxIter', o.maxIter ?? (solver === 'dual' ? 1000 : 500), 1),
        seed: seed(o.seed),
      };
    },
    'random-forest': () => {
      const fps = o.featuresPerSplit ?? 'sqrt';
      return {
        nTrees: integer('nTrees', o.nTrees ?? 50, 1),
        maxDepth: integer('maxDepth', o.maxDepth ?? 12, 1),
        minSamplesLeaf: integer('minSamplesLeaf', o.minSamplesLeaf ?? 1, 1),
        featuresPerSplit: fps === 'sqrt' ? 'sqrt' : integer('featuresPerSplit', fps, 1),
        bootstrap: bool('bootstrap', o.bootstrap, true),
        maxBins: Math.min(integer('maxBins', o.maxBins ?? 256, 2), 65_536),
        seed: seed(o.seed),
      };
    },
  };
  return resolved[name]();
}

function positive(name: string, value: unknown, allowZero: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`${name} must be a finite number ${allowZero ? '≥ 0' : '> 0'}, got ${String(value)}`);
  }
  return value;
}

function integer(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new RangeError(`${name} must be true or false, got ${String(value)}`);
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly unknown[]).includes(value)) throw new RangeError(`${name} must be one of ${choices.join(', ')}, got ${String(value)}`);
  return value as T;
}

function seed(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new RangeError(`seed must be an integer, got ${String(value)}`);
  return value >>> 0;
}
