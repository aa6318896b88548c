/** A hand-made linear SCM (A → B → logits) with known coefficients, for closed-form checks. */
import type { FittedScm } from '../../src/main/scm/fitted-scm.js';
import type { DenseMatrix, FittedRegressorJSON, MultiOutputRegressor } from '../../src/main/scm/regressors/types.js';
import type { ScmLayer } from '../../src/main/scm/scm-structure.js';

export class FixedLinear implements MultiOutputRegressor {
  readonly name = 'linear' as const;
  readonly kind = 'continuous' as const;
  readonly fitted = true;
  constructor(
    readonly w: number[][],
    readonly b: number[],
  ) {}
  fit(): void {}
  predict(x: DenseMatrix): Float64Array {
    const q = this.b.length;
    const out = new Float64Array(x.rows * q);
    for (let i = 0; i < x.rows; i++)
      for (let j = 0; j < q; j++) {
        let s = this.b[j];
        for (let k = 0; k < x.cols; k++) s += x.data[i * x.cols + k] * this.w[k][j];
        out[i * q + j] = s;
      }
    return out;
  }
  toJSON(): FittedRegressorJSON {
    throw new Error('not needed');
  }
}

export const W1 = [
  [1, -0.5],
  [0.2, 1],
  [-1, 0.3],
];
export const B1 = [0.1, -0.2];
export const W2 = [
  [2, -1],
  [-1, 1.5],
];
export const B2 = [0, 0.05];

export const layers: ScmLayer[] = [
  { name: 'A', kind: 'conv', channels: 3, shape: [2, 2, 3], parents: [], exogenous: true },
  { name: 'B', kind: 'conv', channels: 2, shape: [1, 1, 2], parents: ['A'], exogenous: false },
  { name: 'L', kind: 'logits', channels: 2, shape: [2], parents: ['B'], exogenous: false },
];

export function linearScm(): FittedScm {
  return { phi: 'fro', regressor: 'linear', layers, equations: { B: new FixedLinear(W1, B1), L: new FixedLinear(W2, B2) } };
}

/** Observed rows: A's φ and (noisy) B's φ for n images. */
export const observedA = Float64Array.from([0.5, 1.2, 0.3, 1.0, 0.1, 0.9, 0.2, 0.8, 1.5, 1.1, 1.1, 0.4]);
export const observedB = Float64Array.from([0.3, 1.0, -0.2, 0.4, 0.9, 0.1, 0.5, 0.6]);
/** Observed logits (the network's own, so not exactly what the equations give from observed B). */
export const observedL = Float64Array.from([0.2, -0.1, -0.5, 0.9, 1.4, 0.2, 0.1, 0.3]);
export const labels = Int32Array.from([0, 1, 0, 1]);

export function affine(x: number[], w: number[][], b: number[]): number[] {
  return b.map((bj, j) => bj + x.reduce((s, xk, k) => s + xk * w[k][j], 0));
}
