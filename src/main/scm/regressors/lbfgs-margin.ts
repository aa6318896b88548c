/**
 * Lockstep L-BFGS for the binary linear models (logistic, svm primal): one model per output,
 * minimizing (C·Σᵢ loss(zᵢ, yᵢ) + ½‖w‖² [+ ½b² when the intercept is penalized]) / n with margins
 * z = X·w + b. All outputs iterate together, so every iteration costs two products over the whole
 * layer — U = X·D for the search directions and Xᵀ·R for the gradients — through the engine's
 * ProductOperator (float64 for small problems, TensorFlow.js float32 for large ones); each output's
 * strong-Wolfe line search (c1 = 1e-4, c2 = 0.9) then costs O(n) per trial, as the margins along the
 * direction are z + t·u. Memory 10. An output stops when the largest gradient entry is ≤ tol
 * (at least 1e-5 when the products run in float32, whose gradients are not more accurate than that).
 */
import type { ProductOperator } from '../../engine/matrix-products.js';
import type { DenseMatrix } from './types.js';

const memory = 10;

export interface MarginLoss {
  /** Loss of margin z for label y ∈ {0, 1}. */
  value(z: number, y: number): number;
  /** d loss / d z. */
  derivative(z: number, y: number): number;
  /** liblinear penalizes the bias (intercept_scaling column); LogisticRegression does not. */
  penalizeIntercept: boolean;
}

export const logisticLoss: MarginLoss = {
  value: (z, y) => softplus(z) - y * z,
  derivative: (z, y) => sigmoid(z) - y,
  penalizeIntercept: false,
};

/** Squared hinge max(0, 1 − ỹz)², ỹ = 2y − 1 (LinearSVC's default loss). */
export const squaredHingeLoss: MarginLoss = {
  value: (z, y) => {
    const m = 1 - (2 * y - 1) * z;
    return m > 0 ? m * m : 0;
  },
  derivative: (z, y) => {
    const s = 2 * y - 1;
    const m = 1 - s * z;
    return m > 0 ? -2 * s * m : 0;
  },
  penalizeIntercept: true,
};

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

interface OutputState {
  w: Float64Array; // p
  b: number;
  z: Float64Array; // n margins
  f: number;
  g: Float64Array; // p + 1 (last entry: intercept)
  s: Float64Array[];
  y: Float64Array[];
  rho: number[];
  done: boolean;
  converged: boolean;
}

/**
 * Lockstep L-BFGS over the outputs in `outputs` (columns of Y, 0/1). Returns w (p × outputs.length,
 * row-major) and b, in the units of the operator's X.
 */
export function lockstepLbfgs(
  op: ProductOperator,
  Y: DenseMatrix,
  outputs: number[],
  o: { C: number; tol: number; maxIter: number },
  lossFn: MarginLoss,
): { w: Float64Array; b: Float64Array; iterations: number; unconverged: number[] } {
  const n = op.rows;
  const p = op.cols;
  const q = Y.cols;
  const m = outputs.length;
  const labels = outputs.map((k) => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = Y.data[i * q + k];
    return col;
  });
  const C = o.C;
  const tol = op.precision === 'float32' ? Math.max(o.tol, 1e-5) : o.tol;
  const bReg = lossFn.penalizeIntercept ? 1 : 0;
  const objective = (z: Float64Array, w: Float64Array, b: number, label: Float64Array): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) loss += lossFn.value(z[i], label[i]);
    let reg = bReg * b * b;
    for (let j = 0; j < p; j++) reg += w[j] * w[j];
    return (C * loss + 0.5 * reg) / n;
  };
  const states: OutputState[] = labels.map((label) => {
    const z = new Float64Array(n);
    const w = new Float64Array(p);
    return { w, b: 0, z, f: objective(z, w, 0, label), g: new Float64Array(p + 1), s: [], y: [], rho: [], done: false, converged: false };
  });
  gradients(op, states, labels, C, n, p, lossFn);
  for (const st of states) if (maxAbs(st.g) <= tol) st.done = st.converged = true;

  let iterations = 0;
  while (iterations < o.maxIter) {
    const live = states.flatMap((st, a) => (st.done ? [] : [a]));
    if (live.length === 0) break;
    iterations++;
    // Directions from each output's memory (two-loop recursion).
    const dirs = live.map((a) => direction(states[a]));
    const Dw = new Float64Array(p * live.length);
    dirs.forEach((d, c) => {
      for (let j = 0; j < p; j++) Dw[j * live.length + c] = d[j];
    });
    const U = op.times(Dw, live.length);
    live.forEach((a, c) => {
      const st = states[a];
      const d = dirs[c];
      const u = new Float64Array(n);
      for (let i = 0; i < n; i++) u[i] = U[i * live.length + c] + d[p];
      const first = st.s.length === 0 && iterations === 1;
      const t = lineSearch(st, d, u, labels[a], C, n, p, first ? Math.min(1, 1 / Math.max(maxAbs(st.g), 1e-12)) : 1, lossFn);
      if (t === 0) {
        st.done = true; // no decrease possible at this precision
        return;
      }
      for (let j = 0; j < p; j++) st.w[j] += t * d[j];
      st.b += t * d[p];
      for (let i = 0; i < n; i++) st.z[i] += t * u[i];
      st.f = objective(st.z, st.w, st.b, labels[a]);
      st.s.push(d.map((v) => v * t));
    });
    const moved = live.filter((a) => !states[a].done);
    const oldG = moved.map((a) => Float64Array.from(states[a].g));
    gradients(
      op,
      moved.map((a) => states[a]),
      moved.map((a) => labels[a]),
      C,
      n,
      p,
      lossFn,
    );
    moved.forEach((a, c) => {
      const st = states[a];
      const yv = st.g.map((v, j) => v - oldG[c][j]);
      const sv = st.s[st.s.length - 1];
      let sy = 0;
      for (let j = 0; j <= p; j++) sy += sv[j] * yv[j];
      if (sy > 1e-14) {
        st.y.push(yv);
        st.rho.push(1 / sy);
      } else {
        st.s.pop();
      }
      if (st.s.length > memory) {
        st.s.shift();
        st.y.shift();
        st.rho.shift();
      }
      if (maxAbs(st.g) <= tol) st.done = st.converged = true;
    });
  }
  const w = new Float64Array(p * m);
  const b = new Float64Array(m);
  states.forEach((st, a) => {
    for (let j = 0; j < p; j++) w[j * m + a] = st.w[j];
    b[a] = st.b;
  });
  return { w, b, iterations, unconverged: states.flatMap((st, a) => (st.converged ? [] : [a])) };
}

/** Gradients of the mean objective for `states` (one product Xᵀ·R for all of them). */
function gradients(
  op: ProductOperator,
  states: OutputState[],
  labels: Float64Array[],
  C: number,
  n: number,
  p: number,
  lossFn: MarginLoss,
): void {
  const m = states.length;
  if (m === 0) return;
  const R = new Float64Array(n * m);
  const rSum = new Float64Array(m);
  states.forEach((st, c) => {
    const label = labels[c];
    for (let i = 0; i < n; i++) {
      const r = lossFn.derivative(st.z[i], label[i]);
      R[i * m + c] = r;
      rSum[c] += r;
    }
  });
  const XtR = op.transposeTimes(R, m);
  states.forEach((st, c) => {
    for (let j = 0; j < p; j++) st.g[j] = (C * XtR[j * m + c] + st.w[j]) / n;
    st.g[p] = (C * rSum[c] + (lossFn.penalizeIntercept ? st.b : 0)) / n;
  });
}

function direction(st: OutputState): Float64Array {
  const d = st.g.map((v) => -v);
  const k = st.s.length;
  if (k === 0) return d;
  const alpha = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    alpha[i] = st.rho[i] * dot(st.s[i], d);
    axpy(-alpha[i], st.y[i], d);
  }
  const gamma = dot(st.s[k - 1], st.y[k - 1]) / dot(st.y[k - 1], st.y[k - 1]);
  for (let j = 0; j < d.length; j++) d[j] *= gamma;
  for (let i = 0; i < k; i++) {
    const beta = st.rho[i] * dot(st.y[i], d);
    axpy(alpha[i] - beta, st.s[i], d);
  }
  if (dot(d, st.g) >= 0) {
    // Not a descent direction (stale memory): restart from steepest descent.
    st.s.length = st.y.length = st.rho.length = 0;
    return st.g.map((v) => -v);
  }
  return d;
}

/**
 * Strong-Wolfe line search along d (margins move by u per unit step): φ(t) and φ'(t) cost O(n + p).
 * Returns the step, or 0 when no decrease was found.
 */
function lineSearch(
  st: OutputState,
  d: Float64Array,
  u: Float64Array,
  label: Float64Array,
  C: number,
  n: number,
  p: number,
  t0: number,
  lossFn: MarginLoss,
): number {
  let wd = 0;
  let dd = 0;
  let ww = 0;
  for (let j = 0; j < p; j++) {
    wd += st.w[j] * d[j];
    dd += d[j] * d[j];
    ww += st.w[j] * st.w[j];
  }
  if (lossFn.penalizeIntercept) {
    wd += st.b * d[p];
    dd += d[p] * d[p];
    ww += st.b * st.b;
  }
  const phi = (t: number): [number, number] => {
    let loss = 0;
    let slope = 0;
    for (let i = 0; i < n; i++) {
      const z = st.z[i] + t * u[i];
      loss += lossFn.value(z, label[i]);
      slope += lossFn.derivative(z, label[i]) * u[i];
    }
    const reg = ww + 2 * t * wd + t * t * dd;
    return [(C * loss + 0.5 * reg) / n, (C * slope + wd + t * dd) / n];
  };
  const f0 = st.f;
  const g0 = dot(st.g, d);
  if (!(g0 < 0)) return 0;
  const c1 = 1e-4;
  const c2 = 0.9;
  let lo = 0;
  let flo = f0;
  let hi = Infinity;
  let t = t0;
  for (let trial = 0; trial < 60; trial++) {
    const [ft, gt] = phi(t);
    if (!(ft <= f0 + c1 * t * g0) || ft > flo) {
      hi = t;
    } else {
      if (Math.abs(gt) <= -c2 * g0) return t;
      if (gt > 0) hi = t;
      else {
        lo = t;
        flo = ft;
      }
    }
    t = Number.isFinite(hi) ? 0.5 * (lo + hi) : 2 * t;
    if (Number.isFinite(hi) && hi - lo <= 1e-16 * Math.max(1, hi)) break;
  }
  // No strong-Wolfe point found: take the best sufficient-decrease point seen, if any.
  return lo > 0 ? lo : 0;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
