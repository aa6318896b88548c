/**
 * Path interventions (engine/weight-edits.ts): the batched suffix computation against forward passes
 * of hand-edited weight copies, node interventions, the bias/BN shift that blocking every path into a
 * channel leaves, residual merges against an explicit identity shortcut, and the first-order screen
 * against a finite difference.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import type { ModelSpec } from '../../src/main/engine/model-spec.js';
import { tf } from '../../src/main/engine/tf.js';
import { PathInterventionBatch, incomingPaths, withEditedModel, zeroKernelSlices } from '../../src/main/engine/weight-edits.js';
import { layer, residualBlock } from '../helpers/tiny-models.js';
import { chainWithBatchNorm, modelPath, probability, sampleImages, tinyImages } from './helpers.js';

const open: LoadedModel[] = [];
afterAll(() => open.forEach((m) => m.dispose()));
async function load(spec: ModelSpec): Promise<LoadedModel> {
  const m = await LoadedModel.fromSpec(spec);
  open.push(m);
  return m;
}

/** The spec with kernel[:, :, j, k] of `layerName` multiplied by `factor`, written out by hand. */
function handEdited(spec: ModelSpec, layerName: string, j: number, k: number, factor = 0): ModelSpec {
  return {
    ...spec,
    layers: spec.layers.map((l) => {
      if (l.name !== layerName) return l;
      return {
        ...l,
        weights: l.weights.map((w) => {
          if (w.name !== 'kernel') return w;
          const [kh, kw, cin, cout] = w.shape;
          const values = Float32Array.from(w.values);
          for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) values[((a * kw + b) * cin + j) * cout + k] = factor === 0 ? 0 : values[((a * kw + b) * cin + j) * cout + k] * factor;
          return { ...w, values };
        }),
      };
    }),
  };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThan(tol);
}

describe('path interventions j → k between consecutive convs', () => {
  it('equal a forward pass of a hand-edited weight copy, many paths in one pass, pooling and BN between', async () => {
    const spec = chainWithBatchNorm();
    const model = await load(spec);
    const images = tinyImages(model, 5, 1);
    expect(incomingPaths(model, 'convB')).toEqual({ target: 'convB', kind: 'kernel', sources: ['convA'] });
    const edges = [
      { source: 'convA', from: 0, to: 2 },
      { source: 'convA', from: 3, to: 0 },
      { source: 'convA', from: 1, to: 1 },
      { source: 'convA', from: 2, to: 2 },
    ];
    const before = tf.memory().numTensors;
    const batch = PathInterventionBatch.prepare(model, 'convB', images.input, images.n);
    const logits = await batch.logits(edges);
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const base = await model.forward(images.input, images.n);
    for (const [r, e] of edges.entries()) {
      const edited = await LoadedModel.fromSpec(handEdited(spec, 'convB', e.from, e.to));
      const ref = await edited.forward(images.input, images.n);
      edited.dispose();
      expectClose(logits.subarray(r * ref.logits.length, (r + 1) * ref.logits.length), ref.logits, 1e-5);
      // …and each path does change the output (the comparison is not vacuous).
      expect(Math.max(...ref.logits.map((v, i) => Math.abs(v - base.logits[i])))).toBeGreaterThan(1e-3);
    }
  });

  it('zeroKernelSlices edits a copy only, and withEditedModel frees its model', async () => {
    const spec = chainWithBatchNorm();
    const original = Float32Array.from(spec.layers[3].weights[0].values);
    const edited = zeroKernelSlices(spec, [{ layer: 'convB', input: 1, output: 2 }]);
    expect(spec.layers[3].weights[0].values).toEqual(original);
    expect(edited.layers[3].weights[0].values).toEqual(handEdited(spec, 'convB', 1, 2).layers[3].weights[0].values);
    expect(edited.layers[1]).toBe(spec.layers[1]); // untouched layers are shared, not copied
    const model = await load(spec);
    const before = tf.memory().numTensors;
    await withEditedModel(model, [{ layer: 'convB', input: 1, output: 2 }], async (m) => m.forward(tinyImages(m, 1, 2).input, 1));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => zeroKernelSlices(spec, [{ layer: 'bnB', input: 0, output: 0 }])).toThrow(/bnB is not a Conv2D or Dense layer/);
    expect(() => zeroKernelSlices(spec, [{ layer: 'convB', input: 4, output: 0 }])).toThrow(/outside its 4 inputs × 3 outputs/);
  });

  it('equal the node intervention do(A_j = 0) where input channel j feeds only output channel k', async () => {
    const model = await load(chainWithBatchNorm({ soleTarget: true }));
    const images = tinyImages(model, 4, 3);
    const batch = PathInterventionBatch.prepare(model, 'convB', images.input, images.n);
    const [path, other] = [await batch.logits([{ source: 'convA', from: 1, to: 2 }]), await batch.logits([{ source: 'convA', from: 0, to: 2 }])];
    batch.dispose();
    const node = await model.forward(images.input, images.n, { interventions: { shared: [{ layer: 'convA', channels: [1], kind: 'zero' }] } });
    expectClose(path, node.logits, 1e-5);
    const base = await model.forward(images.input, images.n);
    expect(Math.max(...path.map((v, i) => Math.abs(v - base.logits[i])))).toBeGreaterThan(1e-3);
    const nodeOther = await model.forward(images.input, images.n, { interventions: { shared: [{ layer: 'convA', channels: [0], kind: 'zero' }] } });
    expect(Math.max(...other.map((v, i) => Math.abs(v - nodeOther.logits[i])))).toBeGreaterThan(1e-3); // channel 0 feeds all three
  });

  it('blocking every path into k leaves the BN shift: A_k = relu(β − γμ/√(σ²+ε)), not 0', async () => {
    const spec = chainWithBatchNorm();
    const model = await load(spec);
    const images = tinyImages(model, 3, 4);
    const k = 2;
    const bn = spec.layers.find((l) => l.name === 'bnB')!;
    const w = (name: string) => bn.weights.find((x) => x.name === name)!.values[k];
    const shift = Math.max(0, w('beta') - (w('gamma') * w('moving_mean')) / Math.sqrt(w('moving_variance') + 1e-3));
    expect(shift).toBeGreaterThan(0.05);
    const all = Array.from({ length: 4 }, (_, j) => ({ source: 'convA', from: j, to: k }));
    const blocked = await withEditedModel(model, all.map((e) => ({ layer: 'convB', input: e.from, output: k })), (m) => m.forward(images.input, images.n));
    const constant = await model.forward(images.input, images.n, { interventions: { shared: [{ layer: 'convB', channels: [k], kind: 'constant', value: shift }] } });
    expectClose(blocked.logits, constant.logits, 1e-5);
    const zero = await model.forward(images.input, images.n, { interventions: { shared: [{ layer: 'convB', channels: [k], kind: 'zero' }] } });
    expect(Math.max(...zero.logits.map((v, i) => Math.abs(v - blocked.logits[i])))).toBeGreaterThan(1e-3);
  });
});

describe('residual merges [ours]', () => {
  // residualBlock: stem → BN → relu (feeds both the branch conv and the Add); branch conv → BN → Add.
  it('removing the branch term equals zeroing the branch node (it feeds only the Add)', async () => {
    const model = await load(residualBlock());
    const images = tinyImages(model, 4, 5);
    expect(incomingPaths(model, 'add')).toEqual({ target: 'add', kind: 'merge', sources: ['stem', 'branch'] });
    const batch = PathInterventionBatch.prepare(model, 'add', images.input, images.n);
    const logits = await batch.logits([{ source: 'branch', from: 3, to: 3 }]);
    await expect(batch.logits([{ source: 'branch', from: 1, to: 3 }])).rejects.toThrow(/a merge edge joins equal channels/);
    batch.dispose();
    const node = await model.forward(images.input, images.n, { interventions: { shared: [{ layer: 'branch', channels: [3], kind: 'zero' }] } });
    expectClose(logits, node.logits, 1e-5);
  });

  it('removing the identity shortcut term equals zeroing slice k→k of an explicit 1×1 identity conv on the shortcut', async () => {
    const spec = residualBlock();
    const model = await load(spec);
    const images = tinyImages(model, 4, 6);
    const identity = new Float32Array(16);
    for (let c = 0; c < 4; c++) identity[c * 4 + c] = 1;
    const shortcut = layer('shortcut', 'Conv2D', ['stem_relu'], { filters: 4, kernel_size: [1, 1], padding: 'valid', use_bias: false }, [{ name: 'kernel', shape: [1, 1, 4, 4], values: identity }]);
    const at = spec.layers.findIndex((l) => l.name === 'add');
    const rewired: ModelSpec = {
      ...spec,
      layers: [...spec.layers.slice(0, at), shortcut, { ...spec.layers[at], inbound: ['shortcut', 'branch_bn'] }, ...spec.layers.slice(at + 1)],
    };
    const explicit = await load(rewired);
    const plain = await explicit.forward(images.input, images.n);
    expectClose(plain.logits, (await model.forward(images.input, images.n)).logits, 1e-5); // the rewiring changes nothing
    const batch = PathInterventionBatch.prepare(model, 'add', images.input, images.n);
    const logits = await batch.logits([1, 2].map((k) => ({ source: 'stem', from: k, to: k })));
    batch.dispose();
    for (const [r, k] of [1, 2].entries()) {
      const ref = await withEditedModel(explicit, [{ layer: 'shortcut', input: k, output: k }], (m) => m.forward(images.input, images.n));
      expectClose(logits.subarray(r * ref.logits.length, (r + 1) * ref.logits.length), ref.logits, 1e-5);
    }
  });

  it('refuses what it cannot run, naming the layer', async () => {
    const model = await load(residualBlock());
    expect(() => incomingPaths(model, 'stem')).toThrow(/no path interventions into stem: it is the first node layer/);
  });
});

describe('first-order screen', () => {
  it('matches a central finite difference of scaling the kernel slice', async () => {
    const spec = chainWithBatchNorm();
    const model = await load(spec);
    const images = tinyImages(model, 3, 7);
    const cls = 1;
    const grads = await model.gradients(images.input, images.n, { objective: 'probability', targets: [cls, cls, cls], layers: ['convB'] });
    const batch = PathInterventionBatch.prepare(model, 'convB', images.input, images.n);
    const targets = [2, 0];
    const est = await batch.firstOrder(targets, grads.layers.convB.gradient);
    batch.dispose();
    const eps = 1e-2;
    for (const [m, k] of targets.entries()) {
      for (const j of [0, 3]) {
        const p = async (factor: number) => {
          const edited = await LoadedModel.fromSpec(handEdited(spec, 'convB', j, k, factor));
          const { logits } = await edited.forward(images.input, images.n);
          edited.dispose();
          return Array.from({ length: images.n }, (_, b) => probability(logits, b, 5, cls));
        };
        const [up, down] = [await p(1 + eps), await p(1 - eps)];
        for (let b = 0; b < images.n; b++) {
          const fd = (up[b] - down[b]) / (2 * eps);
          expect(est[(b * 4 + j) * targets.length + m]).toBeCloseTo(fd, 4);
        }
      }
    }
  });
});

describe('the ONNX Runtime suffix (fast path) against the TensorFlow.js one (issue 16)', () => {
  const both = async (spec: ModelSpec) => [await LoadedModel.fromSpec(spec, { engine: 'ort' }), await LoadedModel.fromSpec(spec, { engine: 'tfjs' })];

  it('adds a per-sample map to a node layer the same way on both engines', async () => {
    const [ort, tfjs] = await both(chainWithBatchNorm());
    open.push(ort, tfjs);
    const images = tinyImages(ort, 3, 8);
    const size = 4 * 4 * 3;
    const map = Float32Array.from({ length: 2 * images.n * size }, (_, i) => ((i * 7919) % 13) / 13 - 0.5);
    const run = async (m: LoadedModel, withMap: boolean) => {
      const handle = await m.captureFrontier(images.input, images.n, 'convB');
      try {
        return (await m.forwardFromFrontier(handle, withMap ? { addMaps: { convB: map } } : {}, 2)).logits;
      } finally {
        handle.dispose();
      }
    };
    const [a, b, plain] = [await run(ort, true), await run(tfjs, true), await run(tfjs, false)];
    expectClose(a, b, 1e-5);
    expect(Math.max(...a.map((v, i) => Math.abs(v - plain[i])))).toBeGreaterThan(1e-2);
    // a map for the 6 copies does not fit a plain pass of 3 images, on either engine
    for (const m of [ort, tfjs]) await expect(m.forward(images.input, images.n, { addMaps: { convB: map } })).rejects.toThrow('the map added to convB has 288 values; 3 samples need 144');
  });

  it.each([
    ['a conv chain with BN', chainWithBatchNorm, 'convB', [{ source: 'convA', from: 0, to: 2 }, { source: 'convA', from: 3, to: 0 }, { source: 'convA', from: 2, to: 1 }]],
    ['a residual Add', residualBlock, 'add', [{ source: 'stem', from: 1, to: 1 }, { source: 'branch', from: 3, to: 3 }]],
  ] as const)('gives the same logits as the TensorFlow.js suffix on %s', async (_, make, target, edges) => {
    const [ort, tfjs] = await both(make());
    open.push(ort, tfjs);
    const images = tinyImages(ort, 4, 9);
    const logitsOn = async (m: LoadedModel) => {
      const batch = PathInterventionBatch.prepare(m, target, images.input, images.n);
      try {
        return await batch.logits([...edges]);
      } finally {
        batch.dispose();
      }
    };
    expectClose(await logitsOn(ort), await logitsOn(tfjs), 1e-5);
  });

  it.each([
    ['vgg_bn', 'conv4', [{ source: 'conv3', from: 5, to: 7 }, { source: 'conv3', from: 40, to: 7 }, { source: 'conv3', from: 1, to: 60 }]],
    ['resnet', 'block2_2_add', [{ source: 'block2_1_add', from: 3, to: 3 }, { source: 'block2_2_conv2', from: 30, to: 30 }]],
  ] as const)('gives the same class probabilities as the TensorFlow.js suffix on the bundled %s', async (name, target, edges) => {
    const [ort, tfjs] = [await LoadedModel.load(modelPath(name), { engine: 'ort' }), await LoadedModel.load(modelPath(name), { engine: 'tfjs' })];
    open.push(ort, tfjs);
    const images = await sampleImages(ort, [0, 1, 2, 3]);
    const probabilitiesOn = async (m: LoadedModel) => {
      const batch = PathInterventionBatch.prepare(m, target, images.input, images.n);
      try {
        const logits = await batch.logits([...edges]);
        return Array.from({ length: logits.length / 10 }, (_, row) => probability(logits, row, 10, 3));
      } finally {
        batch.dispose();
      }
    };
    const [fast, slow] = [await probabilitiesOn(ort), await probabilitiesOn(tfjs)];
    expectClose(fast, slow, 1e-5);
    // the edits do move p_cat (the comparison is not vacuous)
    const { logits } = await ort.forward(images.input, images.n);
    const base = Array.from({ length: images.n }, (_, b) => probability(logits, b, 10, 3));
    expect(Math.max(...fast.map((p, i) => Math.abs(p - base[i % images.n])))).toBeGreaterThan(1e-4);
  });
});
