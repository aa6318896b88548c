/**
 * Float frames (HWC on the 0–255 scale, as the edits make them) → the model's input, exactly as
 * data/preprocessing.ts's toModelInput treats uint8 images (channel conversion, optional bilinear
 * resize, (x·scale − mean)/std per channel) but without rounding the frames to bytes first.
 */
import type { ImageShape, Preprocessing } from '../data/preprocessing.js';
import { resizeBilinear } from '../data/resize-bilinear.js';
import { LUMA } from './hwc-image.js';

export function framesToModelInput(frames: Float32Array, count: number, src: ImageShape, pre: Preprocessing, target: ImageShape): Float32Array {
  const srcSize = src.height * src.width * src.channels;
  if (frames.length !== count * srcSize) throw new Error(`frames hold ${frames.length} values, expected ${count}·${src.height}·${src.width}·${src.channels}`);
  const resize = src.height !== target.height || src.width !== target.width;
  if (resize && !(pre.resize && pre.resize[0] === target.height && pre.resize[1] === target.width)) {
    throw new Error(`frames are ${src.height}×${src.width} but the model expects ${target.height}×${target.width}; set the resize option to [${target.height}, ${target.width}]`);
  }
  const c = target.channels;
  const mean = pre.mean ?? new Array<number>(c).fill(0);
  const std = pre.std ?? new Array<number>(c).fill(1);
  if (mean.length !== c || std.length !== c) throw new Error(`mean/std need ${c} value(s), one per model input channel`);
  const offset = mean.map((m) => m / pre.scale);
  const factor = std.map((s) => pre.scale / s);
  const dstSize = target.height * target.width * c;
  const out = new Float32Array(count * dstSize);
  for (let f = 0; f < count; f++) {
    const converted = convertChannels(frames.subarray(f * srcSize, (f + 1) * srcSize), src.channels, c);
    const sized = resize ? resizeBilinear(converted, src.height, src.width, c, target.height, target.width) : converted;
    const base = f * dstSize;
    for (let j = 0; j < dstSize; j++) out[base + j] = (sized[j] - offset[j % c]) * factor[j % c];
  }
  return out;
}

function convertChannels(pixels: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return pixels;
  const count = pixels.length / from;
  const out = new Float32Array(count * to);
  if (from === 1) {
    for (let p = 0; p < count; p++) out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = pixels[p];
  } else {
    for (let p = 0; p < count; p++) out[p] = LUMA[0] * pixels[3 * p] + LUMA[1] * pixels[3 * p + 1] + LUMA[2] * pixels[3 * p + 2];
  }
  return out;
}
