/**
 * Gram / cross products against a float64 plain-loop reference, on data with a large mean offset
 * (values ~ 1000 + N(0, 1)), where centering after a float32 product would cancel catastrophically.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/main/engine/backend.js';
import { createProductOperator, type DenseMatrix, gramAndCross, matMul } from '../../src/main/engine/matrix-products.js';
import { tf } from '../../src/main/engine/tf.js';
import { mulberry32 } from '../../src/main/data/seeded-random.js';

function gaussianMatrix(rows: number, cols: number, offset: number, seed: number): DenseMatrix {
  const rng = mulberry32(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const u = 1 - rng();
    const v = rng();
    data[i] = offset + (i % cols) * 0.5 + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return { rows, cols, data };
}

function centeredProducts(X: DenseMatrix, Y: DenseMatrix, rows?: number[]) {
  const idx = rows ?? Array.from({ length: X.rows }, (_, i) => i);
  const n = idx.length;
  const mean = (M: DenseMatrix) => {
    const m = new Float64Array(M.cols);
    for (const i of idx) for (let j = 0; j < M.cols; j++) m[j] += M.data[i * M.cols + j] / n;
    return m;
  };
  const mx = mean(X);
  const my = mean(Y);
  const p = X.cols;
  const q = Y.cols;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p * q);
  const yty = new Float64Array(q);
  for (const i of idx) {
    for (let a = 0; a < p; a++) {
      const xa = X.data[i * p + a] - mx[a];
      for (let b = 0; b < p; b++) xtx[a * p + b] += xa * (X.data[i * p + b] - mx[b]);
      for (let b = 0; b < q; b++) xty[a * q + b] += xa * (Y.data[i * q + b] - my[b]);
    }
    for (let b = 0; b < q; b++) yty[b] += (Y.data[i * q + b] - my[b]) ** 2;
  }
  return { xtx, xty, yty, mx, my };
}

function rel(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(ours[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / scale;
}

const X = gaussianMatrix(2500, 48, 1000, 1);
const Y = gaussianMatrix(2500, 9, 1000, 2);
const ref = centeredProducts(X, Y);

describe('gramAndCross', () => {
  it('float32 block products (TensorFlow.js) equal the float64 reference within 1e-6 after centering, and free every tensor', async () => {
    await initBackend();
    const before = tf.memory().numTensors;
    const g = await gramAndCross(X, Y, { precision: 'float32' });
    expect(tf.memory().numTensors).toBe(before);
    expect(g.precision).toBe('float32');
    expect(rel(g.xtx, ref.xtx)).toBeLessThan(1e-6);
    expect(rel(g.xty as Float64Array, ref.xty)).toBeLessThan(1e-6);
    expect(rel(g.yty as Float64Array, ref.yty)).toBeLessThan(1e-12);
    expect(rel(g.xCenter, ref.mx)).toBeLessThan(1e-13);
    for (let a = 0; a < X.cols; a++) for (let b = 0; b < a; b++) expect(g.xtx[a * X.cols + b]).toBe(g.xtx[b * X.cols + a]);
  });

  it('float64 path is exact to rounding', async () => {
    const g = await gramAndCross(X, Y, { precision: 'float64' });
    expect(g.precision).toBe('float64');
    expect(rel(g.xtx, ref.xtx)).toBeLessThan(1e-12);
    expect(rel(g.xty as Float64Array, ref.xty)).toBeLessThan(1e-12);
  });

  it('centering after a raw float32 product would lose the digits (why columns are centered first)', async () => {
    const raw = await gramAndCross(X, undefined, { precision: 'float32', center: false });
    const n = X.rows;
    const p = X.cols;
    const late = raw.xtx.map((v, k) => v - (raw.xSum[Math.floor(k / p)] * raw.xSum[k % p]) / n);
    expect(rel(late, ref.xtx)).toBeGreaterThan(1e-4);
  });

  it('row subsets and explicit centers (the k-fold pieces)', async () => {
    const rows = Array.from({ length: 700 }, (_, i) => (i * 3) % X.rows);
    const sub = centeredProducts(X, Y, rows);
    const g = await gramAndCross(X, Y, { rows, precision: 'float32', blockRows: 256 });
    expect(g.n).toBe(700);
    expect(rel(g.xtx, sub.xtx)).toBeLessThan(1e-6);
    expect(rel(g.xty as Float64Array, sub.xty)).toBeLessThan(1e-6);
    // Centering about other means: XᵀX about c = XᵀX about the mean + n (m − c)(m − c)ᵀ.
    const c = sub.mx.map((v) => v + 0.25);
    const cy = sub.my.map((v) => v - 0.5);
    const h = await gramAndCross(X, Y, { rows, center: { x: c, y: cy }, precision: 'float64' });
    expect(h.xtx[0]).toBeCloseTo(sub.xtx[0] + 700 * 0.25 ** 2, 6);
    expect(h.xty?.[0]).toBeCloseTo(sub.xty[0] + 700 * -0.25 * 0.5, 6);
    await expect(gramAndCross(X, Y, { rows: [X.rows] })).rejects.toThrow(/outside/);
  });

  it('rejects mismatched shapes', async () => {
    await expect(gramAndCross(X, { rows: 3, cols: 2, data: new Float64Array(6) })).rejects.toThrow(/rows/);
    await expect(gramAndCross({ rows: 2, cols: 2, data: new Float64Array(3) })).rejects.toThrow(/3 values/);
  });
});

describe('matMul and ProductOperator', () => {
  it('matMul (float32, transposed A over a long inner dimension) equals the float64 product', async () => {
    const A = gaussianMatrix(3000, 20, 0, 5);
    const B = gaussianMatrix(3000, 6, 0, 6);
    const before = tf.memory().numTensors;
    const f32 = await matMul(A, B, { transposeA: true, precision: 'float32' });
    const f64 = await matMul(A, B, { transposeA: true, precision: 'float64' });
    expect(tf.memory().numTensors).toBe(before);
    expect(f32.length).toBe(20 * 6);
    expect(rel(f32, f64)).toBeLessThan(1e-5);
    let s = 0;
    for (let i = 0; i < 3000; i++) s += A.data[i * 20 + 3] * B.data[i * 6 + 4];
    expect(f64[3 * 6 + 4]).toBeCloseTo(s, 9);
    await expect(matMul(A, B)).rejects.toThrow(/inner dimensions/);
  });

  it('ProductOperator: X·W and Xᵀ·R in both precisions; dispose frees its tensors', async () => {
    const A = gaussianMatrix(500, 12, 0, 7);
    const W = gaussianMatrix(12, 3, 0, 8).data as Float64Array;
    const R = gaussianMatrix(500, 3, 0, 9).data as Float64Array;
    const before = tf.memory().numTensors;
    const f32 = await createProductOperator(A, { precision: 'float32' });
    const f64 = await createProductOperator(A, { precision: 'float64' });
    expect(rel(f32.times(W, 3), f64.times(W, 3))).toBeLessThan(1e-5);
    expect(rel(f32.transposeTimes(R, 3), f64.transposeTimes(R, 3))).toBeLessThan(1e-5);
    f32.dispose();
    f64.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => f32.times(W, 3)).toThrow(/after dispose/);
  });
});
