/**
 * Gradients through the engine against finite differences of the forward pass (float32, so central
 * differences with a step that keeps rounding small, and tolerances to match).
 */
import { describe, expect, it } from 'vitest';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { tf } from '../../src/main/engine/tf.js';
import { residualBlock, seededValues } from '../helpers/tiny-models.js';

const batch = 3;
const input = seededValues(5, batch * 8 * 8 * 3, 1);
const labels = [0, 2, 1];

function lossOf(logits: Float32Array, b: number): number {
  const row = Array.from(logits.slice(b * 3, b * 3 + 3));
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
  return lse - row[labels[b]];
}

describe('engine gradients', () => {
  it('∂loss/∂input matches central differences', async () => {
    const model = await LoadedModel.fromSpec(residualBlock());
    const g = await model.gradients(input, batch, { objective: 'loss', targets: labels, wrtInput: true });
    const h = 1e-2;
    for (const index of [0, 17, 100, 191, 192 + 55, 384 + 130]) {
      const b = Math.floor(index / 192);
      const plus = input.slice();
      const minus = input.slice();
      plus[index] += h;
      minus[index] -= h;
      const lp = lossOf((await model.forward(plus, batch)).logits, b);
      const lm = lossOf((await model.forward(minus, batch)).logits, b);
      const numeric = (lp - lm) / (2 * h);
      expect(Math.abs(g.input![index] - numeric)).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
    }
    // Per-sample objective values are the losses of the plain forward pass.
    const plain = await model.forward(input, batch);
    for (let b = 0; b < batch; b++) expect(g.value[b]).toBeCloseTo(lossOf(plain.logits, b), 4);
    model.dispose();
  });

  it('Σ A_k·∂L/∂A_k equals d/ds L(s·A_k) at s = 1 (finite differences through scale interventions)', async () => {
    const model = await LoadedModel.fromSpec(residualBlock());
    const g = await model.gradients(input, batch, { objective: 'logit', targets: labels, layers: ['stem', 'add'] });
    for (const layer of ['stem', 'add']) {
      const { activation, gradient } = g.layers[layer];
      const c = 4;
      for (let k = 0; k < c; k++) {
        const h = 1e-2;
        const at = async (s: number) =>
          (await model.forward(input, batch, { interventions: { shared: [{ layer, channels: [k], kind: 'scale', value: s }] } })).logits;
        const [lp, lm] = [await at(1 + h), await at(1 - h)];
        for (let b = 0; b < batch; b++) {
          const numeric = (lp[b * 3 + labels[b]] - lm[b * 3 + labels[b]]) / (2 * h);
          let analytic = 0;
          const per = activation.length / batch;
          for (let i = k; i < per; i += c) analytic += activation[b * per + i] * gradient[b * per + i];
          expect(Math.abs(analytic - numeric), `${layer} ch ${k} sample ${b}`).toBeLessThan(2e-3 + 1e-2 * Math.abs(numeric));
        }
      }
    }
    model.dispose();
  });

  it('frees every tensor it makes', async () => {
    const model = await LoadedModel.fromSpec(residualBlock());
    await model.gradients(input, batch, { objective: 'probability', targets: labels, layers: ['branch'], wrtInput: true });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await model.gradients(input, batch, { objective: 'loss', targets: labels, layers: ['branch', 'add'], wrtInput: true });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
