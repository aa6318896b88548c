/**
 * Matrix products for the structural-equation regressors (METHODS §1): the Gram matrix XᵀX and the
 * cross products XᵀY over all rows — the one O(n·p·(p+q)) cost of fitting a layer's equations — and
 * plain products for iterative fits.
 *
 * Large products run on TensorFlow.js `matMul` (float32) in blocks of rows; each block's product is
 * added into a float64 accumulator here, so the float32 rounding stays at the size of one block's sum
 * and does not grow with n. Columns are centered in float64 *before* they are rounded to float32, so a
 * large mean (φ = Frobenius norms are all positive) does not cancel. The wasm backend's matMul with
 * `transposeA` is ~40× slower than the plain form, so blocks are transposed here in JS.
 * Small products (work below `autoFloat32Work`) run in float64 JS loops, exactly.
 */
import { initBackend } from './backend.js';
import { tf } from './tf.js';

/** Row-major dense matrix. */
export interface DenseMatrix {
  rows: number;
  cols: number;
  data: Float64Array | Float32Array;
}

/** `auto`: float64 JS below `autoFloat32Work` multiply-adds, TensorFlow.js float32 above. */
export type ProductPrecision = 'auto' | 'float32' | 'float64';

/** Multiply-adds above which `auto` switches to float32 TensorFlow.js products (~0.03 s of JS). */
export const autoFloat32Work = 2 ** 25;

export interface GramOptions {
  /**
   * What to subtract from the columns first: `true` (default) the column means over the rows used, so
   * xtx = XcᵀXc and xty = XcᵀYc; `false` nothing (raw products); or explicit centers.
   */
  center?: boolean | { x: Float64Array; y?: Float64Array };
  /** Use only these rows (e.g. the training folds of a k-fold split). Default: all rows. */
  rows?: ArrayLike<number>;
  /** Rows per float32 block product (default 512: the float32 sum inside a block stays short; larger blocks are not faster on wasm). */
  blockRows?: number;
  precision?: ProductPrecision;
}

export interface GramResult {
  /** Rows used. */
  n: number;
  p: number;
  q: number;
  /** p×p row-major, symmetric: (X − c)ᵀ(X − c). */
  xtx: Float64Array;
  /** p×q row-major: (X − c)ᵀ(Y − d); present when Y was given. */
  xty?: Float64Array;
  /** q: Σ (y − d)² per column of Y (always float64 exact); present when Y was given. */
  yty?: Float64Array;
  /** p: raw column sums of X over the rows used. */
  xSum: Float64Array;
  /** q: raw column sums of Y. */
  ySum?: Float64Array;
  /** What was subtracted from X's columns (zeros when center = false). */
  xCenter: Float64Array;
  yCenter?: Float64Array;
  /** Which arithmetic ran the products. */
  precision: 'float32' | 'float64';
}

/**
 * XᵀX, XᵀY, column sums and Σy² in one pass over the rows (centered by default).
 * Y (n×q) is optional; with it the cross products come from the same block products as XᵀX.
 */
export async function gramAndCross(X: DenseMatrix, Y?: DenseMatrix, options: GramOptions = {}): Promise<GramResult> {
  checkShape('X', X);
  if (Y) {
    checkShape('Y', Y);
    if (Y.rows !== X.rows) throw new RangeError(`gramAndCross: X has ${X.rows} rows but Y has ${Y.rows}`);
  }
  const p = X.cols;
  const q = Y ? Y.cols : 0;
  const rows = options.rows ? Uint32Array.from(options.rows) : undefined;
  if (rows) for (const r of rows) if (!(r < X.rows)) throw new RangeError(`gramAndCross: row ${r} is outside 0..${X.rows - 1}`);
  const n = rows ? rows.length : X.rows;
  const rowAt = rows ? (i: number) => rows[i] : (i: number) => i;

  const xSum = columnSums(X, n, rowAt);
  const ySum = Y ? columnSums(Y, n, rowAt) : undefined;
  const center = options.center ?? true;
  let xCenter: Float64Array;
  let yCenter: Float64Array | undefined;
  if (center === true) {
    xCenter = xSum.map((s) => (n > 0 ? s / n : 0));
    yCenter = ySum?.map((s) => (n > 0 ? s / n : 0));
  } else if (center === false) {
    xCenter = new Float64Array(p);
    yCenter = Y ? new Float64Array(q) : undefined;
  } else {
    if (center.x.length !== p) throw new RangeError(`gramAndCross: center.x has ${center.x.length} values for ${p} columns`);
    xCenter = Float64Array.from(center.x);
    if (Y) {
      if (!center.y || center.y.length !== q) throw new RangeError(`gramAndCross: center.y must have ${q} values`);
      yCenter = Float64Array.from(center.y);
    }
  }

  const work = n * p * (p + q);
  const precision = resolvePrecision(options.precision, work);
  const { xtx, xty } =
    precision === 'float64'
      ? gramFloat64(X, Y, n, rowAt, xCenter, yCenter)
      : await gramFloat32(X, Y, n, rowAt, xCenter, yCenter, options.blockRows ?? 512);

  let yty: Float64Array | undefined;
  if (Y && yCenter) {
    yty = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      const o = rowAt(i) * q;
      for (let k = 0; k < q; k++) {
        const v = Y.data[o + k] - yCenter[k];
        yty[k] += v * v;
      }
    }
  }
  return { n, p, q, xtx, xty, yty, xSum, ySum, xCenter, yCenter, precision };
}

/**
 * A·B (or Aᵀ·B, A·Bᵀ) as a float64 row-major result. float32 TensorFlow.js products above the `auto`
 * threshold; a product over a long inner dimension (Aᵀ·B with A n×p) is blocked over n and summed in
 * float64 like `gramAndCross`.
 */
export async function matMul(
  A: DenseMatrix,
  B: DenseMatrix,
  options: { transposeA?: boolean; transposeB?: boolean; precision?: ProductPrecision; blockRows?: number } = {},
): Promise<Float64Array> {
  checkShape('A', A);
  checkShape('B', B);
  const a = options.transposeA ? transposed(A) : A;
  const b = options.transposeB ? transposed(B) : B;
  if (a.cols !== b.rows) {
    throw new RangeError(`matMul: inner dimensions differ (${a.rows}×${a.cols} · ${b.rows}×${b.cols})`);
  }
  const precision = resolvePrecision(options.precision, a.rows * a.cols * b.cols);
  if (precision === 'float64') return matMulFloat64(a, b);
  await initBackend();
  return matMulFloat32(a, b, options.blockRows ?? 512);
}

/**
 * X held for repeated products X·W and Xᵀ·R (iterative fits such as logistic regression). In float32
 * mode X and Xᵀ stay resident as tensors until `dispose()`.
 */
export interface ProductOperator {
  readonly rows: number;
  readonly cols: number;
  readonly precision: 'float32' | 'float64';
  /** X·W: W is cols×k row-major; returns rows×k. */
  times(W: Float64Array, k: number): Float64Array;
  /** Xᵀ·R: R is rows×k row-major; returns cols×k. */
  transposeTimes(R: Float64Array, k: number): Float64Array;
  dispose(): void;
}

/** `expectedColumns` (k of the later products) only steers the `auto` precision choice. */
export async function createProductOperator(
  X: DenseMatrix,
  options: { precision?: ProductPrecision; expectedColumns?: number } = {},
): Promise<ProductOperator> {
  checkShape('X', X);
  const { rows: n, cols: p } = X;
  const precision = resolvePrecision(options.precision, n * p * (options.expectedColumns ?? 1));
  if (precision === 'float64') {
    const xt = transposed(X);
    return {
      rows: n,
      cols: p,
      precision,
      times: (W, k) => matMulFloat64(X, { rows: p, cols: k, data: W }),
      transposeTimes: (R, k) => matMulFloat64(xt, { rows: n, cols: k, data: R }),
      dispose: () => undefined,
    };
  }
  await initBackend();
  const x32 = X.data instanceof Float32Array ? X.data : Float32Array.from(X.data);
  const xTensor = tf.tensor2d(x32, [n, p]);
  const xtTensor = tf.tensor2d(transposed({ rows: n, cols: p, data: x32 }).data as Float32Array, [p, n]);
  let disposed = false;
  const product = (left: typeof xTensor, right: Float64Array, inner: number, k: number) => {
    if (disposed) throw new Error('ProductOperator used after dispose()');
    if (right.length !== inner * k) throw new RangeError(`ProductOperator: right factor has ${right.length} values, expected ${inner}×${k}`);
    const r = tf.tensor2d(Float32Array.from(right), [inner, k]);
    try {
      const out = tf.matMul(left, r);
      try {
        return Float64Array.from(out.dataSync() as Float32Array);
      } finally {
        out.dispose();
      }
    } finally {
      r.dispose();
    }
  };
  return {
    rows: n,
    cols: p,
    precision,
    times: (W, k) => product(xTensor, W, p, k),
    transposeTimes: (R, k) => product(xtTensor, R, n, k),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      xTensor.dispose();
      xtTensor.dispose();
    },
  };
}

function resolvePrecision(precision: ProductPrecision | undefined, work: number): 'float32' | 'float64' {
  const p = precision ?? 'auto';
  if (p === 'auto') return work >= autoFloat32Work ? 'float32' : 'float64';
  if (p !== 'float32' && p !== 'float64') throw new RangeError(`precision must be auto, float32 or float64, got ${String(p)}`);
  return p;
}

function checkShape(name: string, M: DenseMatrix): void {
  if (!Number.isInteger(M.rows) || !Number.isInteger(M.cols) || M.rows < 0 || M.cols < 1) {
    throw new RangeError(`${name}: bad shape ${M.rows}×${M.cols}`);
  }
  if (M.data.length !== M.rows * M.cols) {
    throw new RangeError(`${name}: ${M.data.length} values for a ${M.rows}×${M.cols} matrix`);
  }
}

function columnSums(M: DenseMatrix, n: number, rowAt: (i: number) => number): Float64Array {
  const c = M.cols;
  const sums = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    const o = rowAt(i) * c;
    for (let j = 0; j < c; j++) sums[j] += M.data[o + j];
  }
  return sums;
}

function transposed(M: DenseMatrix): DenseMatrix {
  const { rows, cols } = M;
  const out = M.data instanceof Float32Array ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = M.data[o + j];
  }
  return { rows: cols, cols: rows, data: out };
}

/** float64: centered columns copied column-major, then dot products of contiguous columns. */
function gramFloat64(
  X: DenseMatrix,
  Y: DenseMatrix | undefined,
  n: number,
  rowAt: (i: number) => number,
  xCenter: Float64Array,
  yCenter: Float64Array | undefined,
): { xtx: Float64Array; xty?: Float64Array } {
  const p = X.cols;
  const q = Y ? Y.cols : 0;
  const xc = centeredColumns(X, n, rowAt, xCenter);
  const xtx = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const a = xc[j];
    for (let k = j; k < p; k++) {
      const b = xc[k];
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i] * b[i];
      xtx[j * p + k] = s;
      xtx[k * p + j] = s;
    }
  }
  if (!Y || !yCenter) return { xtx };
  const yc = centeredColumns(Y, n, rowAt, yCenter);
  const xty = new Float64Array(p * q);
  for (let j = 0; j < p; j++) {
    const a = xc[j];
    for (let k = 0; k < q; k++) {
      const b = yc[k];
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i] * b[i];
      xty[j * q + k] = s;
    }
  }
  return { xtx, xty };
}

function centeredColumns(M: DenseMatrix, n: number, rowAt: (i: number) => number, c: Float64Array): Float64Array[] {
  const cols = M.cols;
  const out = Array.from({ length: cols }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const o = rowAt(i) * cols;
    for (let j = 0; j < cols; j++) out[j][i] = M.data[o + j] - c[j];
  }
  return out;
}

/** float32 block products Xbᵀ·[Xb Yb] on TensorFlow.js, summed in float64. */
async function gramFloat32(
  X: DenseMatrix,
  Y: DenseMatrix | undefined,
  n: number,
  rowAt: (i: number) => number,
  xCenter: Float64Array,
  yCenter: Float64Array | undefined,
  blockRows: number,
): Promise<{ xtx: Float64Array; xty?: Float64Array }> {
  if (!(Number.isInteger(blockRows) && blockRows >= 1)) throw new RangeError(`blockRows must be a positive integer, got ${blockRows}`);
  await initBackend();
  const p = X.cols;
  const q = Y && yCenter ? Y.cols : 0;
  const w = p + q;
  const acc = new Float64Array(p * w);
  const xd = X.data;
  const yd = Y?.data;
  const block = Math.min(blockRows, Math.max(n, 1));
  const at = new Float32Array(p * block);
  const bz = new Float32Array(block * w);
  for (let r0 = 0; r0 < n; r0 += block) {
    const m = Math.min(block, n - r0);
    for (let i = 0; i < m; i++) {
      const row = rowAt(r0 + i);
      const xo = row * p;
      const bo = i * w;
      for (let j = 0; j < p; j++) {
        const v = xd[xo + j] - xCenter[j];
        at[j * m + i] = v;
        bz[bo + j] = v;
      }
      if (yd && yCenter) {
        const yo = row * q;
        for (let k = 0; k < q; k++) bz[bo + p + k] = yd[yo + k] - yCenter[k];
      }
    }
    const ta = tf.tensor2d(at.subarray(0, p * m), [p, m]);
    const tb = tf.tensor2d(bz.subarray(0, m * w), [m, w]);
    let prod: ReturnType<typeof tf.matMul> | undefined;
    try {
      prod = tf.matMul(ta, tb);
      const d = prod.dataSync() as Float32Array;
      for (let i = 0; i < d.length; i++) acc[i] += d[i];
    } finally {
      ta.dispose();
      tb.dispose();
      prod?.dispose();
    }
  }
  const xtx = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let k = j; k < p; k++) {
      const s = 0.5 * (acc[j * w + k] + acc[k * w + j]);
      xtx[j * p + k] = s;
      xtx[k * p + j] = s;
    }
  }
  if (!q) return { xtx };
  const xty = new Float64Array(p * q);
  for (let j = 0; j < p; j++) for (let k = 0; k < q; k++) xty[j * q + k] = acc[j * w + p + k];
  return { xtx, xty };
}

function matMulFloat64(A: DenseMatrix, B: DenseMatrix): Float64Array {
  const m = A.rows;
  const kk = A.cols;
  const nn = B.cols;
  const out = new Float64Array(m * nn);
  const a = A.data;
  const b = B.data;
  for (let i = 0; i < m; i++) {
    const oi = i * nn;
    const ai = i * kk;
    for (let k = 0; k < kk; k++) {
      const v = a[ai + k];
      if (v === 0) continue;
      const bk = k * nn;
      for (let j = 0; j < nn; j++) out[oi + j] += v * b[bk + j];
    }
  }
  return out;
}

/** A (m×k) · B (k×c) in float32; A's rows go in blocks, the inner dimension in blocks summed in float64. */
function matMulFloat32(A: DenseMatrix, B: DenseMatrix, blockRows: number): Float64Array {
  const m = A.rows;
  const kk = A.cols;
  const c = B.cols;
  const out = new Float64Array(m * c);
  const a32 = A.data instanceof Float32Array ? A.data : Float32Array.from(A.data);
  const b32 = B.data instanceof Float32Array ? B.data : Float32Array.from(B.data);
  // Inner dimension in chunks of blockRows, accumulated in float64.
  const innerBlock = Math.max(1, blockRows);
  for (let k0 = 0; k0 < kk; k0 += innerBlock) {
    const kb = Math.min(innerBlock, kk - k0);
    const aPart = new Float32Array(m * kb);
    for (let i = 0; i < m; i++) aPart.set(a32.subarray(i * kk + k0, i * kk + k0 + kb), i * kb);
    const ta = tf.tensor2d(aPart, [m, kb]);
    const tb = tf.tensor2d(b32.subarray(k0 * c, (k0 + kb) * c), [kb, c]);
    let prod: ReturnType<typeof tf.matMul> | undefined;
    try {
      prod = tf.matMul(ta, tb);
      const d = prod.dataSync() as Float32Array;
      for (let i = 0; i < d.length; i++) out[i] += d[i];
    } finally {
      ta.dispose();
      tb.dispose();
      prod?.dispose();
    }
  }
  return out;
}
