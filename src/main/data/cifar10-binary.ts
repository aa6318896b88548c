/**
 * CIFAR-10 in the official binary format: records of <1 byte label><3072 bytes: 1024 R, 1024 G,
 * 1024 B, each a row-major 32×32 plane>. One `.bin` file, or a folder of them read in name order
 * (data_batch_1..5, then test_batch), optionally only the train (data_batch*) or test (test_batch*)
 * files. Files are loaded eagerly: labels() is synchronous and the whole set is only 180 MB.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DatasetError, type Dataset, type DatasetInfo, type RawBatch } from './dataset.js';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

export const CIFAR10_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export interface Cifar10BinaryOptions {
  /** For a folder: 'train' → data_batch*.bin, 'test' → test_batch*.bin; absent → every .bin file. */
  split?: 'train' | 'test';
}

export async function openCifar10Binary(path: string, options: Cifar10BinaryOptions = {}): Promise<Dataset> {
  const absolute = resolve(path);
  const files = await listBinFiles(absolute, options.split);
  const buffers = await Promise.all(files.map((file) => loadFile(file)));
  // Record offsets: file k holds the dataset indices [starts[k], starts[k+1]).
  const starts = [0];
  for (const buffer of buffers) starts.push(starts[starts.length - 1] + buffer.length / RECORD);
  const count = starts[starts.length - 1];
  const labels = new Int32Array(count);
  buffers.forEach((buffer, k) => {
    for (let r = 0; r < buffer.length / RECORD; r++) labels[starts[k] + r] = buffer[r * RECORD];
  });
  const info: DatasetInfo = {
    name: basename(absolute),
    path: absolute,
    format: 'cifar10-binary',
    count,
    height: SIDE,
    width: SIDE,
    channels: 3,
    classNames: await readClassNames(dirname(files[0])),
  };

  const locate = (index: number): [Buffer, number] => {
    let lo = 0;
    let hi = buffers.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return [buffers[lo], (index - starts[lo]) * RECORD];
  };

  return {
    info,
    labels: () => labels.slice(),
    read: async (indices: number[]): Promise<RawBatch> => {
      const pixels = new Uint8Array(indices.length * 3 * PLANE);
      const batchLabels = new Int32Array(indices.length);
      indices.forEach((index, i) => {
        if (!Number.isInteger(index) || index < 0 || index >= count) {
          throw new RangeError(`${absolute}: index ${index} is outside 0..${count - 1}`);
        }
        const [buffer, offset] = locate(index);
        batchLabels[i] = buffer[offset];
        // Planar CHW → interleaved HWC.
        const out = i * 3 * PLANE;
        for (let p = 0; p < PLANE; p++) {
          pixels[out + 3 * p] = buffer[offset + 1 + p];
          pixels[out + 3 * p + 1] = buffer[offset + 1 + PLANE + p];
          pixels[out + 3 * p + 2] = buffer[offset + 1 + 2 * PLANE + p];
        }
      });
      return { indices: [...indices], pixels, labels: batchLabels };
    },
  };
}

async function listBinFiles(path: string, split: Cifar10BinaryOptions['split']): Promise<string[]> {
  const stats = await stat(path).catch(() => {
    throw new DatasetError(path, 'does not exist');
  });
  if (stats.isFile()) return [path];
  const prefix = split === 'train' ? 'data_batch' : split === 'test' ? 'test_batch' : '';
  const names = (await readdir(path))
    .filter((name) => name.toLowerCase().endsWith('.bin') && name.startsWith(prefix))
    .sort();
  if (names.length === 0) {
    throw new DatasetError(path, `contains no ${prefix || '*'}*.bin CIFAR-10 binary files`);
  }
  return names.map((name) => join(path, name));
}

async function loadFile(file: string): Promise<Buffer> {
  const buffer = await readFile(file);
  if (buffer.length === 0) throw new DatasetError(file, 'is empty');
  if (buffer.length % RECORD !== 0) {
    throw new DatasetError(
      file,
      `size ${buffer.length} bytes is not a multiple of the ${RECORD}-byte CIFAR-10 record (truncated or not CIFAR-10 binary?)`,
    );
  }
  for (let r = 0; r < buffer.length / RECORD; r++) {
    const label = buffer[r * RECORD];
    if (label > 9) {
      throw new DatasetError(file, `record ${r} has label ${label}, CIFAR-10 labels are 0..9 (not CIFAR-10 binary?)`);
    }
  }
  return buffer;
}

/** Names from batches.meta.txt beside the files (one per line, as in the official archive), else the standard ones. */
async function readClassNames(folder: string): Promise<string[]> {
  const metaFile = join(folder, 'batches.meta.txt');
  let text: string;
  try {
    text = await readFile(metaFile, 'utf8');
  } catch {
    return [...CIFAR10_CLASS_NAMES];
  }
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== 10) throw new DatasetError(metaFile, `holds ${names.length} class names, CIFAR-10 has 10`);
  return names;
}
