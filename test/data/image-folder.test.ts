import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG, type ColorType } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/main/data/dataset.js';
import { openImageFolder } from '../../src/main/data/image-folder.js';

const H = 3;
const W = 4;
let tmp: string;
let root: string;

/** Writes a PNG whose input data is already in the output colour type (pngjs passes it through). */
function writePng(file: string, data: Buffer, colorType: ColorType, bitDepth: 8 | 16 = 8, height = H, width = W): Promise<void> {
  const png = new PNG({ width, height });
  png.data = data;
  const options = { colorType, inputColorType: colorType, bitDepth, inputHasAlpha: colorType === 6 || colorType === 4 };
  return writeFile(file, PNG.sync.write(png, options));
}

const rgb = Buffer.from(Array.from({ length: H * W * 3 }, (_, i) => (i * 37 + 11) % 256));
const gray = Buffer.from(Array.from({ length: H * W }, (_, i) => i * 20));
const rgba = Buffer.from(Array.from({ length: H * W * 4 }, (_, i) => (i * 53 + 7) % 256));
// 16-bit gray v·257 rescales to exactly v in 8 bits; native-endian Uint16 is what pngjs expects.
const gray16 = Buffer.from(new Uint16Array(Array.from({ length: H * W }, (_, i) => (255 - i * 20) * 257)).buffer);
// A smooth 16×16 gradient survives JPEG well.
const photo = Buffer.from(
  Array.from({ length: 16 * 16 * 4 }, (_, i) => {
    const p = i >> 2;
    const [y, x, c] = [p >> 4, p & 15, i & 3];
    return c === 3 ? 255 : c === 0 ? 40 + x * 10 : c === 1 ? 60 + y * 8 : 128;
  }),
);

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'causeway-images-'));
  root = join(tmp, 'classes');
  await mkdir(join(root, 'zebra'), { recursive: true });
  await mkdir(join(root, 'apple'));
  await writePng(join(root, 'apple', 'a-rgb.png'), rgb, 2);
  await writePng(join(root, 'apple', 'b-gray.PNG'), gray, 0);
  await writeFile(join(root, 'apple', 'notes.txt'), 'not an image');
  await writePng(join(root, 'zebra', 'a-rgba.png'), rgba, 6);
  await writePng(join(root, 'zebra', 'b-gray16.png'), gray16, 0, 16);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('openImageFolder', () => {
  it('lists classes in sorted order, images by name, ignoring other files', async () => {
    const ds = await openImageFolder(root);
    expect(ds.info).toMatchObject({ format: 'image-folder', count: 4, height: H, width: W, channels: 3 });
    expect(ds.info.classNames).toEqual(['apple', 'zebra']);
    expect(Array.from(ds.labels())).toEqual([0, 0, 1, 1]);
  });

  it('round-trips PNG pixels exactly: RGB, gray → RGB, RGBA without alpha, 16-bit → 8-bit', async () => {
    const ds = await openImageFolder(root);
    const batch = await ds.read([0, 1, 2, 3, 1]);
    const image = (i: number) => Array.from(batch.pixels.subarray(i * H * W * 3, (i + 1) * H * W * 3));
    expect(image(0)).toEqual(Array.from(rgb));
    expect(image(1)).toEqual(Array.from(gray).flatMap((v) => [v, v, v]));
    expect(image(2)).toEqual(Array.from(rgba).filter((_, i) => i % 4 !== 3));
    expect(image(3)).toEqual(Array.from({ length: H * W }, (_, i) => 255 - i * 20).flatMap((v) => [v, v, v]));
    expect(image(4)).toEqual(image(1));
    expect(Array.from(batch.labels)).toEqual([0, 0, 1, 1, 0]);
  });

  it('channels: 1 converts RGB by luminance and keeps gray exact', async () => {
    const ds = await openImageFolder(root, { channels: 1 });
    expect(ds.info.channels).toBe(1);
    const batch = await ds.read([0, 1]);
    const luminance = Array.from({ length: H * W }, (_, p) =>
      Math.round(0.299 * rgb[3 * p] + 0.587 * rgb[3 * p + 1] + 0.114 * rgb[3 * p + 2]),
    );
    expect(Array.from(batch.pixels.subarray(0, H * W))).toEqual(luminance);
    expect(Array.from(batch.pixels.subarray(H * W))).toEqual(Array.from(gray));
  });

  it('decodes JPEG within JPEG tolerance', async () => {
    const folder = join(tmp, 'jpeg', 'photos');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'x.JPG'), jpeg.encode({ width: 16, height: 16, data: photo }, 95).data);
    const ds = await openImageFolder(join(tmp, 'jpeg'));
    const { pixels } = await ds.read([0]);
    let total = 0;
    let worst = 0;
    for (let p = 0; p < 256; p++) {
      for (let c = 0; c < 3; c++) {
        const diff = Math.abs(pixels[3 * p + c] - photo[4 * p + c]);
        total += diff;
        worst = Math.max(worst, diff);
      }
    }
    expect(total / 768).toBeLessThan(2);
    expect(worst).toBeLessThan(12);
  });

  it('a different image size is an error naming the file unless resize is asked for', async () => {
    const folder = join(tmp, 'sizes');
    await mkdir(join(folder, 'a'), { recursive: true });
    await writePng(join(folder, 'a', '1.png'), rgb, 2);
    await writePng(join(folder, 'a', '2.png'), Buffer.alloc(6 * 5 * 3, 77), 2, 8, 6, 5);
    const strict = await openImageFolder(folder);
    await expect(strict.read([1])).rejects.toThrow(/2\.png: is 6×5 but the folder's images are 3×4 .*resize/);
    const resized = await openImageFolder(folder, { resize: [8, 8] });
    expect(resized.info).toMatchObject({ height: 8, width: 8 });
    const { pixels } = await resized.read([1, 0]);
    expect(pixels.length).toBe(2 * 8 * 8 * 3);
    expect(Array.from(pixels.subarray(0, 8 * 8 * 3)).every((v) => v === 77)).toBe(true);
  });

  it('an empty class folder is an error naming the folder', async () => {
    const folder = join(tmp, 'with-empty');
    await mkdir(join(folder, 'full'), { recursive: true });
    await mkdir(join(folder, 'empty'));
    await writePng(join(folder, 'full', '1.png'), rgb, 2);
    await writeFile(join(folder, 'empty', 'readme.md'), 'nothing here');
    const error = await openImageFolder(folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).file).toBe(join(folder, 'empty'));
    expect((error as Error).message).toMatch(/no PNG or JPEG images/);
  });

  it('an undecodable image is an error naming the file and the decoder message', async () => {
    const folder = join(tmp, 'corrupt');
    await mkdir(join(folder, 'a'), { recursive: true });
    await writePng(join(folder, 'a', '1.png'), rgb, 2);
    const bad = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('this is not a JPEG body at all')]);
    await writeFile(join(folder, 'a', '2.jpg'), bad);
    await writeFile(join(folder, 'a', '3.jpg'), Buffer.from('plain text'));
    const ds = await openImageFolder(folder);
    const error = await ds.read([0, 1]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).file).toBe(join(folder, 'a', '2.jpg'));
    expect((error as Error).message).toMatch(/2\.jpg: cannot decode image: \S+/);
    await expect(ds.read([2])).rejects.toThrow(/3\.jpg: cannot decode image: not a PNG or JPEG/);
  });

  it('a folder without class subfolders, or missing, is an error', async () => {
    await expect(openImageFolder(join(root, 'apple'))).rejects.toThrow(/has no class subfolders/);
    await expect(openImageFolder(join(tmp, 'missing'))).rejects.toThrow(/does not exist/);
  });
});
