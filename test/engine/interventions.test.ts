import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import type { Intervention } from '../../src/main/engine/interventions.js';
import { conv2dValid, denseForward, globalAverage, maxAbsDiff, phiOfMap, relu } from '../helpers/reference-forward.js';
import { seededValues, twoConvChain } from '../helpers/tiny-models.js';

const batch = 3;
const input = seededValues(99, batch * 6 * 6 * 2, 1);
const base = twoConvChain();
const kernelB = base.layers[2].weights[0];
const biasB = base.layers[2].weights[1];

/** convB's kernel with the slice for input channel k edited: kernel[:, :, k, :] := f(kernel[:, :, k, :]). */
function editSlice(k: number, f: (v: number) => number): Float32Array {
  const out = kernelB.values.slice();
  const [kh, kw, cin, cout] = kernelB.shape;
  for (let a = 0; a < kh * kw; a++) for (let o = 0; o < cout; o++) out[(a * cin + k) * cout + o] = f(out[(a * cin + k) * cout + o]);
  return out;
}

async function logitsOf(spec = base, interventions: Intervention[] = []): Promise<Float32Array> {
  const model = await LoadedModel.fromSpec(spec);
  try {
    return (await model.forward(input, batch, { interventions: { shared: interventions } })).logits;
  } finally {
    model.dispose();
  }
}

describe('interventions on a node layer equal edits of the next conv where nothing lies between', () => {
  it('zero(k) equals zeroing the next conv kernel for input k', async () => {
    const intervened = await logitsOf(base, [{ layer: 'convA', channels: [1], kind: 'zero' }]);
    const edited = await logitsOf(twoConvChain({ convBKernel: editSlice(1, () => 0) }));
    expect(maxAbsDiff(intervened, edited)).toBeLessThan(1e-5);
    expect(maxAbsDiff(intervened, await logitsOf())).toBeGreaterThan(1e-3);
  });

  it('scale(s) equals scaling the kernel slice by s', async () => {
    const intervened = await logitsOf(base, [{ layer: 'convA', channels: [0, 3], kind: 'scale', value: 2.5 }]);
    const kernel = editSlice(0, (v) => v * 2.5);
    const both = twoConvChain({ convBKernel: kernel });
    both.layers[2].weights[0].values = (() => {
      const out = kernel.slice();
      const [kh, kw, cin, cout] = kernelB.shape;
      for (let a = 0; a < kh * kw; a++) for (let o = 0; o < cout; o++) out[(a * cin + 3) * cout + o] *= 2.5;
      return out;
    })();
    expect(maxAbsDiff(intervened, await logitsOf(both))).toBeLessThan(1e-5);
  });

  it('constant(c) equals a zeroed slice plus c·ΣW folded into the bias (valid padding)', async () => {
    const c = 0.7;
    const intervened = await logitsOf(base, [{ layer: 'convA', channels: [2], kind: 'constant', value: c }]);
    const [kh, kw, cin, cout] = kernelB.shape;
    const bias = biasB.values.slice();
    for (let a = 0; a < kh * kw; a++) for (let o = 0; o < cout; o++) bias[o] += c * kernelB.values[(a * cin + 2) * cout + o];
    const edited = await logitsOf(twoConvChain({ convBKernel: editSlice(2, () => 0), convBBias: bias }));
    expect(maxAbsDiff(intervened, edited)).toBeLessThan(1e-5);
  });

  it('mean with a constant map equals constant', async () => {
    const model = await LoadedModel.fromSpec(base);
    const map = new Float32Array(4 * 4 * 4).fill(0.3);
    const viaMean = await model.forward(input, batch, {
      interventions: { shared: [{ layer: 'convA', channels: [1, 2], kind: 'mean' }] },
      meanMaps: { convA: map },
    });
    const viaConstant = await model.forward(input, batch, {
      interventions: { shared: [{ layer: 'convA', channels: [1, 2], kind: 'constant', value: 0.3 }] },
    });
    model.dispose();
    expect(maxAbsDiff(viaMean.logits, viaConstant.logits)).toBeLessThan(1e-6);
  });

  it('per-sample interventions equal running each sample alone', async () => {
    const model = await LoadedModel.fromSpec(base);
    const perSample: Intervention[][] = [
      [{ layer: 'convA', channels: [0], kind: 'zero' }],
      [],
      [{ layer: 'convB', channels: [1, 2], kind: 'scale', value: -1 }],
    ];
    const together = await model.forward(input, batch, { interventions: { perSample } });
    const size = 6 * 6 * 2;
    for (let b = 0; b < batch; b++) {
      const alone = await model.forward(input.slice(b * size, (b + 1) * size), 1, { interventions: { shared: perSample[b] } });
      expect(maxAbsDiff(alone.logits, together.logits.slice(b * 5, (b + 1) * 5))).toBeLessThan(1e-5);
    }
    model.dispose();
  });

  it('rejects a channel that does not exist, naming the layer', async () => {
    const model = await LoadedModel.fromSpec(base);
    await expect(model.forward(input, batch, { interventions: { shared: [{ layer: 'convA', channels: [4], kind: 'zero' }] } })).rejects.toThrow(
      /convA has channels 0\.\.3; channel 4/,
    );
    model.dispose();
  });
});

describe('forward pass and φ against a plain-loop reference', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await LoadedModel.fromSpec(base);
  });
  afterAll(() => model.dispose());

  it('logits (pre-softmax) and φ of both conv node layers match', async () => {
    const out = await model.forward(input, batch, { phi: { kinds: ['fro', 'mean', 'max', 'std'] } });
    const [convA, convB, dense] = [base.layers[1], base.layers[2], base.layers[4]];
    for (let b = 0; b < batch; b++) {
      const x = input.slice(b * 72, (b + 1) * 72);
      const a = conv2dValid(x, [6, 6, 2], convA.weights[0].values, convA.weights[0].shape, convA.weights[1].values);
      const aRelu = relu(a.values);
      const bOut = conv2dValid(Float32Array.from(aRelu), a.shape, convB.weights[0].values, convB.weights[0].shape, convB.weights[1].values);
      const logits = denseForward(globalAverage(bOut.values, bOut.shape), dense.weights[0].values, dense.weights[1].values, 5);
      expect(maxAbsDiff(out.logits.slice(b * 5, b * 5 + 5), logits)).toBeLessThan(1e-5);
      const phiA = phiOfMap(aRelu, a.shape);
      const phiB = phiOfMap(bOut.values, bOut.shape);
      for (const kind of ['fro', 'mean', 'max', 'std'] as const) {
        expect(maxAbsDiff(out.phi.convA[kind]!.slice(b * 4, b * 4 + 4), phiA[kind])).toBeLessThan(1e-4);
        expect(maxAbsDiff(out.phi.convB[kind]!.slice(b * 3, b * 3 + 3), phiB[kind])).toBeLessThan(1e-4);
      }
      // The logits node's φ is the logit itself.
      expect(maxAbsDiff(out.phi.dense.fro!.slice(b * 5, b * 5 + 5), logits)).toBeLessThan(1e-5);
    }
  });

  it('zero makes the channel φ exactly 0 and leaves the other channels alone', async () => {
    const out = await model.forward(input, batch, {
      interventions: { shared: [{ layer: 'convA', channels: [2], kind: 'zero' }] },
      phi: { layers: ['convA'], kinds: ['fro'] },
    });
    const plain = await model.forward(input, batch, { phi: { layers: ['convA'], kinds: ['fro'] } });
    for (let b = 0; b < batch; b++) {
      expect(out.phi.convA.fro![b * 4 + 2]).toBe(0);
      expect(out.phi.convA.fro![b * 4 + 1]).toBeCloseTo(plain.phi.convA.fro![b * 4 + 1], 6);
    }
    expect(Object.keys(out.phi)).toEqual(['convA']);
  });
});
