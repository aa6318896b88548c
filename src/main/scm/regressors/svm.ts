/**
 * `svm`: a linear SVM like sklearn `LinearSVC` (squared hinge loss, L2 penalty, C = 1): minimize
 * ½(‖w‖² + b²) + C·Σᵢ max(0, 1 − ỹᵢ(xᵢ·w + b))², ỹ = ±1, one model per output. The intercept is
 * liblinear's: a bias column of value intercept_scaling = 1 appended to X, so the bias is penalized
 * like a weight. On standardized X by default (= sklearn `make_pipeline(StandardScaler(),
 * LinearSVC())`; coefficients are mapped back to original units). Two solvers of the same objective:
 *  - 'primal' (default): the lockstep L-BFGS of lbfgs-margin.ts, all outputs together, stopping at
 *    max |gradient of the mean objective| ≤ tol (1e-6). On SCM-shaped data (n ≫ p) liblinear's dual
 *    solver needs thousands of epochs (sklearn's defaults stop it at 1000 with a ConvergenceWarning,
 *    ~5% off the optimum here), which is why sklearn ≥ 1.3 picks the primal when n > p;
 *  - 'dual': liblinear's dual coordinate descent for L2-loss SVC (`solve_l2r_l1l2_svc`, with
 *    shrinking), stopping when the projected-gradient spread falls to tol (1e-4) or after maxIter
 *    epochs; the coordinate order is a seeded shuffle per epoch. O(n·p) per epoch and output.
 * Outputs whose training column is constant predict that constant.
 */
import { mulberry32 } from '../../data/seeded-random.js';
import { createProductOperator } from '../../engine/matrix-products.js';
import { lockstepLbfgs, squaredHingeLoss } from './lbfgs-margin.js';
import { LinearFamilyRegressor, standardizeRows, toOriginalUnits } from './linear-model.js';
import { constantIntercept } from './logistic.js';
import type { SvmOptions } from './options.js';
import type { DenseMatrix, LinearModel } from './types.js';
import { constantColumns } from './validate.js';

export class LinearSvm extends LinearFamilyRegressor {
  readonly name = 'svm' as const;
  readonly kind = 'binary' as const;

  constructor(override readonly options: SvmOptions) {
    super(options);
  }

  protected async fitLinear(X: DenseMatrix, Y: DenseMatrix): Promise<{ model: LinearModel; info: Record<string, unknown> }> {
    const o = this.options;
    const { rows: n, cols: p } = X;
    const q = Y.cols;
    const { mean, scale, Xs } = standardizeRows(X, o.standardize);
    const constant = constantColumns(Y);
    const B = new Float64Array(p * q);
    const b0 = new Float64Array(q);
    const iterations: number[] = [];
    const unconverged: number[] = [];
    const sign = new Float64Array(n);
    if (o.solver === 'primal') {
      const outputs = constant.flatMap((c, k) => (c === null ? [k] : []));
      constant.forEach((c, k) => {
        if (c !== null) b0[k] = c === 1 ? constantIntercept : -constantIntercept;
      });
      let precision = 'float64';
      if (outputs.length > 0) {
        const op = await createProductOperator({ rows: n, cols: p, data: Xs }, { precision: o.precision, expectedColumns: outputs.length });
        try {
          const r = lockstepLbfgs(op, Y, outputs, o, squaredHingeLoss);
          outputs.forEach((k, a) => {
            for (let j = 0; j < p; j++) B[j * q + k] = r.w[j * outputs.length + a];
            b0[k] = r.b[a];
          });
          iterations.push(r.iterations);
          unconverged.push(...r.unconverged.map((a) => outputs[a]));
          precision = op.precision;
        } finally {
          op.dispose();
        }
      }
      return {
        model: toOriginalUnits(B, scale, mean, b0),
        info: { C: o.C, solver: 'primal', iterations, unconvergedOutputs: unconverged, precision, constantOutputs: constant.flatMap((c, k) => (c === null ? [] : [k])) },
      };
    }
    for (let k = 0; k < q; k++) {
      const c = constant[k];
      if (c !== null) {
        b0[k] = c === 1 ? constantIntercept : -constantIntercept;
        iterations.push(0);
        continue;
      }
      for (let i = 0; i < n; i++) sign[i] = Y.data[i * q + k] === 1 ? 1 : -1;
      const r = dualCoordinateDescent(Xs, n, p, sign, o.C, o.tol, o.maxIter, (o.seed + k) >>> 0);
      for (let j = 0; j < p; j++) B[j * q + k] = r.w[j];
      b0[k] = r.w[p];
      iterations.push(r.iterations);
      if (!r.converged) unconverged.push(k);
    }
    return {
      model: toOriginalUnits(B, scale, mean, b0),
      info: { C: o.C, solver: 'dual', iterations, unconvergedOutputs: unconverged, constantOutputs: constant.flatMap((c, k) => (c === null ? [] : [k])) },
    };
  }
}

/**
 * Dual CD (liblinear's PGmin bookkeeping is dropped: it only serves the L1-loss upper bound C)
 * for min_w ½‖w‖² + C Σ max(0, 1 − yᵢ w·x̂ᵢ)², x̂ = [x, 1]. Returns w of length p + 1 (last: bias).
 */
export function dualCoordinateDescent(
  X: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  C: number,
  eps: number,
  maxIter: number,
  seed: number,
): { w: Float64Array; iterations: number; converged: boolean } {
  const w = new Float64Array(p + 1);
  const alpha = new Float64Array(n);
  const diag = 0.5 / C;
  const QD = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = diag + 1; // the bias feature contributes 1²
    for (let j = 0; j < p; j++) s += X[i * p + j] * X[i * p + j];
    QD[i] = s;
  }
  const index = Int32Array.from({ length: n }, (_, i) => i);
  const rng = mulberry32(seed);
  let activeSize = n;
  let pgMaxOld = Infinity;
  let iter = 0;
  let converged = false;
  while (iter < maxIter) {
    let pgMaxNew = -Infinity;
    let pgMinNew = Infinity;
    for (let i = 0; i < activeSize; i++) {
      const j = i + Math.floor(rng() * (activeSize - i));
      const tmp = index[i];
      index[i] = index[j];
      index[j] = tmp;
    }
    for (let s = 0; s < activeSize; s++) {
      const i = index[s];
      const yi = y[i];
      const xi = i * p;
      let wx = w[p];
      for (let j = 0; j < p; j++) wx += w[j] * X[xi + j];
      const G = yi * wx - 1 + alpha[i] * diag;
      let PG = 0;
      if (alpha[i] === 0) {
        if (G > pgMaxOld) {
          activeSize--;
          index[s] = index[activeSize];
          index[activeSize] = i;
          s--;
          continue;
        } else if (G < 0) PG = G;
      } else PG = G;
      pgMaxNew = Math.max(pgMaxNew, PG);
      pgMinNew = Math.min(pgMinNew, PG);
      if (Math.abs(PG) > 1e-12) {
        const old = alpha[i];
        alpha[i] = Math.max(old - G / QD[i], 0);
        const d = (alpha[i] - old) * yi;
        for (let j = 0; j < p; j++) w[j] += d * X[xi + j];
        w[p] += d;
      }
    }
    iter++;
    if (pgMaxNew - pgMinNew <= eps) {
      if (activeSize === n) {
        converged = true;
        break;
      }
      activeSize = n;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMaxNew;
    if (pgMaxOld <= 0) pgMaxOld = Infinity;
  }
  return { w, iterations: iter, converged };
}
