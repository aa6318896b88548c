/**
 * The graph builder on a tiny model whose class graph is known by construction (helpers.ts,
 * knownGraphModel): the right nodes and edges, effects equal to direct averages and to the closed
 * form, τ mode, screening, residual merges, and cancel.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { buildClassGraph } from '../../src/main/explanatory-graph/graph-builder.js';
import { resolveGraphSettings } from '../../src/main/explanatory-graph/graph-settings.js';
import { InterventionEffects, weightedMean } from '../../src/main/explanatory-graph/intervention-effects.js';
import { residualBlock } from '../helpers/tiny-models.js';
import { knownGraphModel, probability, tinyImages } from './helpers.js';

const models: LoadedModel[] = [];
afterAll(() => models.forEach((m) => m.dispose()));

async function setup(spec = knownGraphModel(), cls = 0) {
  const model = await LoadedModel.fromSpec(spec);
  models.push(model);
  const images = tinyImages(model, 6, 21);
  const effects = await InterventionEffects.create(model, images, cls, { batchSize: 4, maxElements: 1 << 16 });
  return { model, images, effects };
}

const byId = (edges: { from: string; to: string; effect: number }[]) => new Map(edges.map((e) => [`${e.from}>${e.to}`, e.effect]));

describe('class graph on a model with a known answer', () => {
  it('finds convA:1 → convB:2 (strong), convA:3 → convB:2 (weak), convB:2 → class 0, and nothing else', async () => {
    const { effects, model, images } = await setup();
    const graph = await buildClassGraph(effects, resolveGraphSettings({ k: 5, candidates: 0 }));
    expect(graph.nodes.map((n) => `${n.layer}:${n.channel}`)).toEqual(['convA:1', 'convA:3', 'convB:2']);
    const edges = byId(graph.edges);
    expect([...edges.keys()].sort()).toEqual(['convA:1>convB:2', 'convA:3>convB:2', 'convB:2>dense:0']);
    expect(edges.get('convA:1>convB:2')!).toBeGreaterThan(edges.get('convA:3>convB:2')!);
    expect(edges.get('convA:3>convB:2')!).toBeGreaterThan(0);
    expect(graph.tested).toEqual({ nodes: 3 + 2, paths: 4 });

    // convB:2 zeroed leaves logits (0, 0, 0, 0, 0): p_0 = 1/5 exactly.
    const { logits } = await model.forward(images.input, images.n);
    const p0 = Array.from({ length: images.n }, (_, b) => probability(logits, b, 5, 0));
    const classEdge = edges.get('convB:2>dense:0')!;
    expect(classEdge).toBeCloseTo(p0.reduce((s, p) => s + p, 0) / images.n - 0.2, 6);
    expect(graph.nodes.find((n) => n.layer === 'convB')!.effect).toBe(classEdge);

    // A node that reaches the class only through one path has that path's effect.
    for (const j of [1, 3]) expect(graph.nodes.find((n) => n.layer === 'convA' && n.channel === j)!.effect).toBeCloseTo(edges.get(`convA:${j}>convB:2`)!, 6);

    // Unused channels and paths have exactly zero effect: excluded, not merely ranked low.
    const [b0, b1] = await effects.nodeDeltas('convB', [0, 1]);
    expect(weightedMean(b0)).toBe(0);
    expect(weightedMean(b1)).toBe(0);
    const [p02] = await effects.pathDeltas('convB', [{ source: 'convA', from: 0, to: 2 }]);
    expect(weightedMean(p02)).toBe(0);
  });

  it('τ between the two path effects keeps only the strong path; k = 1 likewise', async () => {
    const { effects } = await setup();
    const full = byId((await buildClassGraph(effects, resolveGraphSettings({ candidates: 0 }))).edges);
    const tau = (full.get('convA:1>convB:2')! + full.get('convA:3>convB:2')!) / 2;
    for (const settings of [{ tau, candidates: 0 }, { k: 1, candidates: 0 }]) {
      const graph = await buildClassGraph(effects, resolveGraphSettings(settings));
      expect(graph.nodes.map((n) => `${n.layer}:${n.channel}`)).toEqual(['convA:1', 'convB:2']);
    }
  });

  it('screening by the first-order estimate tests only the strongest candidate per node', async () => {
    const { effects } = await setup();
    const graph = await buildClassGraph(effects, resolveGraphSettings({ candidates: 1 }));
    expect(graph.tested.paths).toBe(1);
    expect(graph.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['convA:1>convB:2', 'convB:2>dense:0']);
  });

  it('image weights reweight the cached per-image effects without new runs', async () => {
    const { effects } = await setup();
    const settings = resolveGraphSettings({ candidates: 0 });
    await buildClassGraph(effects, settings);
    const runs = effects.runs;
    const weights = [3, 0, 1, 0, 2, 0];
    const weighted = await buildClassGraph(effects, settings, weights);
    expect(effects.runs).toBe(runs);
    const [node] = await effects.nodeDeltas('convB', [2]);
    expect(weighted.nodes.find((n) => n.layer === 'convB')!.effect).toBeCloseTo((3 * node[0] + node[2] + 2 * node[4]) / 6, 12);
  });

  it('stops when cancelled', async () => {
    const model = await LoadedModel.fromSpec(knownGraphModel());
    models.push(model);
    const controller = new AbortController();
    const effects = await InterventionEffects.create(model, tinyImages(model, 4, 2), 0, { batchSize: 4, maxElements: 1 << 16 }, { signal: controller.signal });
    controller.abort();
    await expect(buildClassGraph(effects, resolveGraphSettings({}))).rejects.toThrow(/cancelled/);
  });
});

describe('residual merges', () => {
  it('join equal channels of both branches, and a branch edge equals its node effect', async () => {
    const { effects } = await setup(residualBlock(), 1);
    const graph = await buildClassGraph(effects, resolveGraphSettings({ k: 2, candidates: 0 }));
    const intoAdd = graph.edges.filter((e) => e.to.startsWith('add:'));
    expect(intoAdd.length).toBeGreaterThan(0);
    for (const e of intoAdd) {
      const [layer, channel] = e.from.split(':');
      expect(['stem', 'branch']).toContain(layer);
      expect(channel).toBe(e.to.split(':')[1]);
      if (layer === 'branch') expect(e.effect).toBeCloseTo(weightedMean((await effects.nodeDeltas('branch', [Number(channel)]))[0]), 6);
    }
    // stem feeds the Add and the branch conv: it collects candidates from both before its nodes are chosen.
    const stemTargets = new Set(graph.edges.filter((e) => e.from.startsWith('stem:')).map((e) => e.to.split(':')[0]));
    expect(graph.nodes.filter((n) => n.layer === 'stem').length).toBeGreaterThan(0);
    expect([...stemTargets].every((t) => t === 'add' || t === 'branch')).toBe(true);
    expect(graph.notes).toEqual([]);
  });
});
