import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/main/data/dataset.js';
import { FASHION_MNIST_CLASS_NAMES, openIdx } from '../../src/main/data/idx.js';
import { FASHION_MNIST } from '../helpers/data-paths.js';

const T10K_IMAGES = join(FASHION_MNIST, 't10k-images-idx3-ubyte.gz');
const T10K_LABELS = join(FASHION_MNIST, 't10k-labels-idx1-ubyte.gz');
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'causeway-idx-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('openIdx on Fashion-MNIST (gzipped)', () => {
  it('opens the folder: test split by default, 10,000 images 28×28×1, the known first labels', async () => {
    const ds = await openIdx(FASHION_MNIST);
    expect(ds.info).toMatchObject({ format: 'idx', count: 10_000, height: 28, width: 28, channels: 1 });
    expect(ds.info.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(Array.from(ds.labels().subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
  });

  it('opens the train split: 60,000 images, 6,000 per class', async () => {
    const ds = await openIdx(FASHION_MNIST, undefined, { split: 'train' });
    expect(ds.info.count).toBe(60_000);
    const counts = new Array(10).fill(0);
    for (const label of ds.labels()) counts[label]++;
    expect(counts).toEqual(new Array(10).fill(6000));
  });

  it('reads pixels as stored after the 16-byte header, in the requested order', async () => {
    const raw = gunzipSync(await readFile(T10K_IMAGES));
    const ds = await openIdx(T10K_IMAGES, T10K_LABELS);
    const batch = await ds.read([3, 0]);
    expect(batch.pixels.length).toBe(2 * 784);
    expect(Buffer.from(batch.pixels.subarray(0, 784)).equals(raw.subarray(16 + 3 * 784, 16 + 4 * 784))).toBe(true);
    expect(Buffer.from(batch.pixels.subarray(784)).equals(raw.subarray(16, 16 + 784))).toBe(true);
    expect(Array.from(batch.labels)).toEqual([1, 9]);
  });

  it('reads raw (not gzipped) files and finds the labels file beside the images file', async () => {
    const images = join(tmp, 'fashion-t10k-images-idx3-ubyte');
    await writeFile(images, gunzipSync(await readFile(T10K_IMAGES)));
    await writeFile(join(tmp, 'fashion-t10k-labels-idx1-ubyte'), gunzipSync(await readFile(T10K_LABELS)));
    const ds = await openIdx(images);
    expect(ds.info.count).toBe(10_000);
    expect(ds.labels()[0]).toBe(9);
  });
});

describe('openIdx errors', () => {
  it('a truncated images file names the file and the expected vs actual size', async () => {
    const raw = gunzipSync(await readFile(T10K_IMAGES));
    const file = join(tmp, 'cut-images-idx3-ubyte');
    await writeFile(file, raw.subarray(0, 5000));
    const error = await openIdx(file, T10K_LABELS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).file).toBe(file);
    expect((error as Error).message).toMatch(/expected 7840016 bytes, found 5000/);
  });

  it('a truncated .gz file is reported the same way', async () => {
    const gz = await readFile(T10K_IMAGES);
    const file = join(tmp, 'cut-images-idx3-ubyte.gz');
    await writeFile(file, gz.subarray(0, 100_000));
    await expect(openIdx(file, T10K_LABELS)).rejects.toThrow(/cut-images-idx3-ubyte\.gz: .*expected 7840016 bytes, found \d+ \(truncated\?\)/);
  });

  it('swapped files fail on the magic number; mismatched counts are reported', async () => {
    await expect(openIdx(T10K_LABELS, T10K_IMAGES)).rejects.toThrow(/magic number 0x00000801 is not that of an IDX images file/);
    const labels = join(tmp, 'short-labels-idx1-ubyte');
    const header = Buffer.alloc(8);
    header.writeUInt32BE(0x801, 0);
    header.writeUInt32BE(5, 4);
    await writeFile(labels, gzipSync(Buffer.concat([header, Buffer.from([1, 2, 3, 4, 5])])));
    await expect(openIdx(T10K_IMAGES, labels)).rejects.toThrow(/holds 5 labels but .* holds 10000 images/);
  });

  it('a folder without the split, and a missing path, are errors', async () => {
    await expect(openIdx(tmp, undefined, { split: 'train' })).rejects.toThrow(/has no train split/);
    await expect(openIdx(join(tmp, 'nothing'))).rejects.toThrow(/does not exist/);
  });
});
