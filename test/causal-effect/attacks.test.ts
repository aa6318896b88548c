/**
 * FGSM and PGD on real images and the bundled LeNet-5: the loss goes up, every value stays within ε
 * of the clean one and inside the valid input range, PGD is at least as strong as FGSM, and PGD's
 * random start is reproducible from its seeds.
 */
import { describe, expect, it } from 'vitest';
import { attack, crossEntropy, inputRange } from '../../src/main/causal-effect/attacks.js';
import { lenetWithImages } from './helpers.js';

const indices = Array.from({ length: 16 }, (_, i) => 20 + i);
const range = inputRange({ scale: 1 / 255 }, 3);

function maxDeviation(a: Float32Array, b: Float32Array) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('attacks', () => {
  it('maps raw 0…255 to the valid range of the preprocessing', () => {
    expect(range).toEqual({ lo: [0, 0, 0], hi: [1, 1, 1] });
    const normalized = inputRange({ scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.5, 0.25] }, 3);
    expect(normalized.lo).toEqual([-2, -1, -2]);
    expect(normalized.hi).toEqual([2, 1, 2]);
  });

  it('FGSM raises the loss and stays within ε and the valid range; PGD is at least as strong', async () => {
    const { model, input, labels } = await lenetWithImages(indices);
    const n = indices.length;
    const loss = async (x: Float32Array) => crossEntropy((await model.forward(x, n)).logits, labels, 10);
    const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const clean = await loss(input);
    for (const eps of [2, 8]) {
      const epsilon = eps / 255;
      const fgsm = await attack(model, input, n, labels, { kind: 'fgsm', epsilon, range });
      const pgd = await attack(model, input, n, labels, { kind: 'pgd', epsilon, range, seeds: indices });
      for (const x of [fgsm, pgd]) {
        expect(maxDeviation(x, input)).toBeLessThanOrEqual(epsilon + 1e-6);
        expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...x)).toBeLessThanOrEqual(1);
      }
      // FGSM uses the full budget wherever the gradient is non-zero and the range allows it.
      expect(maxDeviation(fgsm, input)).toBeGreaterThan(epsilon - 1e-6);
      const lf = await loss(fgsm);
      const lp = await loss(pgd);
      expect(mean(lf)).toBeGreaterThan(mean(clean));
      // In the near-linear regime of a small ε every image's loss goes up.
      if (eps === 2) for (let i = 0; i < n; i++) expect(lf[i], `image ${indices[i]}`).toBeGreaterThan(clean[i]);
      expect(mean(lp)).toBeGreaterThanOrEqual(mean(lf));
    }
    model.dispose();
  });

  it('PGD is reproducible from its seeds and depends on them', async () => {
    const { model, input, labels } = await lenetWithImages(indices.slice(0, 4));
    const options = { kind: 'pgd' as const, epsilon: 4 / 255, range, steps: 2 };
    const a = await attack(model, input, 4, labels, { ...options, seeds: [1, 2, 3, 4] });
    const b = await attack(model, input, 4, labels, { ...options, seeds: [1, 2, 3, 4] });
    const c = await attack(model, input, 4, labels, { ...options, seeds: [5, 6, 7, 8] });
    expect(maxDeviation(a, b)).toBe(0);
    expect(maxDeviation(a, c)).toBeGreaterThan(0);
    model.dispose();
  });
});
