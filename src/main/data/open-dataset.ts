/**
 * Opens a dataset of any supported format from a path, detecting the format:
 *  - a `.bin` file, or a folder holding `.bin` files → CIFAR-10 binary;
 *  - an `…idx3-ubyte[.gz]` file, or a folder holding one → IDX (MNIST, Fashion-MNIST);
 *  - a folder of class subfolders → image folder; a folder whose subfolders are only split names
 *    (train/test/val) → the image folder of the chosen split (as the CIFAR-10 JPEG archive unpacks).
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openCifar10Binary } from './cifar10-binary.js';
import { DatasetError, type Dataset } from './dataset.js';
import { openIdx } from './idx.js';
import { openImageFolder } from './image-folder.js';

export interface OpenDatasetOptions {
  /**
   * Which split of a folder holding several: IDX train-… or t10k-… files, image folder train/ or
   * test/ (both default 'test'); CIFAR-10 data_batch… or test_batch… (default: every .bin file).
   */
  split?: 'train' | 'test';
  /** Image folders only: resize every image to [height, width]. */
  resize?: [number, number];
  /** Image folders only: 1 for grayscale, 3 (default) for RGB. */
  channels?: 1 | 3;
}

const ACCEPTED =
  'expected a CIFAR-10 binary file or a folder of them (*.bin), an IDX images file or a folder with ' +
  'one (*-images-idx3-ubyte, optionally .gz), or an image folder (one subfolder of PNG/JPEG images per class)';
const IDX_IMAGES = /idx3-ubyte(\.gz)?$/i;
const SPLIT_FOLDERS = new Set(['train', 'test', 'val', 'valid', 'validation']);

export async function openDataset(path: string, options: OpenDatasetOptions = {}): Promise<Dataset> {
  const absolute = resolve(path);
  const stats = await stat(absolute).catch(() => null);
  if (!stats) throw new DatasetError(absolute, 'does not exist');

  if (stats.isFile()) {
    if (/\.bin$/i.test(absolute)) return openCifar10Binary(absolute);
    if (IDX_IMAGES.test(absolute)) return openIdx(absolute);
    if (/idx1-ubyte(\.gz)?$/i.test(absolute)) {
      throw new DatasetError(absolute, 'is an IDX labels file; give the images file (…-images-idx3-ubyte) or its folder');
    }
    throw new DatasetError(absolute, `is not a dataset: ${ACCEPTED}`);
  }
  if (!stats.isDirectory()) throw new DatasetError(absolute, `is not a dataset: ${ACCEPTED}`);

  const entries = await readdir(absolute, { withFileTypes: true });
  const fileNames = entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
  if (fileNames.some((name) => /\.bin$/i.test(name))) {
    return openCifar10Binary(absolute, { split: options.split });
  }
  if (fileNames.some((name) => IDX_IMAGES.test(name))) {
    return openIdx(absolute, undefined, { split: options.split });
  }
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  if (folders.length === 0) throw new DatasetError(absolute, `is not a dataset: ${ACCEPTED}`);
  const imageOptions = { resize: options.resize, channels: options.channels };
  if (folders.every((name) => SPLIT_FOLDERS.has(name.toLowerCase()))) {
    const split = options.split ?? 'test';
    const chosen = folders.find((name) => name.toLowerCase() === split);
    if (!chosen) throw new DatasetError(absolute, `has split folders ${folders.join(', ')} but no ${split}/ folder`);
    return openImageFolder(join(absolute, chosen), imageOptions);
  }
  return openImageFolder(absolute, imageOptions);
}
