/**
 * The bundled demo models, run by our engine from their TensorFlow.js export, agree with the PyTorch
 * models they were trained as: logits, φ of every node layer, and accuracy. Fixtures come from
 * scripts/train/make_fixtures.py (PyTorch, eval mode, first 16 images of the bundled sample, x/255).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { toModelInput } from '../../src/main/data/preprocessing.js';
import { selectIndices } from '../../src/main/data/sampling.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { evaluateModel } from '../../src/main/evaluation/evaluate-model.js';
import { REPO } from '../helpers/data-paths.js';
import { maxAbsDiff } from '../helpers/reference-forward.js';

interface Fixture {
  model: string;
  images: number;
  logits: number[][];
  labels: number[];
  nodeLayers: Record<string, Record<'fro' | 'mean' | 'max' | 'std', number[][]>>;
  accuracy500: number;
}

const fixtureDir = join(REPO, 'test/fixtures/demo-models');
const sample = join(REPO, 'resources/data/cifar10-test-sample.bin');
const fixtures = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(fixtureDir, f), 'utf8')) as Fixture);

describe('demo models against PyTorch', () => {
  it('each of the three demo families is bundled with a fixture', () => {
    const demo = ['lenet5', 'resnet', 'vgg_bn'];
    for (const m of demo) expect(existsSync(join(REPO, 'resources/models', m, 'model.json')), m).toBe(true);
    expect(fixtures.map((f) => f.model).sort()).toEqual(demo);
  });

  for (const fixture of fixtures) {
    it(`${fixture.model}: logits, φ of every node layer and accuracy match`, async () => {
      const model = await LoadedModel.load(join(REPO, 'resources/models', fixture.model));
      const dataset = await openDataset(sample);
      const indices = Array.from({ length: fixture.images }, (_, i) => i);
      const raw = await dataset.read(indices);
      expect(Array.from(raw.labels)).toEqual(fixture.labels);
      const input = toModelInput(raw, { height: 32, width: 32, channels: 3 }, { scale: 1 / 255 }, { height: 32, width: 32, channels: 3 });
      const out = await model.forward(input, indices.length, { phi: { kinds: ['fro', 'mean', 'max', 'std'] } });

      const expectedLogits = fixture.logits.flat();
      const logitScale = Math.max(...expectedLogits.map(Math.abs));
      expect(maxAbsDiff(out.logits, expectedLogits) / logitScale).toBeLessThan(1e-4);

      // METHODS §0: one node layer per convolution and per residual Add, plus the logits — counted
      // here straight from the file. The fixture's post-activation layers must all be among ours
      // (it leaves out convs with no activation after them: residual branches and 1×1 shortcuts).
      const convLike = model.nodeLayers.filter((n) => n.kind !== 'logits');
      const spec = model.graph.spec.layers;
      expect(convLike).toHaveLength(spec.filter((l) => l.className === 'Conv2D' || l.className === 'Add').length);
      const ours = new Map(convLike.map((n) => [n.outputLayer, n]));
      for (const name of Object.keys(fixture.nodeLayers)) {
        const node = ours.get(name);
        expect(node, `fixture node layer ${name}`).toBeDefined();
        const expected = fixture.nodeLayers[name];
        for (const kind of ['fro', 'mean', 'max', 'std'] as const) {
          const want = expected[kind].flat();
          const scale = Math.max(1e-6, ...want.map(Math.abs));
          expect(maxAbsDiff(out.phi[node!.name][kind]!, want) / scale, `${name} ${kind}`).toBeLessThan(1e-4);
        }
      }

      const all = selectIndices(dataset.labels());
      const result = await evaluateModel(model, dataset, { indices: all, preprocessing: { scale: 1 / 255 } });
      model.dispose();
      // A borderline image may flip between float32 implementations: allow one of 500.
      expect(Math.abs(result.accuracy - fixture.accuracy500)).toBeLessThanOrEqual(1 / 500 + 1e-12);
    });
  }
});
