/**
 * Rotation by degrees·t counter-clockwise (as displayed) about the image centre ((W−1)/2, (H−1)/2),
 * bilinear; what comes from outside the image is black (0), as torchvision's rotate. At 90° a
 * square image is exactly numpy.rot90.
 */
import { type HwcImage, mapValues } from './hwc-image.js';
import type { EditKind } from './property-edit.js';

export function rotate(image: HwcImage, degrees: number): Float32Array {
  const { data, height, width, channels } = image;
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const at = (x: number, y: number, c: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : data[(y * width + x) * channels + c]);
  return mapValues(image, (_, i) => {
    const c = i % channels;
    const p = (i - c) / channels;
    const dx = (p % width) - cx;
    const dy = Math.floor(p / width) - cy;
    // inverse map: the source point that lands on this pixel
    const sx = cx + dx * cos - dy * sin;
    const sy = cy + dx * sin + dy * cos;
    const x0 = Math.floor(sx);
    const y0 = Math.floor(sy);
    const fx = sx - x0;
    const fy = sy - y0;
    const top = at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx;
    const bottom = at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx;
    return top * (1 - fy) + bottom * fy;
  });
}

export const rotation: EditKind = {
  name: 'rotation',
  description: 'rotates counter-clockwise by degrees·t about the centre (black fill)',
  params: [{ name: 'degrees', type: 'number', default: 180, min: -360, max: 360, description: 'rotation at t = 1' }],
  prepare: (image, params) => (t) => rotate(image, (params.degrees as number) * t),
};
