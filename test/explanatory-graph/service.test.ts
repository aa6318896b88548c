/** The service the app calls: plain-JSON graphs cached in the project store, class comparison, errors. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedExplanatoryGraph, compareGraphs, explanatoryGraphOn, GRAPH_ARTIFACT } from '../../src/main/features/explain/explain-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { SAMPLE, modelPath } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-graph-service-'));
let session: ProjectSession;
beforeAll(async () => {
  session = await ProjectSession.open(join(tmp, 'p'), { modelPath: modelPath('lenet5'), dataPath: SAMPLE, preprocessing: { scale: 1 / 255 } });
});
afterAll(() => {
  session.close();
  rmSync(tmp, { recursive: true, force: true });
});

const settings = { images: 5, bootstrap: 1, noiseRepeats: 0, randomSeeds: 2, k: 3 };

describe('explanatory graph service', () => {
  it('returns plain JSON, caches it per class and settings, and compares two classes', async () => {
    expect(cachedExplanatoryGraph(session, 'cat', settings)).toBeUndefined();
    const cat = await explanatoryGraphOn(session, 'cat', settings);
    expect(cat.cached).toBe(false);
    expect(JSON.parse(JSON.stringify(cat))).toEqual(cat); // plain JSON: no typed arrays, NaN or Infinity
    expect(cat.classNode).toBe('logits:3');
    expect(cat.layers).toEqual(['conv1', 'conv2', 'logits']);
    expect(cat.graphLayers).toEqual(['conv1', 'conv2']);
    expect(cat.stability.noise).toEqual({ jaccard: null, spearman: null, layers: {} }); // no noisy repeats asked for
    // beside Grad-CAM: the three plain-words comparisons, faithfulness on disjoint training-split images
    expect(cat.rivals.map((r) => r.measure)).toEqual(['top-layer stability', 'sufficiency', 'necessity']);
    expect(cat.heldOutFaithfulness!.indices.every((i) => !cat.indices.includes(i))).toBe(true);
    expect(session.store.listArtifacts(GRAPH_ARTIFACT)).toHaveLength(1);
    const again = await explanatoryGraphOn(session, 3, settings);
    expect(again.cached).toBe(true);
    expect(again.nodes).toEqual(cat.nodes);
    expect(cachedExplanatoryGraph(session, 3, settings)?.edges).toEqual(cat.edges);

    const dog = await explanatoryGraphOn(session, 'dog', settings);
    const cmp = compareGraphs(cat, dog);
    expect(cmp.classes).toEqual([3, 5]);
    expect(cmp.shared.length + cmp.onlyFirst.length).toBe(cat.nodes.length);
    expect(cmp.jaccard).toBeCloseTo(cmp.shared.length / (cat.nodes.length + dog.nodes.length - cmp.shared.length), 5);
  });

  it('names the classes when one is unknown', async () => {
    await expect(explanatoryGraphOn(session, 'unicorn', settings)).rejects.toThrow(/class "unicorn" is neither a class index 0…9 nor a class name \(airplane, automobile/);
    await expect(explanatoryGraphOn(session, 10, settings)).rejects.toThrow(/neither a class index 0…9/);
  });
});
