/**
 * True single-filter ablation by suffix re-runs equals full forward passes with the same zero
 * intervention, on LeNet-5 with real CIFAR-10 images and on a residual block (conv, BN, merge).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { type ImageBatch, loadImages } from '../../src/main/evaluation/evaluation-images.js';
import { ablationCurves } from '../../src/main/evaluation/ablation-curves.js';
import { outcomesUnderMasks } from '../../src/main/evaluation/masked-outcomes.js';
import { trueAblation } from '../../src/main/evaluation/true-ablation.js';
import { REPO } from '../helpers/data-paths.js';
import { residualBlock, seededValues } from '../helpers/tiny-models.js';

/** Accuracy, mean loss and mean true-class margin from logits, in plain loops (the reference). */
function direct(logits: Float32Array, labels: ArrayLike<number>, c: number) {
  let correct = 0;
  let loss = 0;
  let margin = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = Array.from(logits.subarray(i * c, (i + 1) * c));
    const y = labels[i];
    const max = Math.max(...row);
    if (row.indexOf(max) === y) correct++;
    loss += max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) - row[y];
    margin += row[y] - Math.max(...row.filter((_, k) => k !== y));
  }
  const n = labels.length;
  return { accuracy: correct / n, loss: loss / n, margin: margin / n };
}

async function naive(model: LoadedModel, batches: ImageBatch[], layer: string, channels: number[]) {
  const logits: Float32Array[] = [];
  for (const b of batches) logits.push((await model.forward(b.input, b.n, channels.length ? { interventions: { shared: [{ layer, channels, kind: 'zero' }] } } : {})).logits);
  const all = new Float32Array(logits.reduce((s, l) => s + l.length, 0));
  logits.reduce((o, l) => (all.set(l, o), o + l.length), 0);
  return direct(all, batches.flatMap((b) => Array.from(b.labels)), model.numClasses);
}

describe('true ablation on LeNet-5 (CIFAR-10 sample)', () => {
  let model: LoadedModel;
  let batches: ImageBatch[];
  beforeAll(async () => {
    model = await LoadedModel.load(join(REPO, 'resources/models/lenet5'));
    const dataset = await openDataset(join(REPO, 'resources/data/cifar10-test-sample.bin'));
    // 90 images in batches of 32: the last batch is short.
    batches = await loadImages(model, dataset, Array.from({ length: 90 }, (_, i) => i * 5), { scale: 1 / 255 }, 32);
  });
  afterAll(() => model.dispose());

  it('every channel: suffix re-run = full forward pass with the same zero intervention', async () => {
    for (const masksPerPass of [1, 5]) {
      const result = await trueAblation(model, batches, ['conv1', 'conv2'], { masksPerPass });
      const base = await naive(model, batches, 'conv1', []);
      expect(result.images).toBe(90);
      expect(result.base.accuracy).toBeCloseTo(base.accuracy, 12);
      for (const [layer, channels] of [['conv1', [0, 3, 5]], ['conv2', [1, 7, 15]]] as const) {
        const got = result.layers.find((l) => l.name === layer)!;
        for (const k of channels) {
          const ref = await naive(model, batches, layer, [k]);
          expect(got.accuracyDrop[k]).toBeCloseTo(base.accuracy - ref.accuracy, 12);
          expect(got.lossChange[k]).toBeCloseTo(ref.loss - base.loss, 4);
          expect(got.marginDrop[k]).toBeCloseTo(base.margin - ref.margin, 4);
        }
      }
      // Zeroing a filter of a trained net changes something: not every drop can be 0.
      expect(result.layers[1].lossChange.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    }
  });

  it('curve points = full passes with the cumulative mask; fraction 0 is the unmodified net', async () => {
    const pool = Array.from({ length: 16 }, (_, channel) => ({ layer: 'conv2', channel }));
    const order = [15, 3, 8, 0, 1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14];
    const curves = await ablationCurves(model, batches, pool, [order], [0, 0.1, 0.25, 0.5], 'conv2');
    expect(curves.removed).toEqual([0, 2, 4, 8]);
    for (const [p, count] of curves.removed.entries()) {
      const ref = await naive(model, batches, 'conv2', order.slice(0, count));
      expect(curves.accuracy[0][p]).toBeCloseTo(ref.accuracy, 12);
    }
  });
});

describe('true ablation through BatchNorm and a residual merge', () => {
  it('suffix re-runs from a conv inside the block and from the merge equal full passes', async () => {
    const model = await LoadedModel.fromSpec(residualBlock());
    const n = 24;
    const input = seededValues(5, n * 8 * 8 * 3, 1);
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
    const batches: ImageBatch[] = [
      { input: input.subarray(0, 16 * 192), labels: labels.subarray(0, 16), indices: [], n: 16 },
      { input: input.subarray(16 * 192), labels: labels.subarray(16), indices: [], n: 8 },
    ];
    for (const layer of ['stem', 'branch', 'add']) {
      const masks = [0, 1, 2, 3].map((k) => [{ layer, channels: [k], kind: 'zero' as const }]);
      const suffix = await outcomesUnderMasks(model, batches, masks, layer, { masksPerPass: 3 });
      const full = await outcomesUnderMasks(model, batches, masks, layer, { mode: 'naive' });
      for (let k = 0; k < 4; k++) {
        const ref = await naive(model, batches, layer, [k]);
        expect(suffix[k].correct / n).toBeCloseTo(ref.accuracy, 12);
        expect(suffix[k].loss / n).toBeCloseTo(ref.loss, 4);
        expect(suffix[k].margin / n).toBeCloseTo(ref.margin, 4);
        expect(full[k].correct).toBe(suffix[k].correct);
      }
    }
    model.dispose();
  });
});
