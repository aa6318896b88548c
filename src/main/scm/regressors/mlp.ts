/**
 * `mlp`: a small per-layer neural structural equation (METHODS §1 past the affine ceiling [ours]):
 *   ŷ = relu(x̃·W1 + b1)·W2 + x̃·Ws + b2   in standardized units (x̃, ỹ: z-scores of the training rows),
 * one hidden ReLU layer (default 64 units) beside a linear skip path, so the affine fit is inside the
 * family and the hidden units add what it misses. Trained with Adam on mini-batches of the squared
 * error plus an L2 penalty, 10% of the rows held out for early stopping (the best epoch's weights
 * are kept). Seeded (mulberry32), so fits are reproducible. Hand-written rather than TensorFlow.js:
 * the model is tiny, fitting runs in the build worker without tensor lifetimes, and predict must be
 * synchronous and cheap (it runs once per filter in a ranking).
 */
import { mulberry32, shuffleInPlace } from '../../data/seeded-random.js';
import type { MlpOptions } from './options.js';
import type { DenseMatrix, FittedRegressorJSON, MultiOutputRegressor } from './types.js';
import { checkFitInput, checkPredictInput, notFitted } from './validate.js';

interface MlpState {
  p: number;
  q: number;
  hidden: number;
  xMean: Float64Array;
  xScale: Float64Array;
  yMean: Float64Array;
  yScale: Float64Array;
  w1: Float64Array; // p×H
  b1: Float64Array; // H
  w2: Float64Array; // H×q
  ws: Float64Array; // p×q
  b2: Float64Array; // q
}

type Params = Pick<MlpState, 'w1' | 'b1' | 'w2' | 'ws' | 'b2'>;
const paramNames = ['w1', 'b1', 'w2', 'ws', 'b2'] as const;

export class MlpRegressor implements MultiOutputRegressor {
  readonly name = 'mlp' as const;
  readonly kind = 'continuous' as const;
  info: Record<string, unknown> = {};
  private state: MlpState | undefined;

  constructor(readonly options: MlpOptions) {}

  get fitted(): boolean {
    return this.state !== undefined;
  }

  fit(X: DenseMatrix, Y: DenseMatrix): void {
    const { n, p, q } = checkFitInput(X, Y, this.kind);
    const o = this.options;
    const H = o.hidden;
    const rng = mulberry32(o.seed);
    const { mean: xMean, scale: xScale } = standardizer(X);
    const { mean: yMean, scale: yScale } = standardizer(Y);
    const xs = standardized(X, xMean, xScale);
    const ys = standardized(Y, yMean, yScale);

    const order = shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), rng);
    const nValid = n >= 50 ? Math.max(1, Math.round(n * o.validationFraction)) : 0;
    const valid = order.subarray(0, nValid);
    const train = Int32Array.from(order.subarray(nValid));

    const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const params: Params = {
      w1: Float64Array.from({ length: p * H }, () => gauss() * Math.sqrt(2 / p)),
      b1: new Float64Array(H),
      w2: Float64Array.from({ length: H * q }, () => gauss() * Math.sqrt(1 / H) * 0.1),
      ws: new Float64Array(p * q),
      b2: new Float64Array(q),
    };
    const adam = Object.fromEntries(paramNames.map((k) => [k, { m: new Float64Array(params[k].length), v: new Float64Array(params[k].length) }])) as Record<
      (typeof paramNames)[number],
      { m: Float64Array; v: Float64Array }
    >;
    const grads: Params = {
      w1: new Float64Array(p * H),
      b1: new Float64Array(H),
      w2: new Float64Array(H * q),
      ws: new Float64Array(p * q),
      b2: new Float64Array(q),
    };
    const B = Math.min(o.batchSize, train.length);
    const hid = new Float64Array(B * H);
    const dOut = new Float64Array(B * q);
    const dHid = new Float64Array(B * H);
    let step = 0;
    let best = { loss: Number.POSITIVE_INFINITY, epoch: -1, params: cloneParams(params) };
    let epoch = 0;
    const beta1 = 0.9;
    const beta2 = 0.999;
    for (; epoch < o.maxEpochs; epoch++) {
      shuffleInPlace(train, rng);
      for (let start = 0; start + B <= train.length; start += B) {
        const rows = train.subarray(start, start + B);
        forward(params, xs, rows, p, H, q, hid, dOut);
        // dOut holds predictions; turn them into d(loss)/d(pred) = 2(ŷ − y)/(B·q).
        const g = 2 / (B * q);
        for (let b = 0; b < B; b++) {
          const yi = rows[b] * q;
          for (let k = 0; k < q; k++) dOut[b * q + k] = g * (dOut[b * q + k] - ys[yi + k]);
        }
        backward(params, grads, xs, rows, p, H, q, hid, dOut, dHid);
        step++;
        const lr = o.learningRate;
        const c1 = 1 - beta1 ** step;
        const c2 = 1 - beta2 ** step;
        for (const name of paramNames) {
          const w = params[name];
          const gr = grads[name];
          const { m, v } = adam[name];
          const decay = name === 'b1' || name === 'b2' ? 0 : o.l2;
          for (let i = 0; i < w.length; i++) {
            const gi = gr[i] + decay * w[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + 1e-8);
          }
        }
      }
      const monitor = nValid > 0 ? valid : train;
      const loss = meanSquared(params, xs, ys, monitor, p, H, q);
      if (loss < best.loss - 1e-6) best = { loss, epoch, params: cloneParams(params) };
      else if (epoch - best.epoch >= o.patience) break;
    }
    this.state = { p, q, hidden: H, xMean, xScale, yMean, yScale, ...best.params };
    this.info = { epochs: epoch + 1, bestEpoch: best.epoch + 1, validationRows: nValid, validationMse: best.loss, steps: step };
  }

  predict(X: DenseMatrix): Float64Array {
    const s = this.state;
    if (!s) throw notFitted(this.name);
    checkPredictInput(X, s.p);
    const { p, q, hidden: H } = s;
    const n = X.rows;
    const out = new Float64Array(n * q);
    const x = new Float64Array(p);
    const h = new Float64Array(H);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) x[j] = (X.data[i * p + j] - s.xMean[j]) / s.xScale[j];
      h.set(s.b1);
      for (let j = 0; j < p; j++) {
        const v = x[j];
        if (v === 0) continue;
        const r = j * H;
        for (let u = 0; u < H; u++) h[u] += v * s.w1[r + u];
      }
      const o = i * q;
      out.set(s.b2, o);
      for (let u = 0; u < H; u++) {
        const v = h[u];
        if (v <= 0) continue;
        const r = u * q;
        for (let k = 0; k < q; k++) out[o + k] += v * s.w2[r + k];
      }
      for (let j = 0; j < p; j++) {
        const v = x[j];
        if (v === 0) continue;
        const r = j * q;
        for (let k = 0; k < q; k++) out[o + k] += v * s.ws[r + k];
      }
      for (let k = 0; k < q; k++) out[o + k] = out[o + k] * s.yScale[k] + s.yMean[k];
    }
    return out;
  }

  toJSON(): FittedRegressorJSON {
    const s = this.state;
    if (!s) throw notFitted(this.name);
    return {
      format: 'causeway-regressor',
      version: 1,
      name: this.name,
      kind: this.kind,
      options: { ...this.options },
      p: s.p,
      q: s.q,
      mlp: {
        hidden: s.hidden,
        xMean: Array.from(s.xMean),
        xScale: Array.from(s.xScale),
        yMean: Array.from(s.yMean),
        yScale: Array.from(s.yScale),
        w1: Array.from(s.w1),
        b1: Array.from(s.b1),
        w2: Array.from(s.w2),
        ws: Array.from(s.ws),
        b2: Array.from(s.b2),
      },
      info: this.info,
    };
  }

  restoreState(json: FittedRegressorJSON): void {
    const m = json.mlp;
    const { p, q } = json;
    if (!m || !Number.isInteger(m.hidden) || m.hidden < 1) throw new RangeError('regressor JSON for mlp lacks its weights');
    const H = m.hidden;
    const sizes: [keyof typeof m, number][] = [
      ['xMean', p],
      ['xScale', p],
      ['yMean', q],
      ['yScale', q],
      ['w1', p * H],
      ['b1', H],
      ['w2', H * q],
      ['ws', p * q],
      ['b2', q],
    ];
    for (const [k, size] of sizes) {
      const a = m[k] as number[];
      if (!Array.isArray(a) || a.length !== size) throw new RangeError(`mlp JSON: ${k} must hold ${size} numbers`);
    }
    const f = (a: number[]) => Float64Array.from(a);
    this.state = { p, q, hidden: H, xMean: f(m.xMean), xScale: f(m.xScale), yMean: f(m.yMean), yScale: f(m.yScale), w1: f(m.w1), b1: f(m.b1), w2: f(m.w2), ws: f(m.ws), b2: f(m.b2) };
    this.info = json.info ?? {};
  }
}

function standardizer(M: DenseMatrix): { mean: Float64Array; scale: Float64Array } {
  const { rows: n, cols: c, data } = M;
  const mean = new Float64Array(c);
  const scale = new Float64Array(c);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) mean[k] += data[i * c + k];
  for (let k = 0; k < c; k++) mean[k] /= n;
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) scale[k] += (data[i * c + k] - mean[k]) ** 2;
  for (let k = 0; k < c; k++) {
    const sd = Math.sqrt(scale[k] / n);
    scale[k] = sd > 1e-12 ? sd : 1;
  }
  return { mean, scale };
}

function standardized(M: DenseMatrix, mean: Float64Array, scale: Float64Array): Float64Array {
  const c = M.cols;
  const out = new Float64Array(M.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (M.data[i] - mean[i % c]) / scale[i % c];
  return out;
}

function cloneParams(p: Params): Params {
  return { w1: p.w1.slice(), b1: p.b1.slice(), w2: p.w2.slice(), ws: p.ws.slice(), b2: p.b2.slice() };
}

/** Forward pass of `rows`: hidden activations (post-ReLU) into `hid`, predictions into `out`. */
function forward(w: Params, xs: Float64Array, rows: Int32Array, p: number, H: number, q: number, hid: Float64Array, out: Float64Array): void {
  for (let b = 0; b < rows.length; b++) {
    const xi = rows[b] * p;
    const hb = b * H;
    hid.set(w.b1, hb);
    for (let j = 0; j < p; j++) {
      const v = xs[xi + j];
      if (v === 0) continue;
      const r = j * H;
      for (let u = 0; u < H; u++) hid[hb + u] += v * w.w1[r + u];
    }
    const ob = b * q;
    out.set(w.b2, ob);
    for (let u = 0; u < H; u++) {
      let v = hid[hb + u];
      if (v < 0) v = hid[hb + u] = 0;
      if (v === 0) continue;
      const r = u * q;
      for (let k = 0; k < q; k++) out[ob + k] += v * w.w2[r + k];
    }
    for (let j = 0; j < p; j++) {
      const v = xs[xi + j];
      if (v === 0) continue;
      const r = j * q;
      for (let k = 0; k < q; k++) out[ob + k] += v * w.ws[r + k];
    }
  }
}

/** Gradients of the batch loss into `g`, from d(loss)/d(prediction) in `dOut`. */
function backward(w: Params, g: Params, xs: Float64Array, rows: Int32Array, p: number, H: number, q: number, hid: Float64Array, dOut: Float64Array, dHid: Float64Array): void {
  for (const k of paramNames) g[k].fill(0);
  dHid.fill(0);
  for (let b = 0; b < rows.length; b++) {
    const ob = b * q;
    const hb = b * H;
    const xi = rows[b] * p;
    for (let k = 0; k < q; k++) g.b2[k] += dOut[ob + k];
    for (let u = 0; u < H; u++) {
      const h = hid[hb + u];
      if (h === 0) continue; // ReLU off: no gradient to W2's row nor through the unit
      const r = u * q;
      let acc = 0;
      for (let k = 0; k < q; k++) {
        g.w2[r + k] += h * dOut[ob + k];
        acc += w.w2[r + k] * dOut[ob + k];
      }
      dHid[hb + u] = acc;
    }
    for (let j = 0; j < p; j++) {
      const v = xs[xi + j];
      if (v === 0) continue;
      const rq = j * q;
      for (let k = 0; k < q; k++) g.ws[rq + k] += v * dOut[ob + k];
      const rh = j * H;
      for (let u = 0; u < H; u++) g.w1[rh + u] += v * dHid[hb + u];
    }
    for (let u = 0; u < H; u++) g.b1[u] += dHid[hb + u];
  }
}

function meanSquared(w: Params, xs: Float64Array, ys: Float64Array, rows: Int32Array, p: number, H: number, q: number): number {
  const chunk = 256;
  const hid = new Float64Array(chunk * H);
  const out = new Float64Array(chunk * q);
  let sum = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.subarray(start, Math.min(rows.length, start + chunk));
    forward(w, xs, part, p, H, q, hid, out);
    for (let b = 0; b < part.length; b++) for (let k = 0; k < q; k++) sum += (out[b * q + k] - ys[part[b] * q + k]) ** 2;
  }
  return sum / (rows.length * q);
}
