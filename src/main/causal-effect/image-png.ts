/** Model-input images back to pixels (inverting scale/mean/std) and to a small base64 PNG for the app. */
import { PNG } from 'pngjs';
import type { Preprocessing } from '../data/preprocessing.js';

/** One [H, W, C] model-input image → RGBA bytes (gray replicated), rounded and clamped to 0–255. */
export function toRgba(image: ArrayLike<number>, height: number, width: number, channels: number, pre: Preprocessing): Buffer {
  const out = Buffer.alloc(height * width * 4);
  for (let p = 0; p < height * width; p++) {
    for (let k = 0; k < 3; k++) {
      const c = channels === 1 ? 0 : k;
      const raw = (image[p * channels + c] * (pre.std?.[c] ?? 1) + (pre.mean?.[c] ?? 0)) / pre.scale;
      out[p * 4 + k] = Math.min(255, Math.max(0, Math.round(raw)));
    }
    out[p * 4 + 3] = 255;
  }
  return out;
}

export function toPngBase64(image: ArrayLike<number>, height: number, width: number, channels: number, pre: Preprocessing): string {
  const png = new PNG({ width, height });
  png.data = toRgba(image, height, width, channels, pre);
  return PNG.sync.write(png).toString('base64');
}
