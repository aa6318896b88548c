/**
 * MNIST-style IDX files (MNIST, Fashion-MNIST): an images file (magic 0x00000803, then count, rows,
 * cols as big-endian uint32, then count·rows·cols bytes) and a labels file (magic 0x00000801, count,
 * then count bytes); either may be gzipped (detected by the 1f 8b magic, not the name).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { constants, gunzip } from 'node:zlib';
import { DatasetError, type Dataset, type DatasetInfo, type RawBatch } from './dataset.js';

const gunzipAsync = promisify(gunzip);

const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;

export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
export const DIGIT_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export interface IdxOptions {
  /** For a folder: 'train' → train-*, 'test' → t10k-* (default 'test'). */
  split?: 'train' | 'test';
}

/**
 * Opens an IDX images file with its labels file, or a folder holding `<split>-images-idx3-ubyte[.gz]`
 * and `<split>-labels-idx1-ubyte[.gz]`. Without `labelsPath` the labels file is the images file's
 * name with images-idx3 replaced by labels-idx1.
 */
export async function openIdx(imagesPath: string, labelsPath?: string, options: IdxOptions = {}): Promise<Dataset> {
  const absolute = resolve(imagesPath);
  const stats = await stat(absolute).catch(() => null);
  if (!stats) throw new DatasetError(absolute, 'does not exist');
  let imagesFile = absolute;
  let labelsFile = labelsPath === undefined ? undefined : resolve(labelsPath);
  if (stats.isDirectory()) {
    const found = await findSplitFiles(absolute, options.split ?? 'test');
    imagesFile = found.images;
    labelsFile ??= found.labels;
  }
  labelsFile ??= await siblingLabelsFile(imagesFile);

  const [images, labelBytes] = await Promise.all([parseImages(imagesFile), parseLabels(labelsFile)]);
  if (images.count !== labelBytes.length) {
    throw new DatasetError(labelsFile, `holds ${labelBytes.length} labels but ${imagesFile} holds ${images.count} images`);
  }
  const classNames = absolute.toLowerCase().includes('fashion') ? [...FASHION_MNIST_CLASS_NAMES] : [...DIGIT_CLASS_NAMES];
  const bad = labelBytes.findIndex((label) => label >= classNames.length);
  if (bad >= 0) throw new DatasetError(labelsFile, `label ${labelBytes[bad]} of image ${bad} is not in 0..9`);
  const labels = Int32Array.from(labelBytes);

  const imageSize = images.rows * images.cols;
  const info: DatasetInfo = {
    name: basename(absolute),
    path: absolute,
    format: 'idx',
    count: images.count,
    height: images.rows,
    width: images.cols,
    channels: 1,
    classNames,
  };
  return {
    info,
    labels: () => labels.slice(),
    read: async (indices: number[]): Promise<RawBatch> => {
      const pixels = new Uint8Array(indices.length * imageSize);
      const batchLabels = new Int32Array(indices.length);
      indices.forEach((index, i) => {
        if (!Number.isInteger(index) || index < 0 || index >= images.count) {
          throw new RangeError(`${imagesFile}: index ${index} is outside 0..${images.count - 1}`);
        }
        // Row-major single-channel pixels are already HWC with C = 1.
        pixels.set(images.pixels.subarray(index * imageSize, (index + 1) * imageSize), i * imageSize);
        batchLabels[i] = labels[index];
      });
      return { indices: [...indices], pixels, labels: batchLabels };
    },
  };
}

const SPLIT_PREFIX = { train: 'train', test: 't10k' } as const;

async function findSplitFiles(folder: string, split: 'train' | 'test'): Promise<{ images: string; labels: string }> {
  const names = (await readdir(folder)).sort();
  const prefix = SPLIT_PREFIX[split];
  // Raw before .gz when both exist: same content, no decompression.
  const pick = (kind: string): string | undefined => {
    const pattern = new RegExp(`^${prefix}-${kind}[-.]idx${kind === 'images' ? 3 : 1}-ubyte(\\.gz)?$`, 'i');
    const matches = names.filter((name) => pattern.test(name));
    return matches.find((name) => !name.toLowerCase().endsWith('.gz')) ?? matches[0];
  };
  const images = pick('images');
  const labels = pick('labels');
  if (!images || !labels) {
    throw new DatasetError(
      folder,
      `has no ${split} split: expected ${prefix}-images-idx3-ubyte[.gz] and ${prefix}-labels-idx1-ubyte[.gz]`,
    );
  }
  return { images: join(folder, images), labels: join(folder, labels) };
}

async function siblingLabelsFile(imagesFile: string): Promise<string> {
  const name = basename(imagesFile);
  const labelsName = name.replace(/images([-.])idx3/i, 'labels$1idx1');
  const candidates = [labelsName, labelsName.replace(/\.gz$/i, ''), `${labelsName.replace(/\.gz$/i, '')}.gz`];
  for (const candidate of candidates) {
    const file = join(dirname(imagesFile), candidate);
    if (candidate !== name && (await stat(file).catch(() => null))?.isFile()) return file;
  }
  throw new DatasetError(imagesFile, `no labels file found beside it (looked for ${labelsName})`);
}

async function readMaybeGzipped(file: string): Promise<Buffer> {
  const raw = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DatasetError(file, error.code === 'ENOENT' ? 'does not exist' : `cannot be read: ${error.message}`);
  });
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      // Sync flush: a truncated .gz yields what it holds, so the size check below can report
      // expected vs actual bytes instead of zlib's bare "unexpected end of file".
      return await gunzipAsync(raw, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      throw new DatasetError(file, `is not a valid gzip file: ${(error as Error).message}`);
    }
  }
  return raw;
}

function checkHeader(file: string, data: Buffer, magic: number, dims: number): number[] {
  const headerSize = 4 + 4 * dims;
  if (data.length < headerSize) {
    throw new DatasetError(file, `is ${data.length} bytes, too short for an IDX header of ${headerSize} bytes`);
  }
  const found = data.readUInt32BE(0);
  if (found !== magic) {
    const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
    const kind = magic === IMAGES_MAGIC ? 'images' : 'labels';
    throw new DatasetError(file, `magic number ${hex(found)} is not that of an IDX ${kind} file (${hex(magic)})`);
  }
  const shape = Array.from({ length: dims }, (_, k) => data.readUInt32BE(4 + 4 * k));
  const expected = headerSize + shape.reduce((a, b) => a * b, 1);
  if (data.length !== expected) {
    const problem = data.length < expected ? 'truncated?' : 'trailing bytes?';
    throw new DatasetError(
      file,
      `header says ${shape.join('×')}: expected ${expected} bytes, found ${data.length} (${problem})`,
    );
  }
  return shape;
}

async function parseImages(file: string): Promise<{ count: number; rows: number; cols: number; pixels: Uint8Array }> {
  const data = await readMaybeGzipped(file);
  const [count, rows, cols] = checkHeader(file, data, IMAGES_MAGIC, 3);
  return { count, rows, cols, pixels: data.subarray(16) };
}

async function parseLabels(file: string): Promise<Uint8Array> {
  const data = await readMaybeGzipped(file);
  checkHeader(file, data, LABELS_MAGIC, 1);
  return data.subarray(8);
}
