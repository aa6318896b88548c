import { describe, expect, it } from 'vitest';
import type { RawBatch } from '../../src/main/data/dataset.js';
import { toModelInput } from '../../src/main/data/preprocessing.js';

function batch(pixels: number[], n: number): RawBatch {
  return { indices: Array.from({ length: n }, (_, i) => i), pixels: Uint8Array.from(pixels), labels: new Int32Array(n) };
}
const close = (actual: Float32Array, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 5));
};

describe('toModelInput', () => {
  // Two 1×2 RGB images.
  const rgb = batch([0, 51, 255, 102, 204, 153, 255, 0, 51, 10, 20, 30], 2);
  const shape = { height: 1, width: 2, channels: 3 };

  it('scale 1/255 → [0, 1]; scale 1 keeps raw values', () => {
    close(toModelInput(rgb, shape, { scale: 1 / 255 }, shape), [0, 0.2, 1, 0.4, 0.8, 0.6, 1, 0, 0.2, 10 / 255, 20 / 255, 30 / 255]);
    close(toModelInput(rgb, shape, { scale: 1 }, shape), Array.from(rgb.pixels));
  });

  it('applies (x·scale − mean)/std per channel', () => {
    const pre = { scale: 1 / 255, mean: [0.5, 0.25, 0], std: [0.5, 0.25, 2] };
    const expected = Array.from(rgb.pixels, (x, j) => (x / 255 - pre.mean[j % 3]) / pre.std[j % 3]);
    close(toModelInput(rgb, shape, pre, shape), expected);
    // Hand-computed for image 0, pixel 0: (0−0.5)/0.5 = −1, (0.2−0.25)/0.25 = −0.2, (1−0)/2 = 0.5.
    close(toModelInput(rgb, shape, pre, shape).subarray(0, 3), [-1, -0.2, 0.5]);
  });

  it('replicates gray into RGB and converts RGB to gray by luminance', () => {
    const gray = batch([10, 200], 1);
    close(toModelInput(gray, { height: 1, width: 2, channels: 1 }, { scale: 1 }, shape), [10, 10, 10, 200, 200, 200]);
    const target = { height: 1, width: 2, channels: 1 };
    close(toModelInput(rgb, shape, { scale: 1 }, target), [
      0.299 * 0 + 0.587 * 51 + 0.114 * 255,
      0.299 * 102 + 0.587 * 204 + 0.114 * 153,
      0.299 * 255 + 0.587 * 0 + 0.114 * 51,
      0.299 * 10 + 0.587 * 20 + 0.114 * 30,
    ]);
  });

  it('resizes only when asked; a constant image stays constant', () => {
    const src = { height: 2, width: 3, channels: 3 };
    const constant = batch(new Array(2 * 3 * 3).fill(90), 1);
    const target = { height: 5, width: 4, channels: 3 };
    const out = toModelInput(constant, src, { scale: 1 / 90, resize: [5, 4] }, target);
    expect(out.length).toBe(5 * 4 * 3);
    for (const v of out) expect(v).toBeCloseTo(1, 6);
    expect(() => toModelInput(constant, src, { scale: 1 }, target)).toThrow(
      /images are 2×3 but the model expects 5×4; set the resize option to \[5, 4\]/,
    );
    expect(() => toModelInput(constant, src, { scale: 1, resize: [4, 4] }, target)).toThrow(/does not match the model input 5×4/);
  });

  it('bilinear resize interpolates between pixel centres', () => {
    // 1×2 gray [0, 100] → 1×4: centres map to source x = −0.25, 0.25, 0.75, 1.25 (clamped).
    const out = toModelInput(batch([0, 100], 1), { height: 1, width: 2, channels: 1 }, { scale: 1, resize: [1, 4] }, { height: 1, width: 4, channels: 1 });
    close(out, [0, 25, 75, 100]);
  });

  it('rejects mean/std whose length is not the channel count, and contradicting channels', () => {
    expect(() => toModelInput(rgb, shape, { scale: 1, mean: [0.5] }, shape)).toThrow(/mean has 1 value\(s\) but the model input has 3 channel/);
    expect(() => toModelInput(rgb, shape, { scale: 1, std: [1, 1] }, shape)).toThrow(/std has 2 value/);
    expect(() => toModelInput(rgb, shape, { scale: 1, std: [1, 0, 1] }, shape)).toThrow(/non-zero/);
    expect(() => toModelInput(rgb, shape, { scale: 1, channels: 1 }, shape)).toThrow(/asks for 1 channel/);
    expect(() => toModelInput(batch([1, 2], 1), shape, { scale: 1 }, shape)).toThrow(/batch holds 2 bytes/);
  });
});
