import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { combineHashes, hashFile, hashJson, hashModel } from '../../src/main/store/hashing.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

/** A tfjs model folder: model.json listing two shards, plus a file the manifest does not list. */
function modelFolder(): string {
  const dir = tempDir();
  const manifest = { modelTopology: {}, weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [] }] };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'group1-shard1of2.bin'), Buffer.from([1, 2, 3]));
  writeFileSync(join(dir, 'group1-shard2of2.bin'), Buffer.from([4, 5]));
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'readme.txt'), 'hello');
  return dir;
}

describe('hashJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { model: 'm', pre: { scale: 1, mean: [0.5, 0.4] }, layers: [{ id: 1, c: 2 }] };
    const b = { layers: [{ c: 2, id: 1 }], pre: { mean: [0.5, 0.4], scale: 1 }, model: 'm' };
    expect(hashJson(a)).toBe(hashJson(b));
    expect(hashJson(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a value, an array order or a type changes', () => {
    const base = hashJson({ scale: 1, mean: [0.5, 0.4], split: 'test' });
    expect(hashJson({ scale: 2, mean: [0.5, 0.4], split: 'test' })).not.toBe(base);
    expect(hashJson({ scale: 1, mean: [0.4, 0.5], split: 'test' })).not.toBe(base);
    expect(hashJson({ scale: '1', mean: [0.5, 0.4], split: 'test' })).not.toBe(base);
    expect(hashJson({ scale: 1, mean: [0.5, 0.4], split: 'train' })).not.toBe(base);
  });

  it('drops undefined members as JSON does, and rejects what JSON cannot hold', () => {
    expect(hashJson({ a: 1, b: undefined })).toBe(hashJson({ a: 1 }));
    expect(() => hashJson({ a: Number.NaN })).toThrow(/\$\.a is NaN/);
    expect(() => hashJson({ a: [1, Infinity] })).toThrow(/\$\.a\[1\] is Infinity/);
    expect(() => hashJson({ f: () => 1 })).toThrow(/function/);
  });
});

describe('combineHashes', () => {
  it('depends on the order and the boundaries of its parts', () => {
    expect(combineHashes('a', 'b')).not.toBe(combineHashes('b', 'a'));
    expect(combineHashes('ab', 'c')).not.toBe(combineHashes('a', 'bc'));
    expect(combineHashes('a', 'b')).toBe(combineHashes('a', 'b'));
  });
});

describe('hashFile', () => {
  it('is the sha256 of a file’s bytes', async () => {
    const file = join(tempDir(), 'x.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 0xab);
    writeFileSync(file, bytes);
    expect(await hashFile(file)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('hashes a folder by its files’ names and contents, wherever it lives', async () => {
    const one = modelFolder();
    const two = modelFolder();
    const h = await hashFile(one);
    expect(await hashFile(two)).toBe(h);
    writeFileSync(join(two, 'group1-shard2of2.bin'), Buffer.from([4, 6]));
    expect(await hashFile(two)).not.toBe(h);
    const three = modelFolder();
    renameSync(join(three, 'notes', 'readme.txt'), join(three, 'notes', 'README.txt'));
    expect(await hashFile(three)).not.toBe(h);
  });
});

describe('hashModel', () => {
  it('hashes a model.json with the shards it lists, and only those', async () => {
    const dir = modelFolder();
    const json = join(dir, 'model.json');
    const h = await hashModel(json);
    expect(h).not.toBe(await hashFile(json));
    writeFileSync(join(dir, 'notes', 'readme.txt'), 'changed');
    expect(await hashModel(json)).toBe(h);
    writeFileSync(join(dir, 'group1-shard1of2.bin'), Buffer.from([1, 2, 4]));
    expect(await hashModel(json)).not.toBe(h);
  });

  it('hashes other files and folders like hashFile', async () => {
    const dir = modelFolder();
    expect(await hashModel(dir)).toBe(await hashFile(dir));
    const h5 = join(dir, 'notes', 'readme.txt');
    expect(await hashModel(h5)).toBe(await hashFile(h5));
  });
});
