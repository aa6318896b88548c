/**
 * From frames to scores through the real model: float frames enter the model exactly as
 * toModelInput would feed their bytes, and the bias-audit-biased model's patch curves match the
 * independent NumPy interpreter (test/fixtures/properties/pipeline.json).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { toModelInput } from '../../src/main/data/preprocessing.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { framesToModelInput } from '../../src/main/properties/frames-to-input.js';
import { runPropertyAudit } from '../../src/main/properties/run-properties.js';
import { REPO } from '../helpers/data-paths.js';

interface PipelineFixture {
  model: string;
  property: string;
  steps: number;
  seed: number;
  targetClass: number;
  images: { index: number; label: number; y: number[]; epgm: number; p: number; rho: number; rhoP: number; flips: number }[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/properties/pipeline.json', import.meta.url), 'utf8')) as PipelineFixture;
const dataset = await openDataset(`${REPO}resources/data/cifar10-test-sample.bin`);
const model = await LoadedModel.load(`${REPO}${fixture.model}`);
afterAll(() => model.dispose());

describe('framesToModelInput', () => {
  const raw = { indices: [0, 1], pixels: Uint8Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => (i * 37) % 256), labels: Int32Array.of(0, 0) };
  const frames = Float32Array.from(raw.pixels);
  it.each([
    ['scale only', { scale: 1 / 255 }, { height: 4, width: 4, channels: 3 }],
    ['mean/std', { scale: 1 / 255, mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] }, { height: 4, width: 4, channels: 3 }],
    ['RGB → gray', { scale: 1 }, { height: 4, width: 4, channels: 1 }],
    ['resize', { scale: 1 / 255, resize: [6, 5] as [number, number] }, { height: 6, width: 5, channels: 3 }],
  ])('equals toModelInput on byte frames: %s', (_, pre, target) => {
    const src = { height: 4, width: 4, channels: 3 };
    expect(framesToModelInput(frames, 2, src, pre, target)).toEqual(toModelInput(raw, src, pre, target));
  });

  it('refuses a size mismatch without resize', () => {
    expect(() => framesToModelInput(frames, 2, { height: 4, width: 4, channels: 3 }, { scale: 1 }, { height: 8, width: 8, channels: 3 })).toThrow(
      /frames are 4×4 but the model expects 8×8/,
    );
  });
});

describe('patch curves of the biased model against the NumPy interpreter', async () => {
  const result = await runPropertyAudit(
    { model, dataset, preprocessing: { scale: 1 / 255 } },
    { properties: [fixture.property], indices: fixture.images.map((i) => i.index), targetClass: fixture.targetClass, steps: fixture.steps, seed: fixture.seed },
  );
  const images = result.properties.flatMap((g) => g.images);

  it.each(fixture.images.map((f) => [f.index, f] as const))('image %i: EPGM, p, ρ and flips', (index, f) => {
    const got = images.find((i) => i.index === index)!;
    expect(got.label).toBe(f.label);
    expect(got.class).toBe(fixture.targetClass);
    expect(Math.abs(got.epgm - f.epgm)).toBeLessThan(1e-6 + 1e-4 * f.epgm);
    expect(got.p).toBe(f.p);
    expect(got.rho).toBeCloseTo(f.rho, 4);
    expect(got.rhoP).toBe(f.rhoP);
    expect(got.flips).toBe(f.flips);
    expect(got.frames).toBe(fixture.steps + 1);
    expect(got.change).toBeCloseTo(f.y[f.y.length - 1] - f.y[0], 5);
  });

  it('groups by property and tracked class and summarizes', () => {
    expect(result.properties).toHaveLength(1);
    const g = result.properties[0];
    expect([g.name, g.class, g.className, g.summary.n]).toEqual(['patch', 3, 'cat', 3]);
    const sorted = fixture.images.map((i) => i.epgm).sort((a, b) => a - b);
    expect(g.summary.medianEpgm).toBeCloseTo(sorted[1], 6);
    expect(g.summary.shareSignificant).toBe(fixture.images.filter((i) => i.p < 0.05).length / 3);
    expect(g.summary.histogram.counts.reduce((a, b) => a + b, 0)).toBe(3);
  });
});
