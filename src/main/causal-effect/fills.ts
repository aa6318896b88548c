/**
 * What a masked cell is filled with (METHODS §4), in model-input space: `zero` (0 after
 * preprocessing; black for x/255 models), `mean` (the per-channel dataset mean) or `blur` (the same
 * image Gaussian-blurred with σ = one cell side, so the cell keeps its colours but loses its detail)
 * **[ours: σ and per-channel mean]**. A fill is a whole image; masking copies its pixels into cells.
 */
import { type FillKind, fillKinds } from '../../shared/choices.js';
import type { Grid } from './grid.js';

export type { FillKind };
export const FILL_KINDS: readonly FillKind[] = fillKinds;

export interface FillSetup {
  kind: FillKind;
  /** Per-channel dataset mean in model-input space (for `mean`). */
  channelMean?: number[];
}

/** The fill image for one HWC image. */
export function fillImage(image: Float32Array, grid: Grid, channels: number, setup: FillSetup): Float32Array {
  switch (setup.kind) {
    case 'zero':
      return new Float32Array(image.length);
    case 'mean': {
      const mean = setup.channelMean;
      if (!mean || mean.length !== channels) throw new Error(`the mean fill needs ${channels} channel means`);
      const out = new Float32Array(image.length);
      for (let i = 0; i < out.length; i++) out[i] = mean[i % channels];
      return out;
    }
    case 'blur':
      return gaussianBlur(image, grid.height, grid.width, channels, blurSigma(grid));
  }
}

export function blurSigma(grid: Grid): number {
  return Math.max(grid.height, grid.width) / grid.g;
}

/** Separable Gaussian blur of an HWC image, kernel radius ⌈3σ⌉, edges clamped. */
export function gaussianBlur(image: ArrayLike<number>, height: number, width: number, channels: number, sigma: number): Float32Array {
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  const clamp = (v: number, n: number) => (v < 0 ? 0 : v >= n ? n - 1 : v);
  const rows = new Float64Array(height * width * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let t = -radius; t <= radius; t++) s += kernel[t + radius] * image[(y * width + clamp(x + t, width)) * channels + c];
        rows[(y * width + x) * channels + c] = s;
      }
  const out = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let t = -radius; t <= radius; t++) s += kernel[t + radius] * rows[(clamp(y + t, height) * width + x) * channels + c];
        out[(y * width + x) * channels + c] = s;
      }
  return out;
}

/**
 * Writes `image` with the cells where `filled[cell]` is 1 taken from `fill` into `out` at `offset`.
 */
export function composeMasked(
  image: Float32Array,
  fill: Float32Array,
  grid: Grid,
  channels: number,
  filled: Uint8Array,
  out: Float32Array,
  offset: number,
): void {
  out.set(image, offset);
  const { cellOfPixel } = grid;
  for (let p = 0; p < cellOfPixel.length; p++) {
    if (filled[cellOfPixel[p]] === 0) continue;
    const base = p * channels;
    for (let c = 0; c < channels; c++) out[offset + base + c] = fill[base + c];
  }
}
