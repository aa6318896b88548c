/**
 * The ground truth (margin drop, loss change, accuracy drop), its split-half reliability and the
 * Taylor criterion against PyTorch + scipy on LeNet-5 with real CIFAR-10 images
 * (test/fixtures/evaluation/make_truth_fixtures.py), and the grouping and Spearman–Brown step in
 * closed form.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { taylorScores } from '../../src/main/evaluation/baselines/taylor.js';
import { type ImageBatch, loadImages } from '../../src/main/evaluation/evaluation-images.js';
import { reliabilityWarnings } from '../../src/main/evaluation/evaluate-project.js';
import { groupCount, trueAblation } from '../../src/main/evaluation/true-ablation.js';
import { halfSplits, spearmanBrown, stratifiedGroups } from '../../src/main/evaluation/truth-reliability.js';
import { REPO } from '../helpers/data-paths.js';

interface LayerReference {
  marginDrop: number[];
  lossChange: number[];
  accuracyDrop: number[];
  reliability: { halfSpearman: number; reliability: number; splits: number };
  accuracyKeyReliability: { halfSpearman: number; reliability: number; splits: number };
  taylorPerImage: number[];
  taylorPooled: number[];
}
const reference = JSON.parse(readFileSync(new URL('../fixtures/evaluation/truth-reference.json', import.meta.url), 'utf8')) as {
  images: number;
  groups: number;
  group: number[];
  layers: Record<string, LayerReference>;
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
}

describe('ground truth on LeNet-5 vs PyTorch (200 CIFAR-10 test images)', () => {
  let model: LoadedModel;
  let batches: ImageBatch[];
  beforeAll(async () => {
    model = await LoadedModel.load(join(REPO, 'resources/models/lenet5'));
    const dataset = await openDataset(join(REPO, 'resources/data/cifar10-test-sample.bin'));
    batches = await loadImages(model, dataset, Array.from({ length: reference.images }, (_, i) => i), { scale: 1 / 255 }, 64);
  });
  afterAll(() => model.dispose());

  it('margin drop, loss change and accuracy drop per filter; split-half reliability of both keys (same 8 groups)', async () => {
    const result = await trueAblation(model, batches, ['conv1', 'conv2'], { groups: reference.groups, groupOf: (i) => reference.group[i] });
    expect(result.images).toBe(200);
    for (const layer of result.layers) {
      const ref = reference.layers[layer.name];
      // float32 networks on two engines: logits agree to ~1e-5, so the means to a few 1e-6.
      expect(maxAbsDiff(layer.marginDrop, ref.marginDrop)).toBeLessThan(1e-4);
      expect(maxAbsDiff(layer.lossChange, ref.lossChange)).toBeLessThan(1e-4);
      expect(maxAbsDiff(layer.accuracyDrop, ref.accuracyDrop)).toBeLessThan(1e-12);
      expect(layer.reliability.splits).toBe(35);
      expect(layer.reliability.halfSpearman).toBeCloseTo(ref.reliability.halfSpearman, 9);
      expect(layer.reliability.reliability).toBeCloseTo(ref.reliability.reliability, 9);
      expect(layer.accuracyKeyReliability.reliability).toBeCloseTo(ref.accuracyKeyReliability.reliability, 9);
    }
    // The point of the margin key: on conv2 the accuracy key is mostly ties and noise.
    const conv2 = result.layers[1];
    expect(conv2.reliability.reliability).toBeGreaterThan(conv2.accuracyKeyReliability.reliability + 0.5);
  });

  it('Taylor: per image |mean_{h,w} a·∂L/∂a| averaged over images (Molchanov et al. 2017), and the pooled variant', async () => {
    const perImage = await taylorScores(model, batches, ['conv1', 'conv2']);
    const pooled = await taylorScores(model, batches, ['conv1', 'conv2'], { variant: 'pooled' });
    for (const layer of ['conv1', 'conv2']) {
      const ref = reference.layers[layer];
      const relative = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(b[i])));
      expect(relative(perImage[layer], ref.taylorPerImage)).toBeLessThan(1e-3);
      expect(relative(pooled[layer], ref.taylorPooled)).toBeLessThan(2e-2); // a sum that cancels: larger relative rounding
      // The two forms are different criteria on real data.
      expect(relative(pooled[layer], perImage[layer])).toBeGreaterThan(0.5);
    }
  });
});

describe('grouping and Spearman–Brown', () => {
  it('stratified groups: sizes and per-class counts differ by at most one; a seed fixes the deal', () => {
    const labels = Int32Array.from({ length: 203 }, (_, i) => (i * 7) % 10);
    const indices = Array.from({ length: 203 }, (_, i) => i);
    const groups = stratifiedGroups(indices, (i) => labels[i], 8, 3);
    const sizes = new Array<number>(8).fill(0);
    const perClass = Array.from({ length: 10 }, () => new Array<number>(8).fill(0));
    for (const [index, g] of groups) {
      sizes[g]++;
      perClass[labels[index]][g]++;
    }
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const row of perClass) expect(Math.max(...row) - Math.min(...row)).toBeLessThanOrEqual(1);
    expect([...stratifiedGroups(indices, (i) => labels[i], 8, 3)]).toEqual([...groups]);
    expect([...stratifiedGroups(indices, (i) => labels[i], 8, 4)]).not.toEqual([...groups]);
    expect(() => stratifiedGroups(indices, (i) => labels[i], 3, 0)).toThrow(/even/);
  });

  it('every half split once: C(G−1, G/2−1) of them, each with group 0 and G/2 groups', () => {
    expect(halfSplits(2)).toEqual([[0]]);
    expect(halfSplits(4)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
    const eight = halfSplits(8);
    expect(eight).toHaveLength(35);
    expect(new Set(eight.map((s) => s.join())).size).toBe(35);
    for (const s of eight) expect(s[0] === 0 && s.length === 4).toBe(true);
  });

  it('Spearman–Brown 2ρ/(1+ρ); the group count shrinks to keep ≥ 2 images a group', () => {
    expect(spearmanBrown(0.5)).toBeCloseTo(2 / 3, 15);
    expect(spearmanBrown(1)).toBe(1);
    expect(spearmanBrown(0)).toBe(0);
    expect(spearmanBrown(-1)).toBeNaN();
    expect([groupCount(1000), groupCount(15), groupCount(8), groupCount(3), groupCount(100, 7)]).toEqual([8, 6, 4, 2, 6]);
  });

  it('warns for each layer below 0.8, with the image count the Spearman–Brown prophecy asks for', () => {
    const warnings = reliabilityWarnings({ conv1: 0.5, conv2: 0.8, conv3: 0.95, conv4: -0.2, conv5: Number.NaN }, 100);
    expect(warnings.map((w) => w.split(':')[0])).toEqual(['conv1', 'conv4', 'conv5']);
    // k·0.5/(1 + (k − 1)·0.5) = 0.8 at k = 4: 400 images.
    expect(warnings[0]).toContain('reliability is 0.50 (< 0.8) on 100 held-out images');
    expect(warnings[0]).toContain('about 400 held-out images would reach 0.8');
    expect(warnings[1]).toContain('use more held-out images');
    expect(warnings[2]).toContain('is undefined');
  });
});
