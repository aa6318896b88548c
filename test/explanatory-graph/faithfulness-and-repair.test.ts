/**
 * Faithfulness against direct forward passes, a whole class explanation's invariants, and the repair
 * of the bias-audit demo's planted patch (biased model) with the clean model as the control.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import type { Intervention } from '../../src/main/engine/interventions.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { projectSplit, propertyEdit } from '../../src/main/explanatory-graph/class-images.js';
import { explainClass, graphSets } from '../../src/main/explanatory-graph/explain-class.js';
import { faithfulness, randomSets } from '../../src/main/explanatory-graph/faithfulness.js';
import { resolveGraphSettings } from '../../src/main/explanatory-graph/graph-settings.js';
import { repairClass } from '../../src/main/explanatory-graph/repair.js';
import { SAMPLE, fixtures, modelPath, probability, sampleImages } from './helpers.js';

const models: LoadedModel[] = [];
afterAll(() => models.forEach((m) => m.dispose()));
async function load(name: string) {
  const m = await LoadedModel.load(modelPath(name));
  models.push(m);
  return m;
}

describe('faithfulness', () => {
  it('per layer and joint keep/remove outcomes equal full forward passes with the same interventions', async () => {
    const model = await load('lenet5');
    const images = await sampleImages(model, fixtures.images);
    const cls = fixtures.class;
    const set = { conv1: [1, 4], conv2: [9, 7, 6] };
    const other = randomSets({ conv1: 2, conv2: 3 }, { conv1: 6, conv2: 16 }, 5);
    expect(other.conv1).toHaveLength(2);
    expect(other).toEqual(randomSets({ conv1: 2, conv2: 3 }, { conv1: 6, conv2: 16 }, 5));
    const result = await faithfulness(model, images, cls, [set, other], { batchSize: 4, maxElements: 50_000 });

    const outcome = async (ivs: Intervention[]) => {
      const { logits } = await model.forward(images.input, images.n, { interventions: { shared: ivs } });
      const p = Array.from({ length: images.n }, (_, b) => probability(logits, b, 10, cls));
      const hits = Array.from({ length: images.n }, (_, b) => logits.subarray(b * 10, b * 10 + 10).indexOf(Math.max(...logits.subarray(b * 10, b * 10 + 10))) === cls);
      return { p: p.reduce((s, v) => s + v, 0) / images.n, acc: hits.filter(Boolean).length / images.n };
    };
    const rest = (keep: number[], width: number) => Array.from({ length: width }, (_, k) => k).filter((k) => !keep.includes(k));
    const base = await outcome([]);
    expect(result.base.probability).toBeCloseTo(base.p, 6);
    const keep1 = await outcome([{ layer: 'conv1', channels: rest(set.conv1, 6), kind: 'zero' }]);
    const keep2 = await outcome([{ layer: 'conv2', channels: rest(set.conv2, 16), kind: 'zero' }]);
    const drop1 = await outcome([{ layer: 'conv1', channels: set.conv1, kind: 'zero' }]);
    const drop2 = await outcome([{ layer: 'conv2', channels: set.conv2, kind: 'zero' }]);
    const g = result.sets[0];
    expect(g.sufficiency).toBeCloseTo((keep1.p + keep2.p) / 2, 6);
    expect(g.sufficiencyAccuracy).toBeCloseTo((keep1.acc + keep2.acc) / 2, 12);
    expect(g.necessity).toBeCloseTo(base.p - (drop1.p + drop2.p) / 2, 6);
    const jointKeep = await outcome([
      { layer: 'conv1', channels: rest(set.conv1, 6), kind: 'zero' },
      { layer: 'conv2', channels: rest(set.conv2, 16), kind: 'zero' },
    ]);
    const jointDrop = await outcome([
      { layer: 'conv1', channels: set.conv1, kind: 'zero' },
      { layer: 'conv2', channels: set.conv2, kind: 'zero' },
    ]);
    expect(g.joint.sufficiency).toBeCloseTo(jointKeep.p, 6);
    expect(g.joint.necessity).toBeCloseTo(base.p - jointDrop.p, 6);
    expect(g.joint.necessityAccuracy).toBeCloseTo(jointDrop.acc, 12);
  });
});

describe('a class explanation', () => {
  it('builds the graph, compares it with the baselines at equal size, and reports stability and faithfulness', async () => {
    const model = await load('lenet5');
    const dataset = await openDataset(SAMPLE);
    const heldOut = projectSplit(dataset.labels(), { seed: 0, evalFraction: 0.2 }).evaluation;
    const settings = resolveGraphSettings({ images: 8, bootstrap: 2, noiseRepeats: 1, randomSeeds: 2 });
    const r = await explainClass({ model, dataset, preprocessing: { scale: 1 / 255 }, heldOut }, 3, settings);
    expect(r.indices.every((i) => heldOut.includes(i) && dataset.labels()[i] === 3)).toBe(true);
    expect(r.indices.length).toBeLessThanOrEqual(8);
    const sets = graphSets(r.graph);
    expect(Object.keys(sets)).toEqual(['conv1', 'conv2']);
    expect(sets.conv2.length).toBeLessThanOrEqual(5);
    for (const e of r.graph.edges) expect(e.effect).toBeGreaterThan(0);
    const ids = new Set(r.graph.nodes.map((n) => `${n.layer}:${n.channel}`));
    for (const e of r.graph.edges) expect(ids.has(e.from)).toBe(true);
    expect(r.stability.baselines.map((b) => b.name)).toEqual(['grad-cam', 'gradient-x-activation', 'taylor']);
    for (const a of [r.stability, r.stability.bootstrap, r.stability.noise, ...r.stability.baselines]) {
      expect(a.jaccard).toBeGreaterThanOrEqual(0);
      expect(a.jaccard).toBeLessThanOrEqual(1);
    }
    expect(r.faithfulness.baselines.map((b) => b.name)).toEqual(['grad-cam', 'gradient-x-activation', 'taylor', 'random']);
    expect(r.faithfulness.sufficiency).toBeGreaterThanOrEqual(0);
    expect(r.faithfulness.sufficiency).toBeLessThanOrEqual(1);
    expect(r.seconds.total).toBeGreaterThanOrEqual(r.seconds.graph);
  });
});

describe('repair of the planted patch (bias-audit demo)', () => {
  it('removes the patch channel of the biased model and narrows the aligned/conflicting gap; the clean model loses nothing', async () => {
    const dataset = await openDataset(SAMPLE);
    const split = projectSplit(dataset.labels(), { seed: 0, evalFraction: 0.2 });
    const settings = resolveGraphSettings({ images: 30 });
    const options = { feature: propertyEdit('patch'), threshold: 0.25 };
    const run = async (name: string) =>
      repairClass({ model: await load(name), dataset, preprocessing: { scale: 1 / 255 }, heldOut: split.evaluation, train: split.train }, 3, settings, options);

    const biased = await run('bias-audit-biased');
    expect(biased.probability.withFeature).toBeGreaterThan(0.8);
    expect(biased.removed.map((n) => `${n.layer}:${n.channel}`)).toEqual(['conv2:3']);
    expect(biased.lift.after).toBeLessThan(0.1 * biased.lift.before);
    const gap = (a: { aligned: number; conflicting: number }) => a.aligned - a.conflicting;
    expect(gap(biased.before)).toBeGreaterThan(0.3);
    expect(gap(biased.after)).toBeLessThan(0.1);
    expect(biased.after.conflicting).toBeGreaterThan(biased.before.conflicting + 0.1);
    expect(biased.after.groups.othersWithFeature).toBeGreaterThan(biased.before.groups.othersWithFeature);
    expect(biased.images.evaluation).toBe(split.evaluation.length);

    const clean = await run('bias-audit-clean');
    expect(clean.removed).toEqual([]);
    expect(clean.after).toEqual(clean.before);
    expect(Math.abs(gap(clean.before))).toBeLessThan(0.1);
  });
});
