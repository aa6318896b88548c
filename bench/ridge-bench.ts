/**
 * Times the continuous structural-equation fits on one large layer: random 10,000 × 512 parents →
 * 512 children (dense, float32 like φ tables). Prints one JSON line per measurement:
 *   npx tsx bench/ridge-bench.ts [rows] [p] [q] [repeats]
 * Compare with bench/sklearn_ridge_bench.py (same shape, 2 BLAS threads) on the same machine.
 */
import { initBackend } from '../src/main/engine/backend.js';
import { gramAndCross } from '../src/main/engine/matrix-products.js';
import { mulberry32 } from '../src/main/data/seeded-random.js';
import { createRegressor, type DenseMatrix, type RegressorName, type RegressorOptions } from '../src/main/scm/regressors/index.js';

const [n, p, q, repeats] = [10_000, 512, 512, 3].map((d, i) => Number(process.argv[2 + i] ?? d));

function randomMatrix(rows: number, cols: number, seed: number): DenseMatrix {
  const rng = mulberry32(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng();
  return { rows, cols, data };
}

const X = randomMatrix(n, p, 1);
const Y = randomMatrix(n, q, 2);
const backend = await initBackend();
console.log(JSON.stringify({ bench: 'setup', rows: n, p, q, backend: backend.name, node: process.version }));

async function time(label: string, run: () => unknown | Promise<unknown>): Promise<void> {
  const seconds: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await run();
    seconds.push((performance.now() - t0) / 1000);
  }
  const best = Math.min(...seconds);
  console.log(JSON.stringify({ bench: label, rows: n, p, q, best_s: +best.toFixed(4), runs_s: seconds.map((s) => +s.toFixed(4)) }));
}

await time('gramAndCross float32', () => gramAndCross(X, Y, { precision: 'float32' }));
const fits: [string, RegressorName, RegressorOptions][] = [
  ['linear', 'linear', {}],
  ['ridge alpha=1', 'ridge', { alpha: 1 }],
  ['ridge alpha=1 standardize=false', 'ridge', { alpha: 1, standardize: false }],
  ['ridge gcv (25 alphas)', 'ridge', {}],
];
for (const [label, name, options] of fits) await time(label, () => createRegressor(name, options).fit(X, Y));
