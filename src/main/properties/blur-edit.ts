/**
 * Gaussian blur with σ = sigma·t pixels: separable, kernel radius round(3σ), edges mirrored
 * half-sample (d c b a | a b c d), as scipy.ndimage.gaussian_filter(mode='reflect', truncate=3),
 * each channel on its own. σ = 0 (t = 0) is the identity.
 */
import { type HwcImage, mapValues } from './hwc-image.js';
import type { EditKind } from './property-edit.js';

export const TRUNCATE = 3;

/** Normalized 1-D Gaussian taps for σ; radius = floor(TRUNCATE·σ + 0.5), as scipy. */
export function gaussianKernel(sigma: number): Float64Array {
  if (!(sigma > 0)) return Float64Array.of(1);
  const radius = Math.floor(TRUNCATE * sigma + 0.5);
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += taps[k + radius] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < taps.length; k++) taps[k] /= sum;
  return taps;
}

/** Half-sample symmetric reflection of an index into [0, n). */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - 1 - j;
  return j;
}

function convolveAxis(src: Float64Array, height: number, width: number, channels: number, taps: Float64Array, vertical: boolean): Float64Array {
  const out = new Float64Array(src.length);
  const radius = (taps.length - 1) / 2;
  const n = vertical ? height : width;
  // reflected source positions along the axis, once per (position, tap)
  const source = new Int32Array(n * taps.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < taps.length; k++) source[i * taps.length + k] = reflectIndex(i + k - radius, n);
  const stride = vertical ? width * channels : channels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = vertical ? y : x;
      const lineStart = vertical ? x * channels : y * width * channels;
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < taps.length; k++) acc += taps[k] * src[lineStart + source[along * taps.length + k] * stride + c];
        out[o + c] = acc;
      }
    }
  }
  return out;
}

export function gaussianBlur(image: HwcImage, sigma: number): Float32Array {
  const taps = gaussianKernel(sigma);
  if (taps.length === 1) return mapValues(image, (v) => v);
  const { height, width, channels } = image;
  const rows = convolveAxis(Float64Array.from(image.data), height, width, channels, taps, true);
  const both = convolveAxis(rows, height, width, channels, taps, false);
  return mapValues(image, (_, i) => both[i]);
}

export const blur: EditKind = {
  name: 'blur',
  description: 'Gaussian blur with σ = sigma·t pixels (mirrored edges)',
  params: [{ name: 'sigma', type: 'number', default: 2, min: 0, max: 20, description: 'blur σ in pixels at t = 1' }],
  prepare: (image, params) => (t) => gaussianBlur(image, (params.sigma as number) * t),
};
