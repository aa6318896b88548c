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

/** Solves (LLᵀ) X = B in place for the p×q right-hand sides B (row-major). */
export function choleskySolveInPlace(L: Float64Array, p: number, B: Float64Array, q: number): void {
  // Forward: L Z = B, row by row; the inner loops run over the q contiguous right-hand sides.
  for (let i = 0; i < p; i++) {
    const bi = i * q;
    const li = i * p;
    for (let k = 0; k < i; k++) {
      const l = L[li + k];
      if (l === 0) continue;
      const bk = k * q;
      for (let j = 0; j < q; j++) B[bi + j] -= l * B[bk + j];
    }
    const inv = 1 / L[li + i];
    for (let j = 0; j < q; j++) B[bi + j] *= inv;
  }
  // Backward: Lᵀ X = Z.
  for (let i = p - 1; i >= 0; i--) {
    const bi = i * q;
    for (let k = i + 1; k < p; k++) {
      const l = L[k * p + i];
      if (l === 0) continue;
      const bk = k * q;
      for (let j = 0; j < q; j++) B[bi + j] -= l * B[bk + j];
    }
    const inv = 1 / L[i * p + i];
    for (let j = 0; j < q; j++) B[bi + j] *= inv;
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
