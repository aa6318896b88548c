/**
 * Grad-CAM through the engine against an independent computation: on a hand-built two-conv model the
 * suffix after convA (convB → global average → dense) is re-implemented in float64 plain loops, its
 * gradient ∂y_c/∂A taken by central finite differences, and the Grad-CAM weights and map built from it.
 */
import { describe, expect, it } from 'vitest';
import { camToGrid, gradCams } from '../../src/main/causal-effect/grad-cam.js';
import { makeGrid } from '../../src/main/causal-effect/grid.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { tf } from '../../src/main/engine/tf.js';
import { conv2dValid, relu } from '../helpers/reference-forward.js';
import { seededValues, twoConvChain } from '../helpers/tiny-models.js';

const spec = twoConvChain();
const weightOf = (layer: string, name: string) => spec.layers.find((l) => l.name === layer)!.weights.find((w) => w.name === name)!.values;

/** logit_c of the suffix after convA, in float64: convB (3×3 valid, linear) → GAP → dense. */
function suffixLogit(a: Float64Array, cls: number): number {
  const kb = weightOf('convB', 'kernel');
  const bb = weightOf('convB', 'bias');
  const kd = weightOf('dense', 'kernel');
  const bd = weightOf('dense', 'bias');
  const pooled = new Float64Array(3);
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++)
      for (let o = 0; o < 3; o++) {
        let s = bb[o];
        for (let u = 0; u < 3; u++) for (let v = 0; v < 3; v++) for (let c = 0; c < 4; c++) s += a[((i + u) * 4 + (j + v)) * 4 + c] * kb[((u * 3 + v) * 4 + c) * 3 + o];
        pooled[o] += s / 4;
      }
  let y = bd[cls];
  for (let o = 0; o < 3; o++) y += pooled[o] * kd[o * 5 + cls];
  return y;
}

describe('Grad-CAM', () => {
  it('matches weights and map built from finite-difference gradients of an independent forward', async () => {
    const model = await LoadedModel.fromSpec(spec);
    const batch = 3;
    const input = seededValues(77, batch * 6 * 6 * 2, 1);
    const { logits } = await model.forward(input, batch);
    const classes = [0, 1, 2].map((b) => {
      const row = Array.from(logits.slice(b * 5, b * 5 + 5));
      return row.indexOf(Math.max(...row));
    });
    const grid = makeGrid(6, 6, 2);
    const before = tf.memory().numTensors;
    const cams = await gradCams(model, input, batch, 'convA', classes, grid);
    expect(tf.memory().numTensors).toBe(before);
    for (let b = 0; b < batch; b++) {
      const x = input.slice(b * 72, (b + 1) * 72);
      const a = relu(conv2dValid(x, [6, 6, 2], weightOf('convA', 'kernel'), [3, 3, 2, 4], weightOf('convA', 'bias')).values);
      const h = 1e-4;
      const grad = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) {
        const plus = a.slice();
        const minus = a.slice();
        plus[i] += h;
        minus[i] -= h;
        grad[i] = (suffixLogit(plus, classes[b]) - suffixLogit(minus, classes[b])) / (2 * h);
      }
      const weights = [0, 1, 2, 3].map((k) => [...Array(16).keys()].reduce((s, p) => s + grad[p * 4 + k], 0) / 16);
      const map = [...Array(16).keys()].map((p) => Math.max(0, weights.reduce((s, w, k) => s + w * a[p * 4 + k], 0)));
      const cam = cams[b];
      expect([cam.height, cam.width]).toEqual([4, 4]);
      weights.forEach((w, k) => expect(Math.abs(cam.weights[k] - w)).toBeLessThan(1e-5 + 1e-4 * Math.abs(w)));
      map.forEach((m, p) => expect(Math.abs(cam.map[p] - m)).toBeLessThan(1e-5 + 1e-4 * Math.abs(m)));
      expect(map.some((m) => m > 0)).toBe(true);
      expect(Array.from(cam.grid)).toEqual(Array.from(camToGrid(cam.map, 4, 4, grid)));
    }
    model.dispose();
  });

  it('keeps a constant map constant on the grid and refuses a layer without a spatial map', async () => {
    const grid = makeGrid(32, 32, 8);
    const g = camToGrid(new Float64Array(100).fill(0.25), 10, 10, grid);
    expect(g).toHaveLength(64);
    for (const v of g) expect(v).toBeCloseTo(0.25, 6);
    const model = await LoadedModel.fromSpec(spec);
    await expect(gradCams(model, seededValues(1, 72), 1, 'dense', [0], makeGrid(6, 6, 2))).rejects.toThrow(/no spatial map/);
    model.dispose();
  });
});
