import { createRegressor } from '../../src/main/scm/regressors/regressor.js';
import { mulberry32 } from '../../src/main/data/seeded-random.js';
const rng = mulberry32(1);
const n = 2000, p = 20, q = 5;
const X = new Float64Array(n * p).map(() => rng() * 2 - 1);
const Y = new Float64Array(n * q);
for (let i = 0; i < n; i++) for (let k = 0; k < q; k++) Y[i * q + k] = Math.sin(3 * X[i * p + k]) + X[i * p + k + 5] * X[i * p + k + 10] + 0.1 * (rng() - 0.5);
const tr = { rows: 1500, cols: p, data: X.subarray(0, 1500 * p) };
const te = { rows: 500, cols: p, data: X.subarray(1500 * p) };
for (const name of ['ridge', 'mlp'] as const) {
  const r = createRegressor(name);
  const t0 = performance.now();
  await r.fit(tr, { rows: 1500, cols: q, data: Y.subarray(0, 1500 * q) });
  const pr = r.predict(te);
  let se = 0, v = 0, m = 0;
  const yt = Y.subarray(1500 * q);
  for (const y of yt) m += y / yt.length;
  for (let i = 0; i < yt.length; i++) { se += (pr[i] - yt[i]) ** 2; v += (yt[i] - m) ** 2; }
  console.log(name, 'R2', (1 - se / v).toFixed(3), ((performance.now() - t0) / 1000).toFixed(2), 's', JSON.stringify((r as any).info).slice(0, 200));
}
