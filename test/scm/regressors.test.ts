/**
 * Structural-equation regressors against scikit-learn (test/fixtures/sklearn/regressors.json, made by
 * make_regressor_fixtures.py). "rel" below is max|ours − sklearn| / max|sklearn| over the compared
 * array.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  createRegressor,
  isLinearRegressor,
  isProbabilisticRegressor,
  layerMetrics,
  meanSquaredError,
  outputMetrics,
  r2Score,
  regressorNames,
  restoreRegressor,
  type DenseMatrix,
  type FittedRegressorJSON,
  type MultiOutputRegressor,
} from '../../src/main/scm/regressors/index.js';

interface LinearRef {
  coef: number[][];
  intercept: number[];
  predTest: number[][];
}
interface Fixture {
  meta: { nTrain: number; nTest: number; p: number; q: number };
  Xtrain: number[][];
  Xtest: number[][];
  Ytrain: number[][];
  Ytest: number[][];
  Btrain: number[][];
  Btest: number[][];
  linear: LinearRef & { mseTest: number[]; r2Test: number[] };
  ridgeStandardized: LinearRef & { alpha: number };
  ridgeRaw: LinearRef & { alpha: number };
  ridgeGcv: LinearRef & { alphas: number[]; scores: number[]; alpha: number };
  ridgeKfold: { folds: number[]; alphas: number[]; scores: number[]; alpha: number };
  lasso: LinearRef & { alpha: number; zeros: number };
  lassoDefaultTol: LinearRef & { alpha: number };
  lars: LinearRef & { maxFeatures: number; nonzero: number[] };
  lars4: LinearRef & { maxFeatures: number; nonzero: number[] };
  logistic: LinearRef & { C: number; probaTest: number[][]; accuracyTest: number[] };
  svm: LinearRef & { C: number };
  randomForest: { nTrees: number; maxDepth: number; accuracyTest: number[] };
  metricCases: { yTrue: number[][]; yPred: number[][]; mse: number[]; r2: number[]; accuracy?: number[] }[];
}

const fx = JSON.parse(readFileSync(new URL('../fixtures/sklearn/regressors.json', import.meta.url), 'utf8')) as Fixture;
const matrix = (rows: number[][]): DenseMatrix => ({ rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) });
const Xtr = matrix(fx.Xtrain);
const Xte = matrix(fx.Xtest);
const Ytr = matrix(fx.Ytrain);
const Yte = matrix(fx.Ytest);
const Btr = matrix(fx.Btrain);
const Bte = matrix(fx.Btest);

function rel(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(ours.length).toBe(ref.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(ours[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / scale;
}

async function fitLinearAndCompare(r: MultiOutputRegressor, X: DenseMatrix, Y: DenseMatrix, ref: LinearRef, tol: number) {
  await r.fit(X, Y);
  if (!isLinearRegressor(r)) throw new Error('expected a linear regressor');
  expect(rel(r.model.coef, ref.coef.flat())).toBeLessThan(tol);
  expect(rel(r.model.intercept, ref.intercept)).toBeLessThan(tol);
  return r;
}

describe('continuous regressors match scikit-learn', () => {
  it('linear = LinearRegression (coef, intercept, predictions ~1e-6, test MSE and R²)', async () => {
    const r = await fitLinearAndCompare(createRegressor('linear'), Xtr, Ytr, fx.linear, 1e-6);
    const pred = r.predict(Xte);
    expect(rel(pred, fx.linear.predTest.flat())).toBeLessThan(1e-8);
    const m = layerMetrics(Yte, pred, 'continuous');
    expect(rel(m.perOutput.mse, fx.linear.mseTest)).toBeLessThan(1e-6);
    expect(rel(m.perOutput.r2, fx.linear.r2Test)).toBeLessThan(1e-6);
    expect(m.mse.worst).toBe(Math.max(...m.perOutput.mse));
    expect(m.r2.worst).toBe(Math.min(...m.perOutput.r2));
  });

  it('ridge, fixed alpha, standardized = StandardScaler + Ridge mapped back (~1e-6)', async () => {
    await fitLinearAndCompare(createRegressor('ridge', { alpha: fx.ridgeStandardized.alpha }), Xtr, Ytr, fx.ridgeStandardized, 1e-6);
  });

  it('ridge, fixed alpha, standardize=false = plain Ridge (~1e-6)', async () => {
    await fitLinearAndCompare(createRegressor('ridge', { alpha: fx.ridgeRaw.alpha, standardize: false }), Xtr, Ytr, fx.ridgeRaw, 1e-6);
  });

  it('ridge GCV: same scores as the numpy SVD implementation, same grid alpha, same coefficients', async () => {
    const r = await fitLinearAndCompare(createRegressor('ridge'), Xtr, Ytr, fx.ridgeGcv, 1e-6);
    const info = (r as unknown as { info: { alpha: number; scores: number[] } }).info;
    expect(Math.abs(info.alpha / fx.ridgeGcv.alpha - 1)).toBeLessThan(1e-12);
    expect(rel(info.scores, fx.ridgeGcv.scores)).toBeLessThan(1e-8);
  });

  it('ridge k-fold with explicit folds: same CV scores and alpha as GridSearchCV(PredefinedSplit)', async () => {
    const r = createRegressor('ridge', { selection: 'kfold', folds: fx.ridgeKfold.folds });
    await r.fit(Xtr, Ytr);
    const info = (r as unknown as { info: { alpha: number; scores: number[] } }).info;
    expect(rel(info.scores, fx.ridgeKfold.scores)).toBeLessThan(1e-8);
    expect(Math.abs(info.alpha / fx.ridgeKfold.alpha - 1)).toBeLessThan(1e-12);
  });

  it('ridge k-fold with a seeded shuffle is reproducible', async () => {
    const a = createRegressor('ridge', { selection: 'kfold', folds: 4, seed: 3 });
    const b = createRegressor('ridge', { selection: 'kfold', folds: 4, seed: 3 });
    await a.fit(Xtr, Ytr);
    await b.fit(Xtr, Ytr);
    expect(Array.from(a.model.coef)).toEqual(Array.from(b.model.coef));
  });

  it('lasso = StandardScaler + Lasso at a tight tolerance (~1e-4), same zero pattern', async () => {
    const r = await fitLinearAndCompare(createRegressor('lasso', { alpha: fx.lasso.alpha, tol: 1e-12, maxIter: 100_000 }), Xtr, Ytr, fx.lasso, 1e-4);
    const zeros = r.model.coef.filter((v) => v === 0).length;
    expect(zeros).toBe(fx.lasso.zeros);
    // sklearn's default stopping rule, our default tol: both stop near the optimum.
    await fitLinearAndCompare(createRegressor('lasso', { alpha: fx.lasso.alpha }), Xtr, Ytr, fx.lassoDefaultTol, 1e-3);
  });

  it('lars: the full path ends at sklearn Lars = OLS (~1e-6); stopped after 4 features matches Lars(n_nonzero_coefs=4)', async () => {
    await fitLinearAndCompare(createRegressor('lars'), Xtr, Ytr, fx.lars, 1e-6);
    expect(rel(fx.lars.coef.flat(), fx.linear.coef.flat())).toBeLessThan(1e-6);
    const r = await fitLinearAndCompare(createRegressor('lars', { maxFeatures: 4 }), Xtr, Ytr, fx.lars4, 1e-6);
    const q = fx.meta.q;
    for (let k = 0; k < q; k++) {
      let nz = 0;
      for (let j = 0; j < fx.meta.p; j++) if (r.model.coef[j * q + k] !== 0) nz++;
      expect(nz).toBe(fx.lars4.nonzero[k]);
    }
  });
});

describe('binary regressors match scikit-learn', () => {
  it('logistic = StandardScaler + LogisticRegression(C=1) (coef ~1e-3, probabilities, predictions)', async () => {
    const r = await fitLinearAndCompare(createRegressor('logistic'), Xtr, Btr, fx.logistic, 1e-3);
    expect(isProbabilisticRegressor(r)).toBe(true);
    if (!isProbabilisticRegressor(r)) return;
    expect(rel(r.predictProba(Xte), fx.logistic.probaTest.flat())).toBeLessThan(1e-4);
    const pred = r.predict(Xte);
    expect(Array.from(pred)).toEqual(fx.logistic.predTest.flat());
    expect(rel(accuracy(Bte, pred), fx.logistic.accuracyTest)).toBeLessThan(1e-12);
  });

  it('svm = StandardScaler + LinearSVC(C=1): ≥ 98% of test predictions agree, coef within 1e-2 (primal solver)', async () => {
    const r = await fitLinearAndCompare(createRegressor('svm'), Xtr, Btr, fx.svm, 1e-2);
    const pred = r.predict(Xte);
    const ref = fx.svm.predTest.flat();
    const agree = ref.filter((v, i) => v === pred[i]).length / ref.length;
    expect(agree).toBeGreaterThanOrEqual(0.98);
  });

  it('svm with liblinear\'s dual coordinate descent reaches the same optimum at a tight tolerance', async () => {
    await fitLinearAndCompare(createRegressor('svm', { solver: 'dual', tol: 1e-8, maxIter: 100_000 }), Xtr, Btr, fx.svm, 1e-4);
  });

  it('random forest: test accuracy within 0.05 of sklearn RandomForestClassifier (mean over outputs), each output within 0.08', async () => {
    const r = createRegressor('random-forest', { seed: 1 });
    r.fit(Xtr, Btr);
    const acc = accuracy(Bte, r.predict(Xte));
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(acc) - mean(fx.randomForest.accuracyTest))).toBeLessThan(0.05);
    acc.forEach((a, k) => expect(Math.abs(a - fx.randomForest.accuracyTest[k])).toBeLessThan(0.08));
    // Same seed, same forest.
    const again = createRegressor('random-forest', { seed: 1 });
    again.fit(Xtr, Btr);
    expect(Array.from(again.predictProba(Xte))).toEqual(Array.from(r.predictProba(Xte)));
  });

  it('outputs whose training column is constant predict that constant', async () => {
    const Y = { rows: Btr.rows, cols: 3, data: new Float64Array(Btr.rows * 3) };
    for (let i = 0; i < Btr.rows; i++) {
      Y.data[i * 3] = 1;
      Y.data[i * 3 + 1] = Btr.data[i * fx.meta.q];
      Y.data[i * 3 + 2] = 0;
    }
    for (const name of ['logistic', 'svm', 'random-forest'] as const) {
      const r = createRegressor(name);
      await r.fit(Xtr, Y);
      const pred = r.predict(Xte);
      for (let i = 0; i < Xte.rows; i++) {
        expect(pred[i * 3]).toBe(1);
        expect(pred[i * 3 + 2]).toBe(0);
      }
    }
  });
});

describe('serialization', () => {
  it.each(regressorNames)('%s: toJSON → JSON text → restoreRegressor predicts identically', async (name) => {
    const binary = name === 'logistic' || name === 'svm' || name === 'random-forest';
    const r = createRegressor(name, name === 'random-forest' ? { nTrees: 10 } : {});
    await r.fit(Xtr, binary ? Btr : Ytr);
    const json = JSON.parse(JSON.stringify(r.toJSON())) as FittedRegressorJSON;
    const back = restoreRegressor(json);
    expect(back.name).toBe(name);
    expect(back.fitted).toBe(true);
    expect(Array.from(back.predict(Xte))).toEqual(Array.from(r.predict(Xte)));
    if (isProbabilisticRegressor(r) && isProbabilisticRegressor(back)) {
      expect(Array.from(back.predictProba(Xte))).toEqual(Array.from(r.predictProba(Xte)));
    }
    if (isLinearRegressor(r) && isLinearRegressor(back)) expect(Array.from(back.model.coef)).toEqual(Array.from(r.model.coef));
  });

  it('rejects foreign or damaged JSON', () => {
    expect(() => restoreRegressor({ format: 'x' } as unknown as FittedRegressorJSON)).toThrow(/format/);
    const bad = { format: 'causeway-regressor', version: 1, name: 'linear', kind: 'continuous', options: {}, p: 2, q: 1, linear: { coef: [1], intercept: [0] }, info: {} };
    expect(() => restoreRegressor(bad as FittedRegressorJSON)).toThrow(/coefficients/);
  });
});

describe('metrics equal sklearn metric functions', () => {
  it.each(fx.metricCases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const t = matrix(c.yTrue);
    const p = matrix(c.yPred);
    expect(rel(meanSquaredError(t, p), c.mse)).toBeLessThan(1e-12);
    expect(rel(r2Score(t, p), c.r2)).toBeLessThan(1e-12);
    if (c.accuracy) {
      expect(rel(accuracy(t, p), c.accuracy)).toBeLessThan(1e-12);
      const m = outputMetrics(Float32Array.from(c.yTrue.flat()), p.data, t.rows, t.cols, true);
      expect(rel(m.accuracy as Float64Array, c.accuracy)).toBeLessThan(1e-12);
      const layer = layerMetrics(t, p, 'binary');
      expect(layer.accuracy?.worst).toBe(Math.min(...c.accuracy));
      expect(layer.accuracy?.worstIndex).toBe(c.accuracy.indexOf(Math.min(...c.accuracy)));
    }
  });
});

describe('bad input', () => {
  it('names the matrix, row and column of a non-finite value', async () => {
    const X = { rows: 3, cols: 2, data: Float64Array.from([1, 2, 3, NaN, 5, 6]) };
    const Y = { rows: 3, cols: 1, data: Float64Array.from([1, 2, 3]) };
    await expect(Promise.resolve().then(() => createRegressor('linear').fit(X, Y))).rejects.toThrow(/X .*NaN.* row 1, column 1/);
    const Yinf = { rows: 3, cols: 1, data: Float64Array.from([1, Infinity, 3]) };
    await expect(Promise.resolve().then(() => createRegressor('ridge').fit({ ...X, data: Float64Array.from([1, 2, 3, 4, 5, 6]) }, Yinf))).rejects.toThrow(
      /Y .*Infinity.* row 1, column 0/,
    );
  });

  it('rejects mismatched shapes, too few rows, non-0/1 labels, wrong predict width, use before fit', async () => {
    const X = { rows: 3, cols: 2, data: Float64Array.from([1, 2, 3, 4, 5, 7]) };
    const fit = (name: Parameters<typeof createRegressor>[0], A: DenseMatrix, B: DenseMatrix) =>
      Promise.resolve().then(() => createRegressor(name).fit(A, B));
    await expect(fit('linear', X, { rows: 2, cols: 1, data: new Float64Array(2) })).rejects.toThrow(/3 rows but Y has 2/);
    await expect(fit('linear', { rows: 1, cols: 2, data: new Float64Array(2) }, { rows: 1, cols: 1, data: new Float64Array(1) })).rejects.toThrow(
      /at least 2 rows/,
    );
    await expect(fit('logistic', X, { rows: 3, cols: 1, data: Float64Array.from([0, 1, 2]) })).rejects.toThrow(/0\/1/);
    await expect(fit('lasso', { rows: 3, cols: 2, data: new Float64Array(5) }, { rows: 3, cols: 1, data: new Float64Array(3) })).rejects.toThrow(
      /5 values/,
    );
    const r = createRegressor('linear');
    expect(() => r.predict(X)).toThrow(/not fitted/);
    expect(() => r.toJSON()).toThrow(/not fitted/);
    await r.fit(Xtr, Ytr);
    expect(() => r.predict(X)).toThrow(/2 columns but the model was fitted on 12/);
  });

  it('validates options in one place', () => {
    expect(() => createRegressor('ridge', { C: 1 })).toThrow(/option "C" does not apply to the ridge/);
    expect(() => createRegressor('ridge', { alpha: -1 })).toThrow(/alpha must be/);
    expect(() => createRegressor('ridge', { selection: 'fixed' })).toThrow(/needs an alpha/);
    expect(() => createRegressor('ridge', { folds: [0, 0, 2] })).toThrow(/skip fold id 1/);
    expect(() => createRegressor('random-forest', { nTrees: 0 })).toThrow(/nTrees must be an integer ≥ 1/);
    expect(() => createRegressor('nope' as never)).toThrow(/unknown regressor/);
  });
});

describe('degenerate parents', () => {
  it('linear: a constant parent column gets coefficient 0; a duplicated column falls back to the pseudo-inverse', async () => {
    const n = fx.meta.nTrain;
    const p = 3;
    const X = { rows: n, cols: p, data: new Float64Array(n * p) };
    for (let i = 0; i < n; i++) {
      X.data[i * p] = fx.Xtrain[i][0];
      X.data[i * p + 1] = 7.5;
      X.data[i * p + 2] = fx.Xtrain[i][0]; // exact copy of column 0
    }
    const Y = { rows: n, cols: 1, data: Float64Array.from(fx.Ytrain.map((r) => r[0])) };
    const r = createRegressor('linear');
    await r.fit(X, Y);
    expect(r.model.coef[1]).toBe(0);
    // Minimum-norm split of the weight between the two equal columns, same fit as one column.
    expect(r.model.coef[0]).toBeCloseTo(r.model.coef[2], 8);
    const one = createRegressor('linear');
    await one.fit({ rows: n, cols: 1, data: Float64Array.from(fx.Xtrain.map((row) => row[0])) }, Y);
    expect(r.model.coef[0] + r.model.coef[2]).toBeCloseTo(one.model.coef[0], 8);
    expect((r as unknown as { info: { solver: string } }).info.solver).toBe('pseudo-inverse');
  });
});

describe('float32 products (the path large layers take)', () => {
  it('ridge and lasso with float32 Gram products stay close to the float64 fit', async () => {
    for (const [name, options, tol] of [
      ['ridge', {}, 1e-5],
      ['linear', {}, 1e-4],
      ['lasso', { alpha: 0.3, tol: 1e-10, maxIter: 100_000 }, 1e-4],
    ] as const) {
      const a = createRegressor(name, { ...options, precision: 'float64' });
      const b = createRegressor(name, { ...options, precision: 'float32' });
      await a.fit(Xtr, Ytr);
      await b.fit(Xtr, Ytr);
      const err = rel(b.model.coef, a.model.coef);
      expect(err).toBeLessThan(tol);
    }
  });

  it('logistic and svm with float32 products agree with float64 (coef within 1e-3, ≥ 99% of predictions)', async () => {
    for (const name of ['logistic', 'svm'] as const) {
      const a = createRegressor(name, { precision: 'float64' });
      const b = createRegressor(name, { precision: 'float32' });
      await a.fit(Xtr, Btr);
      await b.fit(Xtr, Btr);
      const err = rel(b.model.coef, a.model.coef);
      expect(err).toBeLessThan(1e-3);
      const pa = a.predict(Xte);
      const pb = b.predict(Xte);
      expect(pa.filter((v, i) => v === pb[i]).length / pa.length).toBeGreaterThanOrEqual(0.99);
    }
  });
});

describe('random forest on quantile bins (the path large nodes take)', () => {
  it('with 16 bins (nodes above 32 rows split on bins) test accuracy stays within 0.05 of sklearn', () => {
    const r = createRegressor('random-forest', { seed: 1, maxBins: 16 });
    r.fit(Xtr, Btr);
    const acc = accuracy(Bte, r.predict(Xte));
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(acc) - mean(fx.randomForest.accuracyTest))).toBeLessThan(0.05);
    const json = JSON.parse(JSON.stringify(r.toJSON())) as FittedRegressorJSON;
    expect(Array.from(restoreRegressor(json).predict(Xte))).toEqual(Array.from(r.predict(Xte)));
  });

  it('binned splits are exact for a column with few distinct values', () => {
    // One informative 0/1/2 feature: a single tree must separate it perfectly with bins or without.
    const n = 900;
    const X = { rows: n, cols: 1, data: Float64Array.from({ length: n }, (_, i) => i % 3) };
    const Y = { rows: n, cols: 1, data: Float64Array.from({ length: n }, (_, i) => (i % 3 === 1 ? 1 : 0)) };
    for (const maxBins of [4, 1024]) {
      const r = createRegressor('random-forest', { nTrees: 1, bootstrap: false, maxBins });
      r.fit(X, Y);
      expect(Array.from(r.predict(X))).toEqual(Array.from(Y.data));
    }
  });
});
