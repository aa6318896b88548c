/**
 * Small dense float64 linear algebra for the regressors: Cholesky with many right-hand sides, a
 * symmetric eigendecomposition (ml-matrix's tred2/tql2), and row-major products. All matrices are
 * row-major Float64Arrays.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Lower Cholesky factor L of the symmetric p×p matrix A (A = LLᵀ), or null when a pivot falls to
 * `relativePivot` × its diagonal entry or below (A singular or too ill-conditioned for float64).
 */
export function cholesky(A: Float64Array, p: number, relativePivot = 1e-12): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const li = i * p;
    for (let j = 0; j <= i; j++) {
      const lj = j * p;
      let s = A[li + j];
      for (let k = 0; k < j; k++) s -= L[li + k] * L[lj + k];
      if (i === j) {
        const d = A[li + i];
        if (!(s > relativePivot * Math.abs(d)) || !(s > 0)) return null;
        L[li + i] = Math.sqrt(s);
      } else {
        L[li + j] = s / L[lj + j];
      }
    }
  }
  return L;
}

/**
 * Solves (LLᵀ) X = B in place for the p×q right-hand sides B (row-major). Four right-hand sides at a
 * time in dot-product form (scalar accumulators, L streamed once per four), ~2× faster in V8 than
 * row-axpy substitution for 512×512.
 */
export function choleskySolveInPlace(L: Float64Array, p: number, B: Float64Array, q: number): void {
  const Lt = new Float64Array(p * p); // Lᵀ row-major: row i of Lt holds column i of L
  for (let i = 0; i < p; i++) for (let k = 0; k <= i; k++) Lt[k * p + i] = L[i * p + k];
  const inv = new Float64Array(p);
  for (let i = 0; i < p; i++) inv[i] = 1 / L[i * p + i];
  const x0 = new Float64Array(p);
  const x1 = new Float64Array(p);
  const x2 = new Float64Array(p);
  const x3 = new Float64Array(p);
  for (let j0 = 0; j0 < q; j0 += 4) {
    const r = Math.min(4, q - j0);
    for (let i = 0; i < p; i++) {
      const bi = i * q + j0;
      x0[i] = B[bi];
      x1[i] = r > 1 ? B[bi + 1] : 0;
      x2[i] = r > 2 ? B[bi + 2] : 0;
      x3[i] = r > 3 ? B[bi + 3] : 0;
    }
    // Forward: L Z = B.
    for (let i = 0; i < p; i++) {
      const li = i * p;
      let s0 = x0[i];
      let s1 = x1[i];
      let s2 = x2[i];
      let s3 = x3[i];
      for (let k = 0; k < i; k++) {
        const l = L[li + k];
        s0 -= l * x0[k];
        s1 -= l * x1[k];
        s2 -= l * x2[k];
        s3 -= l * x3[k];
      }
      const d = inv[i];
      x0[i] = s0 * d;
      x1[i] = s1 * d;
      x2[i] = s2 * d;
      x3[i] = s3 * d;
    }
    // Backward: Lᵀ X = Z.
    for (let i = p - 1; i >= 0; i--) {
      const li = i * p;
      let s0 = x0[i];
      let s1 = x1[i];
      let s2 = x2[i];
      let s3 = x3[i];
      for (let k = i + 1; k < p; k++) {
        const l = Lt[li + k];
        s0 -= l * x0[k];
        s1 -= l * x1[k];
        s2 -= l * x2[k];
        s3 -= l * x3[k];
      }
      const d = inv[i];
      x0[i] = s0 * d;
      x1[i] = s1 * d;
      x2[i] = s2 * d;
      x3[i] = s3 * d;
    }
    for (let i = 0; i < p; i++) {
      const bi = i * q + j0;
      B[bi] = x0[i];
      if (r > 1) B[bi + 1] = x1[i];
      if (r > 2) B[bi + 2] = x2[i];
      if (r > 3) B[bi + 3] = x3[i];
    }
  }
}

/** Eigenvalues (ascending) and eigenvectors (column i of the row-major p×p `vectors`) of symmetric A. */
export function symmetricEigen(A: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const rows: number[][] = [];
  for (let i = 0; i < p; i++) rows.push(Array.from(A.subarray(i * p, (i + 1) * p)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = Float64Array.from(evd.realEigenvalues);
  const V = evd.eigenvectorMatrix;
  const vectors = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const row = V.getRow(i);
    for (let j = 0; j < p; j++) vectors[i * p + j] = row[j];
  }
  return { values, vectors };
}

/** A (m×k) · B (k×n), row-major. */
export function gemm(A: ArrayLike<number>, m: number, k: number, B: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const oi = i * n;
    const ai = i * k;
    for (let t = 0; t < k; t++) {
      const v = A[ai + t];
      if (v === 0) continue;
      const bt = t * n;
      for (let j = 0; j < n; j++) out[oi + j] += v * B[bt + j];
    }
  }
  return out;
}

/** Aᵀ · B with A k×m and B k×n, row-major; returns m×n. */
export function gemmTN(A: ArrayLike<number>, k: number, m: number, B: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let t = 0; t < k; t++) {
    const at = t * m;
    const bt = t * n;
    for (let i = 0; i < m; i++) {
      const v = A[at + i];
      if (v === 0) continue;
      const oi = i * n;
      for (let j = 0; j < n; j++) out[oi + j] += v * B[bt + j];
    }
  }
  return out;
}

/** Minimum positive entry of `values` (Infinity if none), like sklearn's `arrayfuncs.min_pos`. */
export function minPositive(values: ArrayLike<number>): number {
  let best = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > 0 && values[i] < best) best = values[i];
  return best;
}
