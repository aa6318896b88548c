/**
 * NaN or Infinity in a model's weights is caught where it enters: loading fails with one line that
 * names the file, the layer and the weight, and `eval` exits 1 instead of reporting an accuracy.
 * The damaged models are real files: the third-party Keras LeNet (.h5) with a NaN written into its
 * first convolution's kernel bytes, and the bundled TensorFlow.js LeNet with +Infinity in conv2's bias.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelSpec } from '../../src/main/engine/load-model.js';
import { REPO, SHARED_MODELS } from '../helpers/data-paths.js';

const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const sample = join(REPO, 'resources/data/cifar10-test-sample.bin');
const tmp = mkdtempSync(join(tmpdir(), 'causeway-nan-'));
const kerasH5 = join(SHARED_MODELS, 'lenet5_cifar10_patrickphat_h5/lenet5.h5');
const nanH5 = join(tmp, 'lenet5-nan.h5');
const infTfjs = join(tmp, 'lenet5-inf');

beforeAll(async () => {
  // The H5 stores conv1's kernel contiguously: find its bytes in the file and overwrite one value.
  const spec = await loadModelSpec(kerasH5);
  const conv1 = spec.layers.find((l) => l.weights.length > 0)!;
  const kernel = conv1.weights[0]!.values;
  const bytes = readFileSync(kerasH5);
  const at = bytes.indexOf(Buffer.from(kernel.buffer, kernel.byteOffset, 64));
  expect(at).toBeGreaterThan(0);
  expect(bytes.lastIndexOf(Buffer.from(kernel.buffer, kernel.byteOffset, 64))).toBe(at);
  bytes.writeFloatLE(Number.NaN, at + 4 * 7); // kernel flat index 7 = [0, 0, 1, 1] of [5, 5, 3, 6]
  writeFileSync(nanH5, bytes);

  // The tfjs weights.bin holds the manifest's weights back to back: conv2/bias follows conv1's and conv2's kernel.
  cpSync(join(REPO, 'resources/models/lenet5'), infTfjs, { recursive: true });
  const weights = readFileSync(join(infTfjs, 'weights.bin'));
  const conv2Bias = 4 * (5 * 5 * 3 * 6 + 6 + 5 * 5 * 6 * 16);
  weights.writeFloatLE(Number.POSITIVE_INFINITY, conv2Bias + 4 * 3);
  writeFileSync(join(infTfjs, 'weights.bin'), weights);
  copyFileSync(join(REPO, 'resources/models/lenet5/model.json'), join(infTfjs, 'model.json'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('non-finite weights', () => {
  it('a Keras .h5 with NaN in conv1: loading names the file, the layer, the weight and where', async () => {
    await expect(loadModelSpec(nanH5)).rejects.toThrow(
      `${nanH5}: layer conv2d_12 (Conv2D): weight kernel [5,5,3,6] has 1 non-finite value (the first, NaN, at [0, 0, 1, 1]); the file is damaged or its training diverged`,
    );
  });

  it('a TensorFlow.js model with +Infinity in conv2/bias is refused the same way', async () => {
    await expect(loadModelSpec(infTfjs)).rejects.toThrow(/layer conv2 \(Conv2D\): weight bias \[16\] has 1 non-finite value \(the first, Infinity, at \[3\]\)/);
  });

  it('eval exits 1 with that one line instead of printing an accuracy', () => {
    const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), 'eval', '--model', nanH5, '--data', sample, '--limit', '50', '--json'], { cwd: REPO, encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/lenet5-nan\.h5: layer conv2d_12 \(Conv2D\): weight kernel/);
  });

  it('inputs that preprocessing makes infinite (--scale 1e39 overflows float32) stop eval with the dataset and the image named', () => {
    const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), 'eval', '--model', kerasH5, '--data', sample, '--limit', '50', '--scale', '1e39', '--json'], { cwd: REPO, encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cifar10-test-sample\.bin: image \d+ becomes Infinity after preprocessing \(scale 1e\+39\); check --scale, --mean and --std/);
  });

  it('the unmodified files load', async () => {
    expect((await loadModelSpec(kerasH5)).layers.length).toBeGreaterThan(0);
    expect((await loadModelSpec(join(REPO, 'resources/models/lenet5'))).layers.length).toBeGreaterThan(0);
  });
});
