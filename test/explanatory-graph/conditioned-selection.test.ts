/**
 * Baselines chosen the way the graph chooses its nodes (issue 16) against the committed NumPy
 * fixture (test/fixtures/explanatory-graph/make_conditioned_fixtures.py): in-neighbours from the
 * bundled models' kernels and residual Adds, and the conditioned sets layer by layer.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { conditionedChannels, strongestInputs, weightNeighbours } from '../../src/main/explanatory-graph/conditioned-selection.js';
import { topChannels } from '../../src/main/explanatory-graph/baseline-scores.js';
import { modelPath } from './helpers.js';

interface Case {
  seed: number;
  scores: Record<string, number[]>;
  sizes: Record<string, number>;
  expected: Record<string, number[]>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/explanatory-graph/conditioned-fixtures.json', import.meta.url), 'utf8')) as {
  edgesPerNode: number;
  models: Record<string, { top: string[]; nodes: { name: string; parents: string[] }[]; cases: Case[] }>;
};

describe.each(['vgg_bn', 'resnet'])('conditioned baseline sets on %s', (name) => {
  let model: LoadedModel;
  const ref = fixture.models[name];
  beforeAll(async () => {
    model = await LoadedModel.load(modelPath(name));
  }, 60_000);
  afterAll(() => model?.dispose());

  it('has the node layers and top layer NumPy derived from model.json', () => {
    expect(model.nodeLayers.slice(0, -1).map((l) => l.name).sort()).toEqual(ref.nodes.map((n) => n.name).sort());
    for (const n of ref.nodes) expect([...model.graph.nodeLayer(n.name).parents].sort()).toEqual([...n.parents].sort());
    expect(model.nodeLayers[model.nodeLayers.length - 1].parents).toEqual(ref.top);
  });

  it.each([0, 1])('chooses the same channels layer by layer as NumPy (scores seed %i)', (seed) => {
    const c = ref.cases.find((x) => x.seed === seed)!;
    const sets = conditionedChannels(model.nodeLayers, ref.top, c.scores, c.sizes, weightNeighbours(model, fixture.edgesPerNode));
    expect(sets).toEqual(c.expected);
    // and it is a different choice from the unconditioned top-m below the top layer
    const free = topChannels(c.scores, c.sizes);
    expect(free[ref.top[0]]).toEqual(sets[ref.top[0]]);
    expect(Object.keys(sets).filter((l) => !ref.top.includes(l)).some((l) => free[l].join() !== sets[l].join())).toBe(true);
  });
});

describe('strongest kernel inputs', () => {
  it('ranks input channels by the L1 norm of their slice, ties to the lower channel', () => {
    // [kh=1, kw=2, cin=3, cout=2]: output 1 gets |.| sums 3, 5, 3 from inputs 0, 1, 2
    const kernel = [0, 1, 9, -2, 0, 1, 0, 2, 9, -3, 0, -2];
    expect(strongestInputs(kernel, 3, 2, 1, 2)).toEqual([1, 0]);
    expect(strongestInputs(kernel, 3, 2, 1, 3)).toEqual([1, 0, 2]);
    expect(strongestInputs(kernel, 3, 2, 0, 1)).toEqual([1]); // output 0: sums 0, 18, 0
  });
});
