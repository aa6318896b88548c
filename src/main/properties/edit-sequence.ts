/** A gradual intervention from a built-in edit: frames x_i = edit(x, i/T), i = 0…T, stacked HWC. */
import type { HwcImage } from './hwc-image.js';
import { checkImage } from './hwc-image.js';
import { type PropertyEdit, prepareEdit } from './property-edit.js';

export const DEFAULT_STEPS = 100;

/** The per-image seed of seeded edits (noise): mixes the run's seed with the dataset index. */
export function imageSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** The strengths t_i = i/T, i = 0…T. */
export function strengths(steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
  return Array.from({ length: steps + 1 }, (_, i) => i / steps);
}

/** All T + 1 frames of one image, [T + 1, H, W, C] on the 0–255 scale. */
export function editFrames(edit: PropertyEdit, image: HwcImage, steps: number, seed: number): Float32Array {
  checkImage(image);
  const frameAt = prepareEdit(edit, image, seed);
  const ts = strengths(steps);
  const size = image.data.length;
  const out = new Float32Array(ts.length * size);
  ts.forEach((t, i) => out.set(frameAt(t), i * size));
  return out;
}
