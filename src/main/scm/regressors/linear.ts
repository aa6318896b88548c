/**
 * `linear` (OLS) and `ridge` — all q outputs from one Gram pass (METHODS §1: one Gram matrix, many
 * right-hand sides), solved in float64.
 *
 * OLS: the centered normal equations (XcᵀXc) B = XcᵀYc, Jacobi-scaled to a unit diagonal (which does
 * not change the OLS solution but helps the pivots), solved by Cholesky. Constant columns get
 * coefficient 0. If a Cholesky pivot falls below 1e-10 (a column is a near-exact combination of
 * others), the solve falls back to the pseudo-inverse of the scaled Gram matrix (eigenvalues below
 * 1e-10 × the largest are dropped): the minimum-norm solution in scaled units, as sklearn's lstsq
 * gives in raw units — the two coincide whenever the solution is unique.
 *
 * Ridge: on standardized X by default (= sklearn `make_pipeline(StandardScaler(), Ridge(alpha))`;
 * with standardize=false it is plain `Ridge(alpha)`), alpha in the units of that Gram matrix (diagonal
 * n). alpha is fixed, or chosen on a grid (default 25 values, 1e-3 … 1e4) shared by all outputs by
 *  - gcv: generalized cross-validation GCV(α) = (1/n)‖y − ŷ‖² / (1 − tr(H)/n)², tr(H) = 1 + Σ sᵢ/(sᵢ+α)
 *    (the 1 is the intercept), averaged over outputs; from one eigendecomposition G = V diag(s) Vᵀ and
 *    Z = VᵀXᵀY: ‖y − ŷ‖² = ‖y‖² − Σᵢ zᵢ² (sᵢ + 2α)/(sᵢ + α)²;
 *  - kfold: mean over folds of the held-out MSE (averaged over outputs), each fold standardized on
 *    its training rows like a Pipeline in GridSearchCV. The folds' error sums come from per-fold Gram
 *    matrices, so X is read once, but each (fold, α) costs O(p²q): slow for 512→512 layers.
 */
import { gramAndCross } from '../../engine/matrix-products.js';
import { mulberry32, shuffleInPlace } from '../../data/seeded-random.js';
import { cholesky, choleskySolveInPlace, gemm, gemmTN, symmetricEigen } from './linalg.js';
import { LinearFamilyRegressor, type CenteredSystem, centeredSystem, toOriginalUnits } from './linear-model.js';
import type { LinearOptions, RidgeOptions } from './options.js';
import type { DenseMatrix, LinearModel } from './types.js';

const olsPivot = 1e-10;
const pinvCutoff = 1e-10;

export class LinearRegression extends LinearFamilyRegressor {
  readonly name = 'linear' as const;
  readonly kind = 'continuous' as const;

  constructor(override readonly options: LinearOptions) {
    super(options);
  }

  protected async fitLinear(X: DenseMatrix, Y: DenseMatrix): Promise<{ model: LinearModel; info: Record<string, unknown> }> {
    // Unit-diagonal scaling: standardize = true, but the OLS solution does not depend on it.
    const sys = await centeredSystem(X, Y, true, this.options.precision);
    const { B, method } = solveShifted(sys, 0, olsPivot);
    return {
      model: toOriginalUnits(B, sys.scale, sys.xMean, sys.yMean),
      info: { solver: method, precision: sys.precision, constantColumns: constantList(sys) },
    };
  }
}

export class RidgeRegression extends LinearFamilyRegressor {
  readonly name = 'ridge' as const;
  readonly kind = 'continuous' as const;

  constructor(override readonly options: RidgeOptions) {
    super(options);
  }

  protected async fitLinear(X: DenseMatrix, Y: DenseMatrix): Promise<{ model: LinearModel; info: Record<string, unknown> }> {
    const o = this.options;
    const sys = await centeredSystem(X, Y, o.standardize, o.precision);
    if (o.selection === 'fixed') {
      const alpha = o.alpha as number;
      const { B, method } = solveShifted(sys, alpha, 0);
      return { model: this.toModel(sys, B), info: { alpha, solver: method, precision: sys.precision } };
    }
    if (o.selection === 'gcv') {
      const { alpha, scores, B } = gcvRidge(sys, o.alphas);
      return { model: this.toModel(sys, B), info: { alpha, selection: 'gcv', alphas: o.alphas, scores, precision: sys.precision } };
    }
    const { alpha, scores } = await kfoldRidgeScores(X, Y, o);
    const { B, method } = solveShifted(sys, alpha, 0);
    return {
      model: this.toModel(sys, B),
      info: { alpha, selection: 'kfold', alphas: o.alphas, scores, solver: method, precision: sys.precision },
    };
  }

  private toModel(sys: CenteredSystem, B: Float64Array): LinearModel {
    return toOriginalUnits(B, sys.scale, sys.xMean, sys.yMean);
  }
}

function constantList(sys: CenteredSystem): number[] {
  const out: number[] = [];
  sys.constant.forEach((c, j) => c && out.push(j));
  return out;
}

/**
 * Solves (G + alpha·I) B = C for the system's standardized G (constant columns removed: coefficient 0)
 * by Cholesky; falls back to the pseudo-inverse when a pivot is below `pivot` × its diagonal.
 */
function solveShifted(sys: CenteredSystem, alpha: number, pivot: number): { B: Float64Array; method: 'cholesky' | 'pseudo-inverse' } {
  const { p, q, constant } = sys;
  const A = Float64Array.from(sys.G);
  const B = Float64Array.from(sys.C);
  for (let j = 0; j < p; j++) {
    if (constant[j]) {
      for (let k = 0; k < p; k++) {
        A[j * p + k] = 0;
        A[k * p + j] = 0;
      }
      A[j * p + j] = 1;
      B.fill(0, j * q, (j + 1) * q);
    } else {
      A[j * p + j] += alpha;
    }
  }
  const L = cholesky(A, p, Math.max(pivot, 1e-14));
  if (L) {
    choleskySolveInPlace(L, p, B, q);
    return { B, method: 'cholesky' };
  }
  const { values, vectors } = symmetricEigen(A, p);
  const top = Math.max(...values);
  const Z = gemmTN(vectors, p, p, B, q);
  for (let i = 0; i < p; i++) {
    const s = values[i];
    const inv = s > pinvCutoff * top ? 1 / s : 0;
    for (let k = 0; k < q; k++) Z[i * q + k] *= inv;
  }
  const out = gemm(vectors, p, p, Z, q);
  for (let j = 0; j < p; j++) if (constant[j]) out.fill(0, j * q, (j + 1) * q);
  return { B: out, method: 'pseudo-inverse' };
}

/** GCV over the grid from one eigendecomposition; returns the chosen alpha, its scores and the coefficients. */
export function gcvRidge(sys: CenteredSystem, alphas: readonly number[]): { alpha: number; scores: number[]; B: Float64Array } {
  const { n, p, q } = sys;
  const { values, vectors } = symmetricEigen(sys.G, p);
  const s = values.map((v) => Math.max(v, 0));
  const Z = gemmTN(vectors, p, p, sys.C, q);
  const z2 = Z.map((v) => v * v);
  const scores = alphas.map((alpha) => gcvScore(s, z2, sys.yy, n, q, alpha));
  let best = 0;
  for (let a = 1; a < alphas.length; a++) if (scores[a] < scores[best]) best = a;
  const alpha = alphas[best];
  const W = new Float64Array(p * q);
  for (let i = 0; i < p; i++) {
    const inv = 1 / (s[i] + alpha);
    for (let k = 0; k < q; k++) W[i * q + k] = Z[i * q + k] * inv;
  }
  return { alpha, scores, B: gemm(vectors, p, p, W, q) };
}

function gcvScore(s: Float64Array, z2: Float64Array, yy: Float64Array, n: number, q: number, alpha: number): number {
  const p = s.length;
  let df = 1;
  for (let i = 0; i < p; i++) df += s[i] / (s[i] + alpha);
  const denominator = (1 - df / n) ** 2;
  if (!(denominator > 0) || df >= n) return Infinity;
  let total = 0;
  const rss = Float64Array.from(yy);
  for (let i = 0; i < p; i++) {
    const f = (s[i] + 2 * alpha) / (s[i] + alpha) ** 2;
    const zi = i * q;
    for (let k = 0; k < q; k++) rss[k] -= z2[zi + k] * f;
  }
  for (let k = 0; k < q; k++) total += Math.max(rss[k], 0) / n / denominator;
  return total / q;
}

/** Fold id per row: explicit, or a seeded shuffle cut into k nearly equal parts (like KFold(shuffle=True)). */
export function foldAssignment(n: number, folds: number | readonly number[], seed: number): Int32Array {
  if (typeof folds !== 'number') {
    if (folds.length !== n) throw new RangeError(`explicit folds give ${folds.length} fold ids for ${n} rows`);
    return Int32Array.from(folds);
  }
  if (folds > n) throw new RangeError(`cannot make ${folds} folds from ${n} rows`);
  const order = shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), mulberry32(seed));
  const ids = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < folds; f++) {
    const size = Math.floor(n / folds) + (f < n % folds ? 1 : 0);
    for (let i = start; i < start + size; i++) ids[order[i]] = f;
    start += size;
  }
  return ids;
}

/** k-fold CV scores (mean over folds of the held-out MSE over all outputs) for every alpha of the grid. */
export async function kfoldRidgeScores(
  X: DenseMatrix,
  Y: DenseMatrix,
  o: RidgeOptions,
): Promise<{ alpha: number; scores: number[] }> {
  const n = X.rows;
  const p = X.cols;
  const q = Y.cols;
  const ids = foldAssignment(n, o.folds, o.seed);
  const k = Math.max(...ids) + 1;
  const mx = columnMeans(X);
  const my = columnMeans(Y);
  const parts = [];
  for (let f = 0; f < k; f++) {
    const rows: number[] = [];
    ids.forEach((id, i) => id === f && rows.push(i));
    if (rows.length === 0) throw new RangeError(`fold ${f} has no rows`);
    if (rows.length === n) throw new RangeError(`fold ${f} holds every row: nothing is left to train on`);
    const g = await gramAndCross(X, Y, { rows, center: { x: mx, y: my }, precision: o.precision });
    const sx = g.xSum.map((v, j) => v - g.n * mx[j]);
    const sy = (g.ySum as Float64Array).map((v, j) => v - g.n * my[j]);
    parts.push({ n: g.n, G: g.xtx, C: g.xty as Float64Array, yy: g.yty as Float64Array, sx, sy });
  }
  const total = {
    G: sumArrays(parts.map((t) => t.G)),
    C: sumArrays(parts.map((t) => t.C)),
    sx: sumArrays(parts.map((t) => t.sx)),
    sy: sumArrays(parts.map((t) => t.sy)),
  };
  const scores = new Array<number>(o.alphas.length).fill(0);
  for (const fold of parts) {
    const nt = n - fold.n;
    const dx = total.sx.map((v, j) => (v - fold.sx[j]) / nt);
    const dy = total.sy.map((v, j) => (v - fold.sy[j]) / nt);
    // Training Gram and cross products about the training means.
    const GT = new Float64Array(p * p);
    const CT = new Float64Array(p * q);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) GT[i * p + j] = total.G[i * p + j] - fold.G[i * p + j] - nt * dx[i] * dx[j];
      for (let j = 0; j < q; j++) CT[i * q + j] = total.C[i * q + j] - fold.C[i * q + j] - nt * dx[i] * dy[j];
    }
    const scale = new Float64Array(p).fill(1);
    if (o.standardize) {
      const eps = Number.EPSILON;
      for (let j = 0; j < p; j++) {
        const variance = Math.max(GT[j * p + j], 0) / nt;
        const mean = mx[j] + dx[j];
        if (!(variance <= nt * eps * variance + (nt * mean * eps) ** 2)) scale[j] = Math.sqrt(variance);
      }
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) GT[i * p + j] /= scale[i] * scale[j];
        for (let j = 0; j < q; j++) CT[i * q + j] /= scale[i];
      }
    }
    const { values, vectors } = symmetricEigen(GT, p);
    const s = values.map((v) => Math.max(v, 0));
    const Z = gemmTN(vectors, p, p, CT, q);
    // P = Vᵀ D⁻¹: β = D⁻¹ V W = Pᵀ W.
    const P = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) P[i * p + j] = vectors[j * p + i] / scale[j];
    const PG = gemm(P, p, p, fold.G, p);
    const M = new Float64Array(p * p); // P G_f Pᵀ
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let acc = 0;
        for (let t = 0; t < p; t++) acc += PG[i * p + t] * P[j * p + t];
        M[i * p + j] = acc;
      }
    }
    const Q = gemm(P, p, p, fold.C, q);
    const u = gemm(P, p, p, fold.sx, 1);
    const e0 = gemm(P, p, p, dx, 1);
    o.alphas.forEach((alpha, a) => {
      const W = new Float64Array(p * q);
      for (let i = 0; i < p; i++) {
        const inv = 1 / (s[i] + alpha);
        for (let j = 0; j < q; j++) W[i * q + j] = Z[i * q + j] * inv;
      }
      const MW = gemm(M, p, p, W, q);
      let err = 0;
      for (let j = 0; j < q; j++) {
        let quad = 0;
        let lin = 0;
        let su = 0;
        let se = 0;
        for (let i = 0; i < p; i++) {
          const w = W[i * q + j];
          quad += w * MW[i * q + j];
          lin += w * Q[i * q + j];
          su += w * u[i];
          se += w * e0[i];
        }
        const sres = fold.sy[j] - su; // Σ over the fold of (a − dᵀβ)
        const e = dy[j] - se; // ȳ_T − ȳ − (x̄_T − x̄)ᵀβ
        err += Math.max(fold.yy[j] - 2 * lin + quad - 2 * e * sres + fold.n * e * e, 0);
      }
      scores[a] += err / (fold.n * q) / k;
    });
  }
  let best = 0;
  for (let a = 1; a < scores.length; a++) if (scores[a] < scores[best]) best = a;
  return { alpha: o.alphas[best], scores };
}

function columnMeans(M: DenseMatrix): Float64Array {
  const out = new Float64Array(M.cols);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) out[j] += M.data[i * M.cols + j];
  return out.map((v) => v / M.rows);
}

function sumArrays(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(arrays[0].length);
  for (const a of arrays) for (let i = 0; i < a.length; i++) out[i] += a[i];
  return out;
}
