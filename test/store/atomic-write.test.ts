import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/main/store/atomic-write.js';
import { listing, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an old one, leaving no temporary file', async () => {
    const dir = tempDir();
    const file = join(dir, 'report.json');
    await writeFileAtomic(file, '{"a":1}');
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(listing(dir)).toEqual(['report.json']);
  });

  it('removes its temporary file when the final rename fails', async () => {
    const dir = tempDir();
    const target = join(dir, 'out');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'old');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(listing(dir)).toEqual(['out']);
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('old');
  });
});
