/**
 * PyTorch-exported ONNX models, opened by our loader and run by our TensorFlow.js executor, agree with
 * PyTorch itself: logits, φ (fro, mean) of every node layer in network order, and the prediction on
 * every exact CIFAR-10 test record. Fixtures: scripts/train/make_onnx_fixtures.py (torch 1.13, eval
 * mode, input x/255; the export folds each BatchNorm into its Conv, the fixture's numbers do not).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelBatches } from '../../src/main/data/model-batches.js';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { toModelInput } from '../../src/main/data/preprocessing.js';
import { initBackend } from '../../src/main/engine/backend.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { tf } from '../../src/main/engine/tf.js';
import { CIFAR10_TEST_BATCH, REPO } from '../helpers/data-paths.js';
import { maxAbsDiff } from '../helpers/reference-forward.js';

interface NodeFixture {
  channels: number;
  spatial: number[];
  fro: number[][];
  mean: number[][];
}

interface Fixture {
  model: string;
  opset: number;
  images: number;
  labels: number[];
  logits: number[][];
  nodeLayers: NodeFixture[];
  testRecords: number;
  predictions: number[];
  accuracy: number;
}

const dir = join(REPO, 'test/fixtures/onnx');
const sample = join(REPO, 'resources/data/cifar10-test-sample.bin');
const load = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Fixture;
const shape32 = { height: 32, width: 32, channels: 3 };

async function predictAll(model: LoadedModel): Promise<number[]> {
  const dataset = await openDataset(CIFAR10_TEST_BATCH);
  const indices = Array.from({ length: dataset.info.count }, (_, i) => i);
  const out: number[] = [];
  for await (const batch of modelBatches(dataset, indices, 128, { scale: 1 / 255 }, shape32)) {
    const { logits, numClasses } = await model.forward(batch.input, batch.n);
    for (let i = 0; i < batch.n; i++) {
      const row = logits.subarray(i * numClasses, (i + 1) * numClasses);
      out.push(row.indexOf(Math.max(...row)));
    }
  }
  return out;
}

describe('ONNX models exported by PyTorch', () => {
  beforeAll(async () => {
    await initBackend();
  });

  for (const name of ['lenet', 'resnet18', 'mobilenetv2', 'opzoo']) {
    it(`${name}: logits and φ of every node layer match PyTorch`, { timeout: 120_000 }, async () => {
      const fixture = load(name);
      const tensorsBefore = tf.memory().numTensors;
      const model = await LoadedModel.load(join(dir, `${name}.onnx`));
      expect(model.graph.spec.format).toBe('onnx');
      expect(model.inputShape).toEqual([32, 32, 3]);
      const dataset = await openDataset(sample);
      const indices = Array.from({ length: fixture.images }, (_, i) => i);
      const raw = await dataset.read(indices);
      expect(Array.from(raw.labels)).toEqual(fixture.labels);
      const input = toModelInput(raw, shape32, { scale: 1 / 255 }, shape32);
      const out = await model.forward(input, fixture.images, { phi: { kinds: ['fro', 'mean'] } });

      const want = fixture.logits.flat();
      expect(maxAbsDiff(out.logits, want) / Math.max(...want.map(Math.abs))).toBeLessThan(1e-4);

      // METHODS §0 node layers, in network order: same count, channels and spatial size as PyTorch's
      // post-activation taps, and the same φ.
      expect(model.nodeLayers.map((n) => [n.channels, ...n.shape.slice(0, -1)])).toEqual(
        fixture.nodeLayers.map((n) => [n.channels, ...n.spatial]),
      );
      model.nodeLayers.forEach((node, i) => {
        for (const kind of ['fro', 'mean'] as const) {
          // Rank-2 node layers (the logits) use the value itself for every φ: the fixture's mean of one value.
          const expected = fixture.nodeLayers[i][node.shape.length === 1 ? 'mean' : kind].flat();
          const scale = Math.max(1e-6, ...expected.map(Math.abs));
          expect(maxAbsDiff(out.phi[node.name][kind]!, expected) / scale, `${node.name} ${kind}`).toBeLessThan(1e-4);
        }
      });
      model.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });
  }

  for (const name of ['lenet', 'resnet18', 'mobilenetv2']) {
    it.skipIf(!existsSync(CIFAR10_TEST_BATCH))(`${name}: predictions on the exact CIFAR-10 test records match PyTorch`, { timeout: 240_000 }, async () => {
      const fixture = load(name);
      const model = await LoadedModel.load(join(dir, `${name}.onnx`));
      const predictions = await predictAll(model);
      model.dispose();
      expect(predictions).toHaveLength(fixture.testRecords);
      const differ = predictions.filter((p, i) => p !== fixture.predictions[i]).length;
      // float32 on two implementations: a borderline image may flip; allow one in a thousand.
      expect(differ).toBeLessThanOrEqual(1);
      const labels = (await openDataset(CIFAR10_TEST_BATCH)).labels();
      const accuracy = predictions.filter((p, i) => p === labels[i]).length / predictions.length;
      expect(Math.abs(accuracy - fixture.accuracy)).toBeLessThanOrEqual(differ / fixture.testRecords + 1e-12);
    });
  }
});
