import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/main/data/dataset.js';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { CIFAR10_EXACT, CIFAR10_TEST_BATCH, FASHION_MNIST } from '../helpers/data-paths.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'causeway-open-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('openDataset detects the format', () => {
  it('CIFAR-10 binary: a .bin file or a folder of them (split honoured)', async () => {
    expect((await openDataset(CIFAR10_TEST_BATCH)).info).toMatchObject({ format: 'cifar10-binary', count: 1017 });
    expect((await openDataset(CIFAR10_EXACT, { split: 'test' })).info.count).toBe(1017);
  });

  it('IDX: a folder (test split by default) or an images file', async () => {
    const folder = await openDataset(FASHION_MNIST);
    expect(folder.info).toMatchObject({ format: 'idx', count: 10_000, channels: 1 });
    expect(folder.info.classNames[0]).toBe('T-shirt/top');
    const file = await openDataset(join(FASHION_MNIST, 't10k-images-idx3-ubyte.gz'));
    expect(file.info.count).toBe(10_000);
    await expect(openDataset(join(FASHION_MNIST, 't10k-labels-idx1-ubyte.gz'))).rejects.toThrow(/IDX labels file/);
  });

  it('a missing path says it does not exist; anything else lists the accepted formats', async () => {
    const missing = join(tmp, 'nope');
    const error = await openDataset(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toBe(`${missing}: does not exist`);

    const text = join(tmp, 'data.csv');
    await writeFile(text, 'a,b\n');
    await expect(openDataset(text)).rejects.toThrow(/data\.csv: is not a dataset: expected a CIFAR-10 .*IDX .*image folder/);
    await mkdir(join(tmp, 'empty'));
    await expect(openDataset(join(tmp, 'empty'))).rejects.toThrow(/empty: is not a dataset/);
  });

  it('a folder of split folders without the requested split is an error', async () => {
    await mkdir(join(tmp, 'splits', 'train', 'cat'), { recursive: true });
    await expect(openDataset(join(tmp, 'splits'))).rejects.toThrow(/has split folders train but no test\/ folder/);
  });
});
