/**
 * CE maps against direct forwards: the CE and ECE of a cell equal p(x) − p(x_R) computed from one
 * plain forward of the image masked by hand (zero, mean and blur fills), and feature-level CE equals a
 * full forward with the channel zeroed. Real images, the bundled LeNet-5.
 */
import { describe, expect, it } from 'vitest';
import { causalEffectMaps } from '../../src/main/causal-effect/ce-map.js';
import { featureEffects } from '../../src/main/causal-effect/feature-effects.js';
import { type FillSetup, fillImage } from '../../src/main/causal-effect/fills.js';
import { makeGrid } from '../../src/main/causal-effect/grid.js';
import { probabilitiesOf } from '../../src/main/causal-effect/masked-probabilities.js';
import { argmaxRow, fillsFor } from '../../src/main/causal-effect/analysis.js';
import { tf } from '../../src/main/engine/tf.js';
import { lenetWithImages, softmax } from './helpers.js';

describe('grid', () => {
  it('puts every pixel in exactly one cell with boundaries round(i·H/g)', () => {
    const grid = makeGrid(10, 10, 3);
    expect(grid.rowStarts).toEqual([0, 3, 7, 10]);
    const counts = new Array(9).fill(0);
    for (const c of grid.cellOfPixel) counts[c]++;
    expect(counts).toEqual([9, 12, 9, 12, 16, 12, 9, 12, 9]);
    expect(() => makeGrid(32, 32, 33)).toThrow(/grid size/);
  });
});

describe('pixel-level CE', () => {
  const fills: FillSetup[] = [{ kind: 'zero' }, { kind: 'mean', channelMean: [0.49, 0.48, 0.45] }, { kind: 'blur' }];
  for (const fill of fills) {
    it(`equals a direct forward of the masked image (fill ${fill.kind})`, async () => {
      const n = 3;
      const { model, input } = await lenetWithImages([0, 1, 2]);
      const grid = makeGrid(32, 32, 8);
      const set = { images: input, fills: fillsFor(input, n, grid, 3, fill), grid, channels: 3 };
      const clean = await probabilitiesOf(model, input, n);
      const classes = [0, 1, 2].map((i) => argmaxRow(clean, i, 10));
      const before = tf.memory().numTensors;
      const maps = await causalEffectMaps(model, set, n, clean, classes, 50);
      expect(tf.memory().numTensors).toBe(before);
      for (const [i, cell] of [[0, 0], [1, 27], [2, 63], [0, 36]]) {
        const image = input.slice(i * 3072, (i + 1) * 3072);
        const filler = fillImage(image, grid, 3, fill);
        const masked = image.slice();
        const [r, c] = [Math.floor(cell / 8), cell % 8];
        for (let y = 4 * r; y < 4 * r + 4; y++) for (let x = 4 * c; x < 4 * c + 4; x++) for (let k = 0; k < 3; k++) masked[(y * 32 + x) * 3 + k] = filler[(y * 32 + x) * 3 + k];
        const p = softmax((await model.forward(image, 1)).logits, 0, 10);
        const q = softmax((await model.forward(masked, 1)).logits, 0, 10);
        expect(maps[i].ce[cell]).toBeCloseTo(p[classes[i]] - q[classes[i]], 5);
        expect(maps[i].ece[cell]).toBeCloseTo(p.reduce((s, pk, k) => s + (pk - q[k]) * pk, 0), 5);
      }
      expect(maps[0].ce.some((v) => Math.abs(v) > 1e-3)).toBe(true);
      model.dispose();
    });
  }

  it('feature-level CE equals a full forward with the channel zeroed', async () => {
    const n = 4;
    const { model, input } = await lenetWithImages([5, 6, 7, 8]);
    const clean = await probabilitiesOf(model, input, n);
    const classes = [0, 1, 2, 3].map((i) => argmaxRow(clean, i, 10));
    for (const layer of ['conv1', 'conv2']) {
      // maxBatch 20 forces several images and channel chunks per pass.
      const effects = await featureEffects(model, input, n, layer, clean, classes, 20);
      const channels = layer === 'conv1' ? 6 : 16;
      for (const k of [0, 3, channels - 1]) {
        const { logits } = await model.forward(input, n, { interventions: { shared: [{ layer, channels: [k], kind: 'zero' }] } });
        for (let i = 0; i < n; i++) {
          const q = softmax(logits, i, 10);
          expect(effects[i].ce[k]).toBeCloseTo(clean[i * 10 + classes[i]] - q[classes[i]], 5);
        }
      }
    }
    model.dispose();
  });
});
