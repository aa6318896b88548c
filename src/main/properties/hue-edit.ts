/**
 * Hue rotation: every RGB vector is rotated about the gray axis (1, 1, 1)/√3 by θ = degrees·t
 * (Rodrigues' formula), then clipped. The rotation keeps each pixel's mean (R+G+B)/3 and its
 * chroma length, and turns the chroma by exactly θ (before clipping): red → green → blue for θ > 0.
 * A gray image is unchanged.
 */
import { mapValues } from './hwc-image.js';
import type { EditKind } from './property-edit.js';

/** The 3×3 rotation matrix (row-major) about (1,1,1)/√3 by `radians`. */
export function grayAxisRotation(radians: number): Float64Array {
  const c = Math.cos(radians);
  const s = Math.sin(radians) / Math.sqrt(3);
  const o = (1 - c) / 3;
  // R = c·I + sin·[k]× + (1 − c)·k·kᵀ with k = (1,1,1)/√3
  return Float64Array.of(c + o, o - s, o + s, o + s, c + o, o - s, o - s, o + s, c + o);
}

export const hue: EditKind = {
  name: 'hue',
  description: 'rotates every colour about the gray axis by degrees·t (keeps brightness and saturation)',
  params: [{ name: 'degrees', type: 'number', default: 180, min: -360, max: 360, description: 'hue rotation at t = 1' }],
  prepare: (image, params) => {
    const degrees = params.degrees as number;
    return (t) => {
      if (image.channels === 1) return mapValues(image, (v) => v);
      const m = grayAxisRotation((degrees * t * Math.PI) / 180);
      const { data } = image;
      return mapValues(image, (_, i) => {
        const row = i % 3;
        const p = i - row;
        return m[3 * row] * data[p] + m[3 * row + 1] * data[p + 1] + m[3 * row + 2] * data[p + 2];
      });
    };
  },
};
