/**
 * Baseline criteria against independent computations: weight norms against numpy on the LeNet-5
 * file, BN |γ| against the spec, activation mean/variance and Taylor against direct sums over the
 * activations and gradients the gradients API returns for the whole set at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { ActivationStats } from '../../src/main/evaluation/baselines/activation-stats.js';
import { batchNormGamma } from '../../src/main/evaluation/baselines/bn-gamma.js';
import { taylorScores } from '../../src/main/evaluation/baselines/taylor.js';
import { kernelNorms } from '../../src/main/evaluation/baselines/weight-norms.js';
import { type ImageBatch, loadImages } from '../../src/main/evaluation/evaluation-images.js';
import { REPO } from '../helpers/data-paths.js';
import { residualBlock, seededValues } from '../helpers/tiny-models.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/evaluation/evaluation-fixtures.json', import.meta.url), 'utf8')) as {
  lenet5_norms: Record<string, { l1: number[]; l2: number[] }>;
};

function relativeError(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.max(1e-12, Math.abs(b[i]))));
}

describe('weight norms and BN |γ|', () => {
  it('L1/L2 of each output channel’s kernel slice equal numpy on lenet5/weights.bin', async () => {
    const model = await LoadedModel.load(join(REPO, 'resources/models/lenet5'));
    for (const layer of model.nodeLayers.filter((l) => l.kind === 'conv')) {
      const norms = kernelNorms(model.graph.spec, layer)!;
      expect(norms.l1).toHaveLength(layer.channels);
      expect(relativeError(norms.l1, fixtures.lenet5_norms[layer.name].l1)).toBeLessThan(1e-12);
      expect(relativeError(norms.l2, fixtures.lenet5_norms[layer.name].l2)).toBeLessThan(1e-12);
      expect(batchNormGamma(model.graph.spec, layer)).toBeUndefined(); // LeNet-5 has no BatchNorm
    }
    expect(kernelNorms(model.graph.spec, model.nodeLayers.find((l) => l.kind === 'logits')!)).toBeUndefined();
    model.dispose();
  });

  it('|γ| of the BN that directly follows a conv; none for a merge', async () => {
    const spec = residualBlock();
    const model = await LoadedModel.fromSpec(spec);
    const [stem, branch, add] = model.nodeLayers;
    const gammaOf = (bn: string) => Array.from(spec.layers.find((l) => l.name === bn)!.weights.find((w) => w.name === 'gamma')!.values, Math.abs);
    expect(batchNormGamma(spec, stem)).toEqual(gammaOf('stem_bn'));
    expect(batchNormGamma(spec, branch)).toEqual(gammaOf('branch_bn'));
    expect(batchNormGamma(spec, add)).toBeUndefined();
    expect(kernelNorms(spec, add)).toBeUndefined();
    // The residual block's kernels: [3,3,3,4] → channel k is every 4th element from k.
    const kernel = spec.layers.find((l) => l.name === 'stem')!.weights[0].values;
    const l1 = [0, 1, 2, 3].map((k) => Array.from(kernel).reduce((s, w, i) => (i % 4 === k ? s + Math.abs(w) : s), 0));
    expect(relativeError(kernelNorms(spec, stem)!.l1, l1)).toBeLessThan(1e-6);
    model.dispose();
  });
});

describe('data-driven criteria on LeNet-5 (CIFAR-10 sample)', () => {
  let model: LoadedModel;
  let batches: ImageBatch[];
  let everything: ImageBatch[];
  const layers = ['conv1', 'conv2'];
  beforeAll(async () => {
    model = await LoadedModel.load(join(REPO, 'resources/models/lenet5'));
    const dataset = await openDataset(join(REPO, 'resources/data/cifar10-test-sample.bin'));
    const indices = Array.from({ length: 70 }, (_, i) => 100 + i * 3);
    batches = await loadImages(model, dataset, indices, { scale: 1 / 255 }, 32);
    everything = await loadImages(model, dataset, indices, { scale: 1 / 255 }, 70);
  });
  afterAll(() => model.dispose());

  it('activation mean and variance over images and positions, from φ, equal a direct computation', async () => {
    const gradients = await model.gradients(everything[0].input, 70, { objective: 'loss', targets: everything[0].labels, layers });
    for (const name of layers) {
      const info = model.nodeLayers.find((l) => l.name === name)!;
      const stats = new ActivationStats(info.channels, info.shape[0] * info.shape[1]);
      for (const b of batches) {
        const out = await model.forward(b.input, b.n, { phi: { layers: [name], kinds: ['mean', 'fro'] } });
        stats.add(out.phi[name].mean!, out.phi[name].fro!);
      }
      const { mean, variance } = stats.result();
      const a = gradients.layers[name].activation;
      const c = info.channels;
      const count = a.length / c;
      for (let k = 0; k < c; k++) {
        let s = 0;
        for (let i = k; i < a.length; i += c) s += a[i];
        const m = s / count;
        let v = 0;
        for (let i = k; i < a.length; i += c) v += (a[i] - m) ** 2;
        expect(mean[k]).toBeCloseTo(m, 5);
        expect(variance[k]).toBeCloseTo(v / count, 4);
        expect(Math.abs(variance[k] - v / count) / Math.max(v / count, 1e-9)).toBeLessThan(1e-3);
      }
    }
  });

  it('Taylor (pooled variant) |mean_{x,h,w}(∂L/∂a·a)| over batches equals Σ a·∂L/∂a from one gradients call over all images', async () => {
    const scores = await taylorScores(model, batches, layers, { variant: 'pooled' });
    const all = await model.gradients(everything[0].input, 70, { objective: 'loss', targets: everything[0].labels, layers });
    for (const name of layers) {
      const { activation, gradient } = all.layers[name];
      const c = scores[name].length;
      const count = activation.length / c;
      const expected = Array.from({ length: c }, (_, k) => {
        let s = 0;
        for (let i = k; i < activation.length; i += c) s += activation[i] * gradient[i];
        return Math.abs(s / count);
      });
      expect(relativeError(scores[name], expected)).toBeLessThan(1e-3);
      expect(Math.max(...expected)).toBeGreaterThan(0);
    }
  });

  it('Taylor on a tiny net equals finite-difference derivatives of the loss under scale(1+ε): pooled and per image', async () => {
    // d/dε L_x(a·(1+ε)) at ε = 0 is Σ_{h,w} a·∂L_x/∂a: an engine-independent check of the gradient product.
    const tiny = await LoadedModel.fromSpec(residualBlock());
    const n = 6;
    const input = seededValues(9, n * 192, 1);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
    const batch = [{ input, labels, indices: [], n }];
    const pooled = await taylorScores(tiny, batch, ['stem', 'add'], { variant: 'pooled' });
    const perImage = await taylorScores(tiny, batch, ['stem', 'add']);
    for (const layer of ['stem', 'add']) {
      const area = 8 * 8;
      for (let k = 0; k < 4; k++) {
        const eps = 1e-2;
        const losses = async (s: number) => {
          const out = await tiny.forward(input, n, { interventions: { shared: [{ layer, channels: [k], kind: 'scale', value: s }] } });
          return Array.from({ length: n }, (_, i) => {
            const row = Array.from(out.logits.subarray(i * 3, i * 3 + 3));
            const max = Math.max(...row);
            return max + Math.log(row.reduce((t, v) => t + Math.exp(v - max), 0)) - row[labels[i]];
          });
        };
        const up = await losses(1 + eps);
        const down = await losses(1 - eps);
        const perImageDerivative = up.map((u, i) => (u - down[i]) / (2 * eps));
        const derivative = Math.abs(perImageDerivative.reduce((s, d) => s + d, 0));
        // float32 losses: the central difference carries ~1e-4 absolute rounding error.
        expect(Math.abs(pooled[layer][k] * n * area - derivative)).toBeLessThan(0.02 * derivative + 2e-4);
        const meanAbs = perImageDerivative.reduce((s, d) => s + Math.abs(d), 0) / n;
        expect(Math.abs(perImage[layer][k] * area - meanAbs)).toBeLessThan(0.02 * meanAbs + 2e-4);
      }
    }
    tiny.dispose();
  });
});
