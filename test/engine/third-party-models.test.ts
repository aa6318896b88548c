/**
 * The third-party models in ../shared/data/models reach the accuracies ../shared/README.md states
 * (within ±1 point), read by our own loaders and run by our own executor.
 */
import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { selectIndices } from '../../src/main/data/sampling.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { evaluateModel } from '../../src/main/evaluation/evaluate-model.js';
import { CIFAR10_TEST_BATCH, MNIST, SHARED_MODELS } from '../helpers/data-paths.js';

const cases = [
  { model: 'lenet5_cifar10_patrickphat_h5/lenet5.h5', data: CIFAR10_TEST_BATCH, scale: 1 / 255, stated: 0.6 },
  { model: 'zz632893783_cifar10', data: CIFAR10_TEST_BATCH, scale: 1 / 255, stated: 0.69 },
  { model: 'lenet5_mnist_ryecatcher_h5/lenet.h5', data: MNIST, scale: 1, stated: 0.98 },
  { model: 'zz632893783_mnist', data: MNIST, scale: 1 / 255, stated: 0.98 },
];

describe('third-party models reach their stated accuracy', () => {
  for (const c of cases) {
    it(`${c.model}: ≈${c.stated * 100}%`, async () => {
      const model = await LoadedModel.load(`${SHARED_MODELS}${c.model}`);
      const dataset = await openDataset(c.data, { split: 'test' });
      const result = await evaluateModel(model, dataset, { indices: selectIndices(dataset.labels()), preprocessing: { scale: c.scale } });
      model.dispose();
      expect(result.n).toBe(dataset.info.count);
      expect(Math.abs(result.accuracy - c.stated)).toBeLessThanOrEqual(0.01);
      // Per-class accuracies are consistent with the total.
      const weighted = result.perClass.reduce((s, k) => s + k.accuracy * k.n, 0) / result.n;
      expect(weighted).toBeCloseTo(result.accuracy, 10);
    });
  }

});
