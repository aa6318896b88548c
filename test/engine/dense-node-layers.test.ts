/**
 * Dense layers as optional node layers (issue 12, `--node-layers conv,dense`) on the third-party Keras
 * LeNet-5: the node layers and their parents, φ of a dense unit is its (post-ReLU) value, checked by
 * computing the next dense layer by hand from the file's weights, and a zeroed unit propagates.
 */
import { describe, expect, it } from 'vitest';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { mulberry32 } from '../../src/main/data/seeded-random.js';
import { H5_LENET_CIFAR10 } from './load-helpers.js';

describe('dense node layers', () => {
  it('default: conv only; with dense: every Dense layer before the logits, chained', async () => {
    const plain = await LoadedModel.load(H5_LENET_CIFAR10);
    expect(plain.nodeLayers.map((l) => l.kind)).toEqual(['conv', 'conv', 'logits']);
    plain.dispose();
    const model = await LoadedModel.load(H5_LENET_CIFAR10, { nodeLayers: ['conv', 'dense'] });
    const layers = model.nodeLayers;
    expect(layers.map((l) => l.kind)).toEqual(['conv', 'conv', 'dense', 'dense', 'logits']);
    expect(layers.map((l) => l.channels)).toEqual([6, 16, 120, 84, 10]);
    for (let i = 1; i < layers.length; i++) expect(layers[i].parents).toEqual([layers[i - 1].name]);

    // φ of the dense layers against the weights in the file: next = relu(prev·W + b), logits = prev·W + b.
    const rng = mulberry32(7);
    const n = 3;
    const input = Float32Array.from({ length: n * 32 * 32 * 3 }, () => rng());
    const [, , d1, d2, logits] = layers;
    const dense = (name: string) => {
      const spec = model.graph.spec.layers.find((l) => l.name === name)!;
      const kernel = spec.weights.find((w) => w.name === 'kernel')!;
      const bias = spec.weights.find((w) => w.name === 'bias')!;
      return { kernel, bias, relu: String(spec.config.activation) === 'relu' };
    };
    const apply = (x: ArrayLike<number>, name: string) => {
      const { kernel, bias, relu } = dense(name);
      const [p, q] = kernel.shape;
      const out = new Float64Array(n * q);
      for (let i = 0; i < n; i++)
        for (let k = 0; k < q; k++) {
          let s = bias.values[k];
          for (let j = 0; j < p; j++) s += x[i * p + j] * kernel.values[j * q + k];
          out[i * q + k] = relu ? Math.max(0, s) : s;
        }
      return out;
    };
    const out = await model.forward(input, n, { phi: { kinds: ['fro'] } });
    const h1 = out.phi[d1.name].fro!;
    const h2 = out.phi[d2.name].fro!;
    expect(Math.min(...h1)).toBeGreaterThanOrEqual(0);
    const want2 = apply(h1, d2.name);
    want2.forEach((v, i) => expect(h2[i]).toBeCloseTo(v, 4));
    apply(h2, logits.name).forEach((v, i) => expect(out.logits[i]).toBeCloseTo(v, 4));

    // do(unit 5 of the first dense layer = 0): its φ reads 0 and the next layer follows from the rest.
    const zeroed = await model.forward(input, n, { interventions: { shared: [{ layer: d1.name, channels: [5], kind: 'zero' }] }, phi: { kinds: ['fro'] } });
    const z1 = zeroed.phi[d1.name].fro!;
    for (let i = 0; i < n; i++) expect(z1[i * 120 + 5]).toBe(0);
    apply(z1, d2.name).forEach((v, i) => expect(zeroed.phi[d2.name].fro![i]).toBeCloseTo(v, 4));
    model.dispose();
  });
});
