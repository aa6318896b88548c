/**
 * `lasso`: sklearn's objective (1/(2n))‖y − Xw − b‖² + α‖w‖₁ on standardized X (default; = sklearn
 * `make_pipeline(StandardScaler(), Lasso(alpha))`), by cyclic coordinate descent with covariance
 * (Gram) updates — sklearn's `enet_coordinate_descent_gram`: all outputs share XᵀX from one Gram pass,
 * each output runs its own descent. Stops like sklearn: after a sweep whose largest coefficient
 * change is below tol × the largest coefficient, when the duality gap is below tol·‖y − ȳ‖²
 * (or after maxIter sweeps).
 */
import { centeredSystem, LinearFamilyRegressor, toOriginalUnits } from './linear-model.js';
import type { LassoOptions } from './options.js';
import type { DenseMatrix, LinearModel } from './types.js';

export class LassoRegression extends LinearFamilyRegressor {
  readonly name = 'lasso' as const;
  readonly kind = 'continuous' as const;

  constructor(override readonly options: LassoOptions) {
    super(options);
  }

  protected async fitLinear(X: DenseMatrix, Y: DenseMatrix): Promise<{ model: LinearModel; info: Record<string, unknown> }> {
    const o = this.options;
    const sys = await centeredSystem(X, Y, o.standardize, o.precision);
    const { n, p, q, G, C, yy } = sys;
    const B = new Float64Array(p * q);
    const iterations: number[] = [];
    const gaps: number[] = [];
    let unconverged = 0;
    const w = new Float64Array(p);
    const c = new Float64Array(p);
    for (let k = 0; k < q; k++) {
      for (let j = 0; j < p; j++) c[j] = C[j * q + k];
      const r = lassoGram(G, c, yy[k], p, o.alpha * n, o.tol, o.maxIter, w);
      for (let j = 0; j < p; j++) B[j * q + k] = w[j];
      iterations.push(r.iterations);
      gaps.push(r.gap);
      if (!r.converged) unconverged++;
    }
    return {
      model: toOriginalUnits(B, sys.scale, sys.xMean, sys.yMean),
      info: { alpha: o.alpha, iterations, dualityGaps: gaps, unconvergedOutputs: unconverged, precision: sys.precision },
    };
  }
}

/**
 * Minimizes ½wᵀGw − cᵀw + l1‖w‖₁ (= ½‖y − Xw‖² + l1‖w‖₁ up to a constant, l1 = α·n) from w = 0;
 * writes the solution into `w`.
 */
export function lassoGram(
  G: Float64Array,
  c: Float64Array,
  yNorm2: number,
  p: number,
  l1: number,
  tol: number,
  maxIter: number,
  w: Float64Array,
): { iterations: number; gap: number; converged: boolean } {
  w.fill(0);
  const H = new Float64Array(p); // G·w
  const gapTol = tol * yNorm2;
  let gap = Infinity;
  for (let iter = 0; iter < maxIter; iter++) {
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < p; j++) {
      const gjj = G[j * p + j];
      if (gjj === 0) continue;
      const old = w[j];
      const row = j * p;
      if (old !== 0) for (let t = 0; t < p; t++) H[t] -= old * G[row + t];
      const tmp = c[j] - H[j];
      const next = Math.sign(tmp) * Math.max(Math.abs(tmp) - l1, 0) / gjj;
      w[j] = next;
      if (next !== 0) for (let t = 0; t < p; t++) H[t] += next * G[row + t];
      dwMax = Math.max(dwMax, Math.abs(next - old));
      wMax = Math.max(wMax, Math.abs(next));
    }
    if (wMax === 0 || dwMax / wMax < tol || iter === maxIter - 1) {
      gap = dualityGap(w, H, c, yNorm2, l1, p);
      if (gap < gapTol) return { iterations: iter + 1, gap, converged: true };
    }
  }
  return { iterations: maxIter, gap, converged: false };
}

function dualityGap(w: Float64Array, H: Float64Array, c: Float64Array, yNorm2: number, l1: number, p: number): number {
  let cw = 0;
  let wH = 0;
  let l1norm = 0;
  let dual = 0;
  for (let j = 0; j < p; j++) {
    cw += c[j] * w[j];
    wH += w[j] * H[j];
    l1norm += Math.abs(w[j]);
    dual = Math.max(dual, Math.abs(c[j] - H[j]));
  }
  const rNorm2 = Math.max(yNorm2 + wH - 2 * cw, 0);
  let scale = 1;
  let gap = rNorm2;
  if (dual > l1) {
    scale = l1 / dual;
    gap = 0.5 * (rNorm2 + rNorm2 * scale * scale);
  }
  return gap + l1 * l1norm - scale * yNorm2 + scale * cw;
}
