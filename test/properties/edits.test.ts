/**
 * The built-in property edits: against numpy/scipy (test/fixtures/properties/edits.json), the
 * identity at t = 0, and monotone in t where the property says so.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { EDIT_KINDS, parsePropertySpec } from '../../src/main/properties/edit-registry.js';
import { editFrames, imageSeed } from '../../src/main/properties/edit-sequence.js';
import { type HwcImage, luminance } from '../../src/main/properties/hwc-image.js';
import { prepareEdit } from '../../src/main/properties/property-edit.js';
import { REPO } from '../helpers/data-paths.js';

interface EditFixture {
  noiseSeed: number;
  rgb: number[];
  gray: number[];
  height: number;
  width: number;
  cases: { spec: string; image: 'rgb' | 'gray'; t: number; expected: number[] }[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/properties/edits.json', import.meta.url), 'utf8')) as EditFixture;
const images: Record<'rgb' | 'gray', HwcImage> = {
  rgb: { data: Uint8Array.from(fixture.rgb), height: fixture.height, width: fixture.width, channels: 3 },
  gray: { data: Uint8Array.from(fixture.gray), height: fixture.height, width: fixture.width, channels: 1 },
};

const sample = await openDataset(`${REPO}resources/data/cifar10-test-sample.bin`);
const real: HwcImage = { data: (await sample.read([3])).pixels, height: 32, width: 32, channels: 3 };
const frameOf = (spec: string, image: HwcImage, t: number, seed = 0) => prepareEdit(parsePropertySpec(spec), image, seed)(t);

describe('edits against numpy/scipy', () => {
  it.each(fixture.cases.map((c) => [`${c.spec} on ${c.image} at t=${c.t}`, c] as const))('%s', (_, c) => {
    const out = frameOf(c.spec, images[c.image], c.t, fixture.noiseSeed);
    expect(out.length).toBe(c.expected.length);
    let worst = 0;
    for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - c.expected[i]));
    expect(worst).toBeLessThan(1e-3);
  });
});

describe('t = 0 is the identity', () => {
  const floatImage: HwcImage = { ...real, data: frameOf('blur:sigma=0.7', real, 1) };
  it.each(EDIT_KINDS.map((k) => k.name))('%s', (name) => {
    expect(frameOf(name, real, 0, 5)).toEqual(Float32Array.from(real.data));
    const out = frameOf(name, floatImage, 0, 5);
    for (let i = 0; i < out.length; i++) expect(Math.abs(out[i] - floatImage.data[i])).toBeLessThanOrEqual(1e-6);
    const gray: HwcImage = { data: Uint8Array.from(luminance(real), Math.round), height: 32, width: 32, channels: 1 };
    expect(frameOf(name, gray, 0, 5)).toEqual(Float32Array.from(gray.data));
  });
});

/** A scalar measure of each frame along t = 0, 0.1, …, 1. */
const along = (spec: string, measure: (x: Float32Array) => number, seed = 0) =>
  Array.from({ length: 11 }, (_, i) => measure(frameOf(spec, real, i / 10, seed)));
const nonDecreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1] - 1e-9);
const nonIncreasing = (xs: number[]) => nonDecreasing(xs.map((x) => -x));
const mean = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0) / x.length;
const original = Float32Array.from(real.data);

describe('monotone in t where the property is', () => {
  it('brightness: the mean rises (falls for amount < 0)', () => {
    const up = along('brightness', mean);
    expect(nonDecreasing(up) && up[10] > up[0] + 50).toBe(true);
    const down = along('brightness:amount=-0.5', mean);
    expect(nonIncreasing(down) && down[10] < down[0] - 20).toBe(true);
  });

  it('contrast: the luminance spread shrinks to 0 (grows for amount < 0)', () => {
    const spread = (x: Float32Array) => {
      const l = luminance({ ...real, data: x });
      const m = mean(l);
      return Math.sqrt(mean(Array.from(l, (v) => (v - m) ** 2)));
    };
    const down = along('contrast', spread);
    expect(nonIncreasing(down)).toBe(true);
    expect(down[10]).toBeLessThan(1e-3);
    expect(nonDecreasing(along('contrast:amount=-1', spread))).toBe(true);
  });

  it('saturation: the mean distance of each value from its pixel luminance shrinks to 0', () => {
    const chroma = (x: Float32Array) => {
      const l = luminance({ ...real, data: x });
      return mean(Array.from(x, (v, i) => Math.abs(v - l[(i / 3) | 0])));
    };
    const c = along('saturation', chroma);
    expect(nonIncreasing(c) && c[10] < 1e-3).toBe(true);
  });

  it('hue: the chroma turns further from the original as t grows (up to 180°), keeping (R+G+B)/3', () => {
    const angle = (x: Float32Array) => {
      let sum = 0;
      for (let p = 0; p < 1024; p++) {
        const a = [0, 1, 2].map((c) => original[3 * p + c] - (original[3 * p] + original[3 * p + 1] + original[3 * p + 2]) / 3);
        const b = [0, 1, 2].map((c) => x[3 * p + c] - (x[3 * p] + x[3 * p + 1] + x[3 * p + 2]) / 3);
        const dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
        const norm = Math.hypot(...a) * Math.hypot(...b);
        sum += norm > 1e-9 ? Math.acos(Math.max(-1, Math.min(1, dot / norm))) : 0;
      }
      return sum / 1024;
    };
    expect(nonDecreasing(along('hue', angle))).toBe(true);
    // a mid-gray pixel with a small tint never clips, so its mean stays exactly put
    const tinted: HwcImage = { data: Uint8Array.of(140, 120, 110), height: 1, width: 1, channels: 3 };
    const turned = frameOf('hue', tinted, 0.37);
    expect(mean(turned)).toBeCloseTo(mean(tinted.data), 4);
    expect(Array.from(frameOf('hue:degrees=120', { data: Uint8Array.of(200, 50, 50), height: 1, width: 1, channels: 3 }, 1)).map(Math.round)).toEqual([50, 200, 50]);
  });

  it('blur: high-frequency energy (squared neighbour differences) falls', () => {
    const energy = (x: Float32Array) => {
      let e = 0;
      for (let y = 0; y < 32; y++) for (let xx = 0; xx < 31; xx++) for (let c = 0; c < 3; c++) e += (x[(y * 32 + xx + 1) * 3 + c] - x[(y * 32 + xx) * 3 + c]) ** 2;
      return e;
    };
    const e = along('blur', energy);
    expect(nonIncreasing(e) && e[10] < e[0] / 4).toBe(true);
  });

  it('noise: the deviation from the image grows; the field is fixed per seed', () => {
    const deviation = (x: Float32Array) => mean(Array.from(x, (v, i) => (v - original[i]) ** 2));
    const d = along('noise', deviation, 9);
    expect(nonDecreasing(d) && d[10] > 100).toBe(true);
    expect(frameOf('noise', real, 0.5, 9)).toEqual(frameOf('noise', real, 0.5, 9));
    expect(frameOf('noise', real, 0.5, 9)).not.toEqual(frameOf('noise', real, 0.5, 10));
  });

  it('patch: the patch approaches its colour, nothing else changes', () => {
    const inPatch = (x: Float32Array, f: (v: number, c: number) => number) => {
      let s = 0;
      for (let y = 26; y < 32; y++) for (let xx = 26; xx < 32; xx++) for (let c = 0; c < 3; c++) s += f(x[(y * 32 + xx) * 3 + c], c);
      return s;
    };
    const magenta = [255, 0, 255];
    const distance = along('patch', (x) => inPatch(x, (v, c) => Math.abs(v - magenta[c])));
    expect(nonIncreasing(distance) && distance[10] === 0).toBe(true);
    const full = frameOf('patch', real, 1);
    let outsideChanged = 0;
    for (let i = 0; i < full.length; i++) {
      const p = (i / 3) | 0;
      if (!((p % 32) >= 26 && ((p / 32) | 0) >= 26) && full[i] !== original[i]) outsideChanged++;
    }
    expect(outsideChanged).toBe(0);
  });

  it('rotation: 90° is numpy.rot90 (counter-clockwise); 360° is the identity up to rounding', () => {
    const quarter = frameOf('rotation:degrees=90', real, 1);
    let worst = 0;
    for (let i = 0; i < 32; i++) for (let j = 0; j < 32; j++) for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(quarter[(i * 32 + j) * 3 + c] - real.data[(j * 32 + (31 - i)) * 3 + c]));
    expect(worst).toBeLessThan(1e-4);
    const full = frameOf('rotation:degrees=360', real, 1);
    expect(Math.max(...Array.from(full, (v, i) => Math.abs(v - original[i])))).toBeLessThan(1e-4);
  });
});

describe('specs and sequences', () => {
  it('canonical specs keep only non-default parameters', () => {
    expect(parsePropertySpec('blur').spec).toBe('blur');
    expect(parsePropertySpec('blur:sigma=2').spec).toBe('blur');
    expect(parsePropertySpec('patch:at=tl:color=#00FF00').spec).toBe('patch:color=00ff00:at=tl');
  });

  it('bad specs are errors naming the spec and the problem', () => {
    expect(() => parsePropertySpec('sharpness')).toThrow(/unknown property "sharpness"; known: brightness/);
    expect(() => parsePropertySpec('blur:radius=3')).toThrow(/"radius=3" is not key=value with key one of sigma/);
    expect(() => parsePropertySpec('blur:sigma=x')).toThrow(/sigma must be a number/);
    expect(() => parsePropertySpec('patch:size=2.5')).toThrow(/size must be an integer/);
    expect(() => parsePropertySpec('patch:color=red')).toThrow(/rrggbb/);
    expect(() => parsePropertySpec('patch:at=middle')).toThrow(/at must be one of br, bl, tr, tl, center/);
    expect(() => frameOf('patch:size=40', real, 0.5)).toThrow(/does not fit a 32×32 image/);
    expect(() => frameOf('blur', real, 1.5)).toThrow(/t must be in \[0, 1\]/);
  });

  it('editFrames stacks x_0…x_T with t = i/T', () => {
    const edit = parsePropertySpec('brightness');
    const frames = editFrames(edit, real, 4, imageSeed(0, 3));
    expect(frames.length).toBe(5 * 3072);
    expect(frames.subarray(0, 3072)).toEqual(original);
    expect(frames.subarray(2 * 3072, 3 * 3072)).toEqual(frameOf('brightness', real, 0.5));
  });
});
