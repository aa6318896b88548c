/**
 * `lars`: least angle regression (Efron et al. 2004), sklearn `Lars` (method 'lar', precomputed
 * Gram), per output from one shared Gram pass, on standardized X by default (= sklearn
 * `make_pipeline(StandardScaler(), Lars(n_nonzero_coefs=maxFeatures))`). Each step adds the column
 * most correlated with the residual and moves the active coefficients along the equiangular
 * direction until another column ties; it stops after `maxFeatures` steps, when all columns are in,
 * or when the largest residual correlation / n falls to float32 epsilon. With every column active on
 * well-conditioned data (n > p) the path ends at the OLS solution. As sklearn, a column whose
 * Cholesky pivot falls below 1e-7 (collinear with the active set) is skipped.
 * Cost: O(p²) per step and output — p steps × q outputs make 512→512 layers slow (as in sklearn).
 */
import { centeredSystem, LinearFamilyRegressor, toOriginalUnits } from './linear-model.js';
import { minPositive } from './linalg.js';
import type { LarsOptions } from './options.js';
import type { DenseMatrix, LinearModel } from './types.js';

const float32Eps = 1.1920928955078125e-7;
const tiny32 = 1.1754943508222875e-38;

export class LarsRegression extends LinearFamilyRegressor {
  readonly name = 'lars' as const;
  readonly kind = 'continuous' as const;

  constructor(override readonly options: LarsOptions) {
    super(options);
  }

  protected async fitLinear(X: DenseMatrix, Y: DenseMatrix): Promise<{ model: LinearModel; info: Record<string, unknown> }> {
    const o = this.options;
    const sys = await centeredSystem(X, Y, o.standardize, o.precision);
    const { n, p, q, G, C } = sys;
    const B = new Float64Array(p * q);
    const steps: number[] = [];
    const c = new Float64Array(p);
    for (let k = 0; k < q; k++) {
      for (let j = 0; j < p; j++) c[j] = C[j * q + k];
      const { coef, iterations } = larsPath(G, c, p, n, o.maxFeatures);
      for (let j = 0; j < p; j++) B[j * q + k] = coef[j];
      steps.push(iterations);
    }
    return {
      model: toOriginalUnits(B, sys.scale, sys.xMean, sys.yMean),
      info: { maxFeatures: o.maxFeatures, steps, precision: sys.precision },
    };
  }
}

/** The LAR path's last coefficients for Gram G (p×p) and Xᵀy = c (both centered), after at most maxSteps steps. */
export function larsPath(G: Float64Array, c: Float64Array, p: number, n: number, maxSteps: number): { coef: Float64Array; iterations: number } {
  const maxFeatures = Math.min(maxSteps, p);
  const coef = new Float64Array(p);
  const cov = Float64Array.from(c); // current correlations Xᵀ(y − Xw) of every column
  const active: number[] = [];
  const isActive = new Uint8Array(p);
  const skipped = new Uint8Array(p);
  const sign: number[] = [];
  const L = new Float64Array(maxFeatures * maxFeatures); // Cholesky of G[active, active], row-major in maxFeatures
  let iterations = 0;
  for (;;) {
    // Largest |correlation| among inactive, not-skipped columns.
    let best = -1;
    let C = 0;
    for (let j = 0; j < p; j++) {
      if (isActive[j] || skipped[j]) continue;
      if (best < 0 || Math.abs(cov[j]) > C) {
        best = j;
        C = Math.abs(cov[j]);
      }
    }
    if (best < 0) C = 0;
    if (C / n <= float32Eps) break;
    if (iterations >= maxSteps || active.length >= maxFeatures) break;

    // Add `best`: extend the Cholesky factor of the active Gram block.
    const m = active.length;
    const row = new Float64Array(m);
    for (let t = 0; t < m; t++) row[t] = G[best * p + active[t]];
    for (let i = 0; i < m; i++) {
      let s = row[i];
      for (let t = 0; t < i; t++) s -= L[i * maxFeatures + t] * row[t];
      row[i] = s / L[i * maxFeatures + i];
    }
    let v = 0;
    for (let t = 0; t < m; t++) v += row[t] * row[t];
    const diag = Math.max(Math.sqrt(Math.abs(G[best * p + best] - v)), Number.EPSILON);
    if (diag < 1e-7) {
      // Collinear with the active set (sklearn warns and drops its correlation).
      skipped[best] = 1;
      continue;
    }
    for (let t = 0; t < m; t++) L[m * maxFeatures + t] = row[t];
    L[m * maxFeatures + m] = diag;
    active.push(best);
    isActive[best] = 1;
    sign.push(Math.sign(cov[best]) || 1);
    const k = active.length;

    // Equiangular direction: least_squares = (G_AA)⁻¹ sign, normalized by AA.
    let ls = choleskySolveVector(L, maxFeatures, k, sign);
    let dot = 0;
    for (let t = 0; t < k; t++) dot += ls[t] * sign[t];
    let AA = 1 / Math.sqrt(dot);
    if (!Number.isFinite(AA)) {
      for (let i = 0; !Number.isFinite(AA); i++) {
        const Lj = L.slice();
        for (let t = 0; t < k; t++) Lj[t * maxFeatures + t] += 2 ** i * Number.EPSILON;
        ls = choleskySolveVector(Lj, maxFeatures, k, sign);
        dot = 0;
        for (let t = 0; t < k; t++) dot += ls[t] * sign[t];
        AA = 1 / Math.sqrt(Math.max(dot, Number.EPSILON));
      }
    }
    for (let t = 0; t < k; t++) ls[t] *= AA;

    // Correlation of every inactive column with the direction; the step to the next tie.
    let gamma = C / AA;
    const corr = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      if (isActive[j] || skipped[j]) continue;
      let a = 0;
      for (let t = 0; t < k; t++) a += G[j * p + active[t]] * ls[t];
      corr[j] = a;
      const g1 = (C - cov[j]) / (AA - a + tiny32);
      const g2 = (C + cov[j]) / (AA + a + tiny32);
      if (g1 > 0 && g1 < gamma) gamma = g1;
      if (g2 > 0 && g2 < gamma) gamma = g2;
    }
    // A coefficient crossing zero flips its sign for the next direction (LAR keeps the column).
    const z = new Float64Array(k);
    for (let t = 0; t < k; t++) z[t] = -coef[active[t]] / (ls[t] + tiny32);
    const zPos = minPositive(z);
    if (zPos < gamma) for (let t = 0; t < k; t++) if (z[t] === zPos) sign[t] = -sign[t];

    iterations++;
    for (let t = 0; t < k; t++) coef[active[t]] += gamma * ls[t];
    for (let j = 0; j < p; j++) if (!isActive[j] && !skipped[j]) cov[j] -= gamma * corr[j];
    // The active correlations all shrink to C − γ·AA (kept for completeness; they are never re-chosen).
    for (let t = 0; t < k; t++) cov[active[t]] = sign[t] * (C - gamma * AA);
  }
  return { coef, iterations };
}

/** Solves (L Lᵀ) x = b for the leading k×k block of L (row stride `stride`). */
function choleskySolveVector(L: Float64Array, stride: number, k: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let t = 0; t < i; t++) s -= L[i * stride + t] * x[t];
    x[i] = s / L[i * stride + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let t = i + 1; t < k; t++) s -= L[t * stride + i] * x[t];
    x[i] = s / L[i * stride + i];
  }
  return x;
}
