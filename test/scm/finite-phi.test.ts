/**
 * Issue 14: no fit starts on NaN rows. A tiny network whose finite weights overflow float32 in φ
 * (convB's kernel × 1e30: activations ≈ 1e30 are finite, their squares are not) must stop φ extraction
 * at its first batch with an error naming the node layer and the image, before any batch is yielded.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/main/data/dataset.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { assertFinitePhi, NonFinitePhiError } from '../../src/main/scm/finite-phi.js';
import { augmentedPhi, observationalPhi } from '../../src/main/scm/phi-extraction.js';
import { layer, model, seededValues, weight } from '../helpers/tiny-models.js';

/** input 6×6×1 → convA (4, relu) → convB (3, linear; kernel × `gain`) → GAP → dense (5). */
function grayChain(gain: number) {
  const kernelB = weight('kernel', [3, 3, 4, 3], 12);
  kernelB.values = kernelB.values.map((v) => v * gain);
  return model(
    [
      layer('input', 'InputLayer', [], { batch_input_shape: [null, 6, 6, 1] }),
      layer('convA', 'Conv2D', ['input'], { filters: 4, kernel_size: [3, 3], padding: 'valid', activation: 'relu' }, [weight('kernel', [3, 3, 1, 4], 10), weight('bias', [4], 11)]),
      layer('convB', 'Conv2D', ['convA'], { filters: 3, kernel_size: [3, 3], padding: 'valid', activation: 'linear' }, [kernelB, weight('bias', [3], 13)]),
      layer('gap', 'GlobalAveragePooling2D', ['convB']),
      layer('dense', 'Dense', ['gap'], { units: 5, activation: 'softmax' }, [weight('kernel', [3, 5], 14), weight('bias', [5], 15)]),
    ],
    [6, 6, 1],
  );
}

function memoryDataset(count: number): Dataset {
  const pixels = Uint8Array.from(seededValues(7, count * 36, 1), (v) => Math.round((v + 1) * 127));
  const labels = Int32Array.from({ length: count }, (_, i) => i % 5);
  return {
    info: { name: 'memory', path: '<memory>', format: 'idx', count, height: 6, width: 6, channels: 1, classNames: ['a', 'b', 'c', 'd', 'e'] },
    labels: () => labels,
    read: async (indices) => {
      const out = new Uint8Array(indices.length * 36);
      indices.forEach((index, i) => out.set(pixels.subarray(index * 36, index * 36 + 36), i * 36));
      return { indices, pixels: out, labels: Int32Array.from(indices, (i) => labels[i]) };
    },
  };
}

async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

describe('non-finite φ', () => {
  it('names the first non-finite value’s layer and image', () => {
    const layers = { convA: new Float32Array([1, 2, 3, 4, 5, 6]), convB: new Float32Array([0, 1, 2, Infinity]) };
    expect(() => assertFinitePhi(layers, [10, 11], 'test')).toThrow(/node layer convB is Infinity for image #11/);
    expect(() => assertFinitePhi({ convA: new Float32Array([1, NaN]) }, [4, 9], 'test')).toThrow(NonFinitePhiError);
    expect(() => assertFinitePhi({ convA: new Float32Array([1, 2, 3, 4, 5, 6]) }, [1, 2], 'test')).not.toThrow();
  });

  it('stops observational and augmented extraction at the first batch of an overflowing network', async () => {
    const overflowing = await LoadedModel.fromSpec(grayChain(1e30));
    const healthy = await LoadedModel.fromSpec(grayChain(1));
    try {
      const dataset = memoryDataset(8);
      const pre = { scale: 1 / 255 };
      const options = { batchSize: 4 };
      await expect(collect(observationalPhi(overflowing, dataset, [0, 1, 2, 3, 4, 5, 6, 7], pre, 'fro', options))).rejects.toThrow(/node layer convB is Infinity for image #0/);
      await expect(collect(augmentedPhi(overflowing, dataset, [0, 1, 2, 3], pre, 'fro', 'convA', { fraction: 0.25, seed: 1 }, options))).rejects.toThrow(NonFinitePhiError);
      // The same data through the healthy network passes: the check is about the values, not the setup.
      const rows = await collect(observationalPhi(healthy, dataset, [0, 1, 2, 3, 4, 5, 6, 7], pre, 'fro', options));
      expect(rows.map((r) => r.indices)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    } finally {
      overflowing.dispose();
      healthy.dispose();
    }
  });
});
