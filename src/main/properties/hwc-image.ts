/**
 * One image as the property edits see it: HWC values on the 0–255 scale (uint8 from a dataset, or
 * floats from an earlier edit), 1 (gray) or 3 (RGB) channels. Edits return floats, clipped to
 * [0, 255] and never rounded, so a curve over t is not broken into 8-bit steps.
 */
export interface HwcImage {
  data: Uint8Array | Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** BT.601 luminance weights (as preprocessing.ts and PIL's "L" conversion). */
export const LUMA = [0.299, 0.587, 0.114] as const;

export function clip255(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/** Per-pixel luminance (the value itself for a gray image). */
export function luminance(image: HwcImage): Float64Array {
  const { data, channels } = image;
  const pixels = image.height * image.width;
  const out = new Float64Array(pixels);
  for (let p = 0; p < pixels; p++) {
    out[p] = channels === 1 ? data[p] : LUMA[0] * data[3 * p] + LUMA[1] * data[3 * p + 1] + LUMA[2] * data[3 * p + 2];
  }
  return out;
}

export function checkImage(image: HwcImage, what = 'image'): void {
  const { data, height, width, channels } = image;
  if (channels !== 1 && channels !== 3) throw new Error(`${what} has ${channels} channels; property edits need 1 (gray) or 3 (RGB)`);
  if (data.length !== height * width * channels) {
    throw new Error(`${what} holds ${data.length} values, expected ${height}·${width}·${channels}`);
  }
}

/** Maps every value through `f(value, index)` into a new float image buffer, clipped to [0, 255]. */
export function mapValues(image: HwcImage, f: (value: number, index: number) => number): Float32Array {
  const { data } = image;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = clip255(f(data[i], i));
  return out;
}
