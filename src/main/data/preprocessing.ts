/**
 * Raw uint8 batches → the float NHWC tensor data a model expects: channel conversion (gray ↔ RGB)
 * when the model's channel count differs from the data's, an optional bilinear resize, then
 * (x·scale − mean) / std per channel.
 */
import type { RawBatch } from './dataset.js';
import { resizeBilinear } from './resize-bilinear.js';

export interface Preprocessing {
  /** Multiplies the raw 0–255 pixel: 1/255 → [0, 1], 1 → raw. */
  scale: number;
  /** Per output channel, subtracted after scaling. */
  mean?: number[];
  /** Per output channel, divides after subtracting the mean. */
  std?: number[];
  /** Channel count the input must have; when given it must agree with the model's. */
  channels?: 1 | 3;
  /** Resize images to [height, width] (must be the model's size); without it sizes must match. */
  resize?: [number, number];
}

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

export function toModelInput(batch: RawBatch, srcShape: ImageShape, pre: Preprocessing, target: ImageShape): Float32Array {
  const { height: srcH, width: srcW, channels: srcC } = srcShape;
  const { height: dstH, width: dstW, channels: dstC } = target;
  const n = batch.indices.length;
  checkChannels(srcC, 'data');
  checkChannels(dstC, 'model input');
  if (batch.pixels.length !== n * srcH * srcW * srcC) {
    throw new Error(
      `batch holds ${batch.pixels.length} bytes, expected ${n}·${srcH}·${srcW}·${srcC} = ${n * srcH * srcW * srcC}`,
    );
  }
  if (pre.channels !== undefined && pre.channels !== dstC) {
    throw new Error(`preprocessing asks for ${pre.channels} channel(s) but the model input has ${dstC}`);
  }
  if (pre.resize && (pre.resize[0] !== dstH || pre.resize[1] !== dstW)) {
    throw new Error(`resize ${pre.resize[0]}×${pre.resize[1]} does not match the model input ${dstH}×${dstW}`);
  }
  const resize = srcH !== dstH || srcW !== dstW;
  if (resize && !pre.resize) {
    throw new Error(
      `images are ${srcH}×${srcW} but the model expects ${dstH}×${dstW}; set the resize option to [${dstH}, ${dstW}] to resize them`,
    );
  }
  const { offset, factor } = normalization(pre, dstC);

  const srcPixels = srcH * srcW;
  const dstImage = dstH * dstW * dstC;
  const out = new Float32Array(n * dstImage);
  for (let i = 0; i < n; i++) {
    const image = convertChannels(batch.pixels.subarray(i * srcPixels * srcC, (i + 1) * srcPixels * srcC), srcC, dstC);
    const sized = resize ? resizeBilinear(image, srcH, srcW, dstC, dstH, dstW) : image;
    const base = i * dstImage;
    for (let j = 0; j < dstImage; j++) {
      const c = j % dstC;
      out[base + j] = (sized[j] - offset[c]) * factor[c];
    }
  }
  return out;
}

/**
 * (x·scale − mean)/std written as (x − mean/scale)·(scale/std), so the inner loop is one
 * subtraction and one multiplication per value.
 */
function normalization(pre: Preprocessing, channels: number): { offset: Float64Array; factor: Float64Array } {
  if (!Number.isFinite(pre.scale) || pre.scale === 0) throw new Error(`scale must be a finite non-zero number, got ${pre.scale}`);
  const mean = pre.mean ?? new Array<number>(channels).fill(0);
  const std = pre.std ?? new Array<number>(channels).fill(1);
  if (mean.length !== channels) {
    throw new Error(`mean has ${mean.length} value(s) but the model input has ${channels} channel(s)`);
  }
  if (std.length !== channels) {
    throw new Error(`std has ${std.length} value(s) but the model input has ${channels} channel(s)`);
  }
  if (std.some((s) => !Number.isFinite(s) || s === 0)) throw new Error(`std values must be finite and non-zero, got [${std.join(', ')}]`);
  if (mean.some((m) => !Number.isFinite(m))) throw new Error(`mean values must be finite, got [${mean.join(', ')}]`);
  return {
    offset: Float64Array.from(mean, (m) => m / pre.scale),
    factor: Float64Array.from(std, (s) => pre.scale / s),
  };
}

/** One HWC image as floats with `to` channels: gray → RGB replicates, RGB → gray by BT.601 luminance. */
function convertChannels(pixels: Uint8Array, from: number, to: number): Float32Array {
  if (from === to) return Float32Array.from(pixels);
  const count = pixels.length / from;
  const out = new Float32Array(count * to);
  if (from === 1) {
    for (let p = 0; p < count; p++) out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = pixels[p];
  } else {
    for (let p = 0; p < count; p++) {
      out[p] = 0.299 * pixels[3 * p] + 0.587 * pixels[3 * p + 1] + 0.114 * pixels[3 * p + 2];
    }
  }
  return out;
}

function checkChannels(channels: number, what: string): void {
  if (channels !== 1 && channels !== 3) throw new Error(`${what} has ${channels} channels; only 1 (gray) and 3 (RGB) are supported`);
}
