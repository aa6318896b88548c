/**
 * A coloured square blended in: inside the patch x_t = (1 − t)·x + t·colour, outside x_t = x.
 * At t = 1 the patch is fully opaque. Place: a corner or the centre (`at`), or explicit x, y
 * (top-left pixel). Gray images get the colour's luminance. Defaults: the planted bias of the
 * bias-audit demo models (magenta, 6×6, bottom-right corner).
 */
import { clip255, LUMA } from './hwc-image.js';
import { type EditKind, parseColor } from './property-edit.js';

export interface PatchRect {
  x: number;
  y: number;
  size: number;
}

export function patchRect(height: number, width: number, params: Record<string, number | string>): PatchRect {
  const size = params.size as number;
  const at = params.at as string;
  const x0 = at.endsWith('l') ? 0 : at.endsWith('r') ? width - size : Math.floor((width - size) / 2);
  const y0 = at.startsWith('t') ? 0 : at.startsWith('b') ? height - size : Math.floor((height - size) / 2);
  const x = (params.x as number) >= 0 ? (params.x as number) : x0;
  const y = (params.y as number) >= 0 ? (params.y as number) : y0;
  if (x < 0 || y < 0 || x + size > width || y + size > height) throw new Error(`patch ${size}×${size} at (${x}, ${y}) does not fit a ${width}×${height} image`);
  return { x, y, size };
}

export const patch: EditKind = {
  name: 'patch',
  description: 'blends a coloured square in with opacity t (at t = 1 it covers the pixels)',
  params: [
    { name: 'color', type: 'color', default: 'ff00ff', description: 'patch colour, rrggbb hex' },
    { name: 'size', type: 'number', default: 6, min: 1, max: 4096, integer: true, description: 'side in pixels' },
    { name: 'at', type: 'choice', default: 'br', choices: ['br', 'bl', 'tr', 'tl', 'center'], description: 'corner or centre' },
    { name: 'x', type: 'number', default: -1, min: -1, max: 4096, integer: true, description: 'left column (−1: from `at`)' },
    { name: 'y', type: 'number', default: -1, min: -1, max: 4096, integer: true, description: 'top row (−1: from `at`)' },
  ],
  prepare: (image, params) => {
    const { height, width, channels } = image;
    const { x, y, size } = patchRect(height, width, params);
    const rgb = parseColor(params.color as string);
    const colour = channels === 1 ? [LUMA[0] * rgb[0] + LUMA[1] * rgb[1] + LUMA[2] * rgb[2]] : rgb;
    return (t) => {
      const out = Float32Array.from(image.data);
      for (let py = y; py < y + size; py++) {
        for (let px = x; px < x + size; px++) {
          const base = (py * width + px) * channels;
          for (let c = 0; c < channels; c++) out[base + c] = clip255((1 - t) * image.data[base + c] + t * colour[c]);
        }
      }
      return out;
    };
  },
};
