/**
 * Class effects E_{x∈D_c}[p_c(x) − p_c(x | do)] of node and path interventions on the bundled demo
 * models against an independent NumPy forward pass (fixtures.json, make_fixtures.py), per image, with
 * the images split over several batches and passes; bootstrap weights against duplicated images.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { InterventionEffects, weightedMean } from '../../src/main/explanatory-graph/intervention-effects.js';
import { bootstrapWeights } from '../../src/main/explanatory-graph/stability.js';
import { withEditedModel } from '../../src/main/engine/weight-edits.js';
import { fixtures, modelPath, probability, sampleImages } from './helpers.js';

const models = new Map<string, LoadedModel>();
afterAll(() => models.forEach((m) => m.dispose()));

async function effectsFor(name: string, limits = { batchSize: 4, maxElements: 20_000 }) {
  if (!models.has(name)) models.set(name, await LoadedModel.load(modelPath(name)));
  const model = models.get(name)!;
  const images = await sampleImages(model, fixtures.images);
  return InterventionEffects.create(model, images, fixtures.class, limits);
}

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i] - e)).toBeLessThan(tol));
}

describe.each(['lenet5', 'vgg_bn', 'resnet'])('%s against the NumPy reference', (name) => {
  it('p_c and every intervention’s per-image Δ and class effect', async () => {
    const reference = fixtures.effects[name];
    const effects = await effectsFor(name);
    expectClose(effects.base, reference.base, 2e-5);
    for (const iv of reference.interventions) {
      let deltas: Float64Array;
      if (iv.kind === 'node') [deltas] = await effects.nodeDeltas(iv.layer!, [iv.channel!]);
      else if (iv.kind === 'allPaths') continue; // checked in path-interventions and below
      else [deltas] = await effects.pathDeltas(iv.target!, [{ source: iv.source!, from: iv.from!, to: iv.to! }]);
      expectClose(deltas, iv.deltas, 5e-5);
      expect(weightedMean(deltas)).toBeCloseTo(iv.deltas.reduce((s, d) => s + d, 0) / iv.deltas.length, 5);
    }
  });
});

describe('blocking every path into a channel', () => {
  it.each([
    ['lenet5', 'conv2', 'conv1', (w: (layer: string, name: string) => number) => w('conv2', 'bias')],
    ['vgg_bn', 'conv4', 'conv3', (w: (layer: string, name: string) => number) => w('bn4', 'beta') - (w('bn4', 'gamma') * w('bn4', 'moving_mean')) / Math.sqrt(w('bn4', 'moving_variance') + w('bn4', 'epsilon'))],
  ])('%s: every slice into %s:k zeroed matches the reference, and equals A_k := relu(bias or BN shift)', async (name, target, source, preActivation) => {
    const iv = fixtures.effects[name].interventions.find((x) => x.kind === 'allPaths')!;
    const effects = await effectsFor(name);
    const { model, images } = effects;
    const width = model.nodeLayers.find((l) => l.name === source)!.channels;
    const edits = Array.from({ length: width }, (_, j) => ({ layer: target, input: j, output: iv.to! }));
    const probs = async (logits: Float32Array) => Array.from({ length: images.n }, (_, b) => probability(logits, b, 10, fixtures.class));
    const blocked = await withEditedModel(model, edits, async (m) => probs((await m.forward(images.input, images.n)).logits));
    expectClose(blocked, iv.probability, 5e-5);
    const spec = model.graph.spec;
    const w = (layer: string, weight: string) => {
      const l = spec.layers.find((x) => x.name === layer)!;
      return weight === 'epsilon' ? (l.config.epsilon as number) : l.weights.find((x) => x.name === weight)!.values[iv.to!];
    };
    const value = Math.max(0, preActivation(w));
    const constant = await model.forward(images.input, images.n, { interventions: { shared: [{ layer: target, channels: [iv.to!], kind: 'constant', value }] } });
    expectClose(await probs(constant.logits), blocked, 2e-5);
  });
});

describe('caching and weights', () => {
  it('repeats no intervention it has run, and a bootstrap weighting equals the duplicated images', async () => {
    const effects = await effectsFor('lenet5', { batchSize: 6, maxElements: 1 << 20 });
    const edges = [0, 1, 2].map((from) => ({ source: 'conv1', from, to: 9 }));
    const first = await effects.pathDeltas('conv2', edges);
    const runs = effects.runs;
    const again = await effects.pathDeltas('conv2', [...edges].reverse());
    expect(effects.runs).toBe(runs);
    expect(again[2]).toBe(first[0]);

    const weights = bootstrapWeights(fixtures.images.length, 11);
    expect(weights.reduce((a, b) => a + b, 0)).toBe(fixtures.images.length);
    const duplicated = fixtures.images.flatMap((index, i) => new Array<number>(weights[i]).fill(index));
    const model = models.get('lenet5')!;
    const resampled = await InterventionEffects.create(model, await sampleImages(model, duplicated), fixtures.class, { batchSize: 4, maxElements: 1 << 20 });
    const [direct] = await resampled.pathDeltas('conv2', [edges[1]]);
    expect(weightedMean(first[1], weights)).toBeCloseTo(weightedMean(direct), 6);
    const [node] = await effects.nodeDeltas('conv2', [9]);
    const [nodeDirect] = await resampled.nodeDeltas('conv2', [9]);
    expect(weightedMean(node, weights)).toBeCloseTo(weightedMean(nodeDirect), 6);
  });

  it('reports progress and stops at the next pass when cancelled', async () => {
    const model = models.get('lenet5') ?? (await LoadedModel.load(modelPath('lenet5')));
    models.set('lenet5', model);
    const images = await sampleImages(model, fixtures.images);
    const stages: string[] = [];
    const effects = await InterventionEffects.create(model, images, 3, { batchSize: 2, maxElements: 5000 }, { onProgress: (p) => stages.push(p.stage) });
    await effects.nodeDeltas('conv1', [0, 1, 2]);
    expect(stages).toContain('node effects (conv1)');
    const controller = new AbortController();
    const cancelled = await InterventionEffects.create(model, images, 3, { batchSize: 2, maxElements: 5000 }, { signal: controller.signal });
    controller.abort();
    await expect(cancelled.pathDeltas('conv2', [{ source: 'conv1', from: 0, to: 0 }])).rejects.toThrow(/cancelled/);
  });
});
