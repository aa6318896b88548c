/**
 * The CIFAR-10 JPEG archive against the exact binary test batch: test/<class>/NNNN.jpg is the
 * NNNN-th (0-based) image of that class in the official test order, so every exact test image has
 * a lossy twin.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCifar10Binary } from '../../src/main/data/cifar10-binary.js';
import type { Dataset } from '../../src/main/data/dataset.js';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { CIFAR10_JPEG_TAR, CIFAR10_TEST_BATCH } from '../helpers/data-paths.js';

const IMAGE = 32 * 32 * 3;
let tmp: string;
let jpegs: Dataset;
let listMs: number;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'causeway-cifar-jpeg-'));
  // The test half only (10,000 small files, about a second); train/ is not needed.
  execFileSync('tar', ['-xzf', CIFAR10_JPEG_TAR, '-C', tmp, 'test/']);
  const start = performance.now();
  jpegs = await openDataset(tmp); // a folder holding only split folders → test/
  listMs = performance.now() - start;
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('CIFAR-10 JPEG image folder', () => {
  it('lists 10,000 images, 1,000 per class, 32×32×3, quickly', () => {
    expect(jpegs.info).toMatchObject({ format: 'image-folder', count: 10_000, height: 32, width: 32, channels: 3 });
    expect(jpegs.info.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    const counts = new Array(10).fill(0);
    for (const label of jpegs.labels()) counts[label]++;
    expect(counts).toEqual(new Array(10).fill(1000));
    expect(listMs).toBeLessThan(5000); // generous: shared CI cores; a stat or decode per file would be far slower at 60,000
  });

  it('each exact test image matches its JPEG twin (0-based numbering within the class)', async () => {
    const exact = await openCifar10Binary(CIFAR10_TEST_BATCH);
    const labels = exact.labels();
    const seen = new Array(10).fill(0);
    // Files are sorted 0000..0999 within each class, so the k-th image of class c is c·1000 + k.
    const twins = Array.from(labels, (c) => c * 1000 + seen[c]++);
    const [a, b] = await Promise.all([exact.read([...labels.keys()]), jpegs.read(twins)]);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    let worst = 0;
    let total = 0;
    for (let i = 0; i < labels.length; i++) {
      let sum = 0;
      for (let j = i * IMAGE; j < (i + 1) * IMAGE; j++) sum += Math.abs(a.pixels[j] - b.pixels[j]);
      worst = Math.max(worst, sum / IMAGE);
      total += sum / IMAGE;
    }
    // Measured: mean ≈ 6 gray levels per value, a wrong twin ≈ 55–65.
    expect(total / labels.length).toBeLessThan(10);
    expect(worst).toBeLessThan(25);
  });
});
