/**
 * Two engines, one answer: the ONNX Runtime engine (our model spec translated to ONNX) against the
 * TensorFlow.js executor on real images, for the three demo families and third-party Keras and
 * TensorFlow.js models: logits (relative 1e-4), φ of every node layer (all kinds), every intervention
 * kind (shared and per sample, `mean` with a map), suffix re-runs with several masks per pass, and the
 * true-ablation drops of whole layers.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import type { Intervention } from '../../src/main/engine/interventions.js';
import { type ForwardResult, LoadedModel } from '../../src/main/engine/loaded-model.js';
import { type ImageBatch, loadImages } from '../../src/main/evaluation/evaluation-images.js';
import { trueAblation } from '../../src/main/evaluation/true-ablation.js';
import { MNIST, REPO, SHARED_MODELS } from '../helpers/data-paths.js';

const SAMPLE = join(REPO, 'resources/data/cifar10-test-sample.bin');
const kinds = ['fro', 'mean', 'max', 'std'] as const;

interface Case {
  name: string;
  path: string;
  data: string;
  split?: 'test';
  scale: number;
  /** Node layers ablated channel by channel (all channels of each). */
  ablate: (layers: string[]) => string[];
}

const convs = (layers: string[]) => layers.slice(0, -1);
const cases: Case[] = [
  { name: 'lenet5 (demo)', path: join(REPO, 'resources/models/lenet5'), data: SAMPLE, scale: 1 / 255, ablate: convs },
  { name: 'vgg_bn (demo)', path: join(REPO, 'resources/models/vgg_bn'), data: SAMPLE, scale: 1 / 255, ablate: (l) => [l[0], l[3]] },
  { name: 'resnet (demo)', path: join(REPO, 'resources/models/resnet'), data: SAMPLE, scale: 1 / 255, ablate: (l) => [l[1], l.find((n) => n.endsWith('add'))!] },
  { name: 'Keras .h5 LeNet-5 (third party)', path: `${SHARED_MODELS}lenet5_cifar10_patrickphat_h5/lenet5.h5`, data: SAMPLE, scale: 1 / 255, ablate: convs },
  { name: 'TensorFlow.js MNIST CNN (third party)', path: `${SHARED_MODELS}zz632893783_mnist`, data: MNIST, split: 'test', scale: 1 / 255, ablate: convs },
  // PyTorch-exported ONNX files, read by the ONNX loader into our model spec and translated back.
  { name: 'ONNX ResNet-18 (PyTorch export)', path: join(REPO, 'test/fixtures/onnx/resnet18.onnx'), data: SAMPLE, scale: 1 / 255, ablate: (l) => [l[1]] },
  { name: 'ONNX MobileNetV2-like (depthwise, ReLU6)', path: join(REPO, 'test/fixtures/onnx/mobilenetv2.onnx'), data: SAMPLE, scale: 1 / 255, ablate: (l) => [l[2]] },
  { name: 'ONNX op zoo (opset 17)', path: join(REPO, 'test/fixtures/onnx/opzoo.onnx'), data: SAMPLE, scale: 1 / 255, ablate: (l) => [l[0]] },
];

/** max |a − b| / max |b|: the relative error of a whole output (`floor` raises the denominator). */
function relative(a: Float32Array, b: Float32Array, floor = 1e-6): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

function expectSame(ort: ForwardResult, tfjs: ForwardResult, what: string): void {
  expect(ort.batch).toBe(tfjs.batch);
  expect(relative(ort.logits, tfjs.logits), `${what}: logits`).toBeLessThan(1e-4);
  expect(Object.keys(ort.phi).sort(), `${what}: φ layers`).toEqual(Object.keys(tfjs.phi).sort());
  for (const [layer, byKind] of Object.entries(tfjs.phi)) {
    for (const [kind, values] of Object.entries(byKind)) {
      // A std is a difference (x − mean): float32 rounding of order ε·|mean| is all either engine can
      // promise, so its error is measured against the map's mean as well as its spread.
      const floor = kind === 'std' && byKind.mean ? Math.max(...Array.from(byKind.mean, Math.abs)) : 1e-6;
      expect(relative(ort.phi[layer][kind as (typeof kinds)[number]]!, values!, floor), `${what}: φ ${kind} of ${layer}`).toBeLessThan(1e-4);
    }
  }
}

for (const c of cases) {
  describe(`ONNX Runtime = TensorFlow.js: ${c.name}`, () => {
    let ort: LoadedModel;
    let tfjs: LoadedModel;
    let batches: ImageBatch[];
    beforeAll(async () => {
      ort = await LoadedModel.load(c.path, { engine: 'ort' });
      tfjs = await LoadedModel.load(c.path, { engine: 'tfjs' });
      const dataset = await openDataset(c.data, c.split ? { split: c.split } : {});
      batches = await loadImages(tfjs, dataset, Array.from({ length: 64 }, (_, i) => i * 3), { scale: c.scale }, 32);
    });
    afterAll(() => {
      ort.dispose();
      tfjs.dispose();
    });

    it('runs on the engines asked for', () => {
      expect(ort.summary().engine.name).toBe('ort');
      expect(tfjs.summary().engine.name).toBe('tfjs');
    });

    it('logits and φ (fro, mean, max, std) of every node layer agree', async () => {
      const [b] = batches;
      const request = { phi: { kinds: [...kinds] } };
      const [a, r] = [await ort.forward(b.input, b.n, request), await tfjs.forward(b.input, b.n, request)];
      expect(Object.keys(a.phi)).toHaveLength(ort.nodeLayers.length);
      expectSame(a, r, 'plain pass');
    });

    it('every intervention kind, shared and per sample, agrees', async () => {
      const [b] = batches;
      const layers = ort.nodeLayers;
      const first = layers[0];
      const mid = layers[Math.floor((layers.length - 1) / 2)];
      const meanMap = Float32Array.from({ length: mid.shape.reduce((x, y) => x * y, 1) }, (_, i) => Math.abs(Math.sin(i * 0.71)));
      const shared: Intervention[] = [
        { layer: first.name, channels: [0, first.channels - 1], kind: 'zero' },
        { layer: first.name, channels: [1], kind: 'scale', value: 2.5 },
        { layer: mid.name, channels: [0], kind: 'constant', value: 0.75 },
        { layer: mid.name, channels: [1, 2], kind: 'mean' },
      ];
      const perSample: Intervention[][] = Array.from({ length: b.n }, (_, i) => [{ layer: mid.name, channels: [i % mid.channels], kind: 'zero' }]);
      const request = { interventions: { shared, perSample }, meanMaps: { [mid.name]: meanMap }, phi: { kinds: [...kinds] } };
      expectSame(await ort.forward(b.input, b.n, request), await tfjs.forward(b.input, b.n, request), 'interventions');
    });

    it('suffix re-runs from a frontier, several masks per pass, agree', async () => {
      const [b] = batches;
      const layer = ort.nodeLayers[Math.min(1, ort.nodeLayers.length - 2)];
      const masks: Intervention[][] = [[], [{ layer: layer.name, channels: [0], kind: 'zero' }], [{ layer: layer.name, channels: [1, 2], kind: 'scale', value: -1 }]];
      const perSample = masks.flatMap((m) => Array.from({ length: b.n }, () => m));
      const request = { interventions: { perSample }, phi: { kinds: ['fro' as const, 'max' as const] } };
      const [fa, fr] = [await ort.captureFrontier(b.input, b.n, layer.name), await tfjs.captureFrontier(b.input, b.n, layer.name)];
      try {
        expectSame(await ort.forwardFromFrontier(fa, request, masks.length), await tfjs.forwardFromFrontier(fr, request, masks.length), 'suffix');
      } finally {
        fa.dispose();
        fr.dispose();
      }
    });

    it('a suffix re-run from the frontier of every node layer gives the full pass', async () => {
      const input = batches[0].input.subarray(0, 8 * ort.inputShape.reduce((x, y) => x * y, 1));
      const full = await tfjs.forward(input, 8);
      for (const layer of ort.nodeLayers.slice(0, -1)) {
        const handle = await ort.captureFrontier(input, 8, layer.name);
        try {
          expect(relative((await ort.forwardFromFrontier(handle, {}, 2)).logits.subarray(8 * ort.numClasses), full.logits), layer.name).toBeLessThan(1e-4);
        } finally {
          handle.dispose();
        }
      }
    });

    it('true-ablation drops of whole layers agree', async () => {
      const layers = c.ablate(ort.nodeLayers.map((l) => l.name));
      // 16 images: the TensorFlow.js side of a whole-layer sweep is the slow part.
      const size = ort.inputShape.reduce((x, y) => x * y, 1);
      const [b] = batches;
      const images = [{ ...b, n: 16, input: b.input.subarray(0, 16 * size), labels: b.labels.subarray(0, 16), indices: b.indices.slice(0, 16) }];
      // ONNX Runtime with several masks per pass (at least 2, more where it picks more), TensorFlow.js with one.
      expect(tfjs.masksPerPass(images[0].n)).toBe(1);
      const masksPerPass = Math.max(2, ort.masksPerPass(images[0].n));
      const [a, r] = [await trueAblation(ort, images, layers, { masksPerPass }), await trueAblation(tfjs, images, layers)];
      expect(a.base.accuracy).toBe(r.base.accuracy);
      expect(Math.abs(a.base.margin - r.base.margin)).toBeLessThan(1e-4 * Math.max(1, Math.abs(r.base.margin)));
      for (const [i, got] of a.layers.entries()) {
        const want = r.layers[i];
        expect(got.name).toBe(want.name);
        const scale = Math.max(1, Math.abs(r.base.margin));
        for (let k = 0; k < want.channels; k++) {
          expect(Math.abs(got.marginDrop[k] - want.marginDrop[k]), `${want.name}[${k}] margin drop`).toBeLessThan(1e-4 * scale);
          expect(Math.abs(got.lossChange[k] - want.lossChange[k]), `${want.name}[${k}] loss change`).toBeLessThan(1e-4 * Math.max(1, r.base.loss));
        }
        // An image on the decision boundary may flip in float32: at most one image per channel, rarely.
        const flips = want.accuracyDrop.filter((d, k) => d !== got.accuracyDrop[k]);
        expect(flips.length, `${want.name}: channels whose accuracy drop differs`).toBeLessThanOrEqual(Math.ceil(want.channels / 20));
        for (let k = 0; k < want.channels; k++) expect(Math.abs(got.accuracyDrop[k] - want.accuracyDrop[k])).toBeLessThanOrEqual(1 / a.images + 1e-12);
      }
    }, 300_000);
  });
}
