import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR10_CLASS_NAMES, openCifar10Binary } from '../../src/main/data/cifar10-binary.js';
import { DatasetError } from '../../src/main/data/dataset.js';
import { CIFAR10_EXACT, CIFAR10_TEST_BATCH } from '../helpers/data-paths.js';

const RECORD = 3073;
let tmp: string;
let bytes: Buffer;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'causeway-cifar-'));
  bytes = await readFile(CIFAR10_TEST_BATCH);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('openCifar10Binary on the real test batch', () => {
  it('reads 1,017 records with the official first labels and the meta class names', async () => {
    const ds = await openCifar10Binary(CIFAR10_TEST_BATCH);
    expect(ds.info).toMatchObject({ format: 'cifar10-binary', count: 1017, height: 32, width: 32, channels: 3 });
    expect(ds.info.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(Array.from(ds.labels().subarray(0, 10))).toEqual([3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
  });

  it('label counts match every 3073rd byte of the file, each class 87..114', async () => {
    const counts = new Array(10).fill(0);
    for (let offset = 0; offset < bytes.length; offset += RECORD) counts[bytes[offset]]++;
    const ds = await openCifar10Binary(CIFAR10_TEST_BATCH);
    const fromReader = new Array(10).fill(0);
    for (const label of ds.labels()) fromReader[label]++;
    expect(fromReader).toEqual(counts);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1017);
    for (const c of counts) expect(c >= 87 && c <= 114).toBe(true);
  });

  it('converts planar CHW records to HWC', async () => {
    const ds = await openCifar10Binary(CIFAR10_TEST_BATCH);
    const batch = await ds.read([0, 5]);
    expect(Array.from(batch.pixels.subarray(0, 3))).toEqual([bytes[1], bytes[1 + 1024], bytes[1 + 2048]]);
    // Image 5, row 7, column 20.
    const rec = 5 * RECORD + 1;
    const p = 7 * 32 + 20;
    const hwc = 3072 + 3 * p;
    expect(Array.from(batch.pixels.subarray(hwc, hwc + 3))).toEqual([bytes[rec + p], bytes[rec + 1024 + p], bytes[rec + 2048 + p]]);
    expect(Array.from(batch.labels)).toEqual([3, 6]);
    expect(batch.indices).toEqual([0, 5]);
  });

  it('reads a folder of batches in name order, and only the test split on request', async () => {
    const all = await openCifar10Binary(CIFAR10_EXACT);
    expect(all.info.count).toBe(4000 + 1017 * 3 + 1101 + 1017);
    // test_batch sorts last: its first record is dataset index count − 1017.
    const last = await all.read([all.info.count - 1017]);
    expect(last.labels[0]).toBe(3);
    const test = await openCifar10Binary(CIFAR10_EXACT, { split: 'test' });
    expect(test.info.count).toBe(1017);
    const train = await openCifar10Binary(CIFAR10_EXACT, { split: 'train' });
    expect(train.info.count).toBe(all.info.count - 1017);
  });
});

describe('openCifar10Binary errors', () => {
  it('a truncated file names the file and the 3073-byte record', async () => {
    const file = join(tmp, 'truncated.bin');
    await writeFile(file, bytes.subarray(0, 5000));
    const error = await openCifar10Binary(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).file).toBe(file);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('5000');
    expect((error as Error).message).toContain('3073');
  });

  it('a label byte above 9 names the file and the record', async () => {
    const file = join(tmp, 'bad-label.bin');
    const copy = Buffer.from(bytes.subarray(0, 3 * RECORD));
    copy[2 * RECORD] = 17;
    await writeFile(file, copy);
    await expect(openCifar10Binary(file)).rejects.toThrow(/bad-label\.bin: record 2 has label 17/);
  });

  it('standard class names without batches.meta.txt; a folder without .bin files is an error', async () => {
    const folder = join(tmp, 'no-meta');
    await mkdir(folder);
    await expect(openCifar10Binary(folder)).rejects.toThrow(/no-meta: contains no/);
    await copyFile(CIFAR10_TEST_BATCH, join(folder, 'test_batch.bin'));
    const ds = await openCifar10Binary(folder);
    expect(ds.info.classNames).toEqual(CIFAR10_CLASS_NAMES);
    await expect(openCifar10Binary(join(tmp, 'missing.bin'))).rejects.toThrow(/does not exist/);
  });
});
