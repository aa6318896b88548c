/** Plain-loop reference computations (no TensorFlow.js), independent of the engine under test. */

/** NHWC 'valid' convolution of one image [H,W,Cin] with kernel [kh,kw,Cin,Cout] + bias. */
export function conv2dValid(
  x: Float32Array,
  [h, w, cin]: number[],
  kernel: Float32Array,
  [kh, kw, , cout]: number[],
  bias: Float32Array,
): { values: Float64Array; shape: number[] } {
  const oh = h - kh + 1;
  const ow = w - kw + 1;
  const out = new Float64Array(oh * ow * cout);
  for (let i = 0; i < oh; i++)
    for (let j = 0; j < ow; j++)
      for (let o = 0; o < cout; o++) {
        let s = bias[o];
        for (let a = 0; a < kh; a++)
          for (let b = 0; b < kw; b++)
            for (let c = 0; c < cin; c++) s += x[((i + a) * w + (j + b)) * cin + c] * kernel[((a * kw + b) * cin + c) * cout + o];
        out[(i * ow + j) * cout + o] = s;
      }
  return { values: out, shape: [oh, ow, cout] };
}

export function relu(values: Float64Array): Float64Array {
  return values.map((v) => Math.max(0, v));
}

/** φ of every channel of one [H,W,C] map: fro, mean, max, population std. */
export function phiOfMap(values: ArrayLike<number>, [h, w, c]: number[]) {
  const fro: number[] = [];
  const mean: number[] = [];
  const max: number[] = [];
  const std: number[] = [];
  for (let k = 0; k < c; k++) {
    let ss = 0;
    let s = 0;
    let m = -Infinity;
    for (let p = 0; p < h * w; p++) {
      const v = values[p * c + k];
      ss += v * v;
      s += v;
      m = Math.max(m, v);
    }
    const mu = s / (h * w);
    let dev = 0;
    for (let p = 0; p < h * w; p++) dev += (values[p * c + k] - mu) ** 2;
    fro.push(Math.sqrt(ss));
    mean.push(mu);
    max.push(m);
    std.push(Math.sqrt(dev / (h * w)));
  }
  return { fro, mean, max, std };
}

export function globalAverage(values: Float64Array, [h, w, c]: number[]): Float64Array {
  const out = new Float64Array(c);
  for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) out[k] += values[p * c + k] / (h * w);
  return out;
}

export function denseForward(x: Float64Array, kernel: Float32Array, bias: Float32Array, units: number): Float64Array {
  const out = new Float64Array(units);
  for (let o = 0; o < units; o++) {
    let s = bias[o];
    for (let i = 0; i < x.length; i++) s += x[i] * kernel[i * units + o];
    out[o] = s;
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
