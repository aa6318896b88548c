/**
 * A folder with one subfolder per class (class names = subfolder names in code-point order, as
 * torchvision's ImageFolder), each holding PNG/JPEG files. Images are listed once (names only, no
 * per-file stat, so 60,000 files list in well under a second) and decoded lazily on read. Order:
 * class by class, files by name within a class.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DatasetError, type Dataset, type DatasetInfo, type RawBatch } from './dataset.js';
import { resizeBilinear, toBytes } from './resize-bilinear.js';

export interface ImageFolderOptions {
  /** Resize every image to [height, width] (bilinear); without it all images must share one size. */
  resize?: [number, number];
  /** 3 (default): RGB, grayscale images replicated; 1: grayscale, RGB converted by luminance. */
  channels?: 1 | 3;
}

const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;
/** Files read at once: bounds open file handles for large batches. */
const READ_CONCURRENCY = 64;

export async function openImageFolder(root: string, options: ImageFolderOptions = {}): Promise<Dataset> {
  const absolute = resolve(root);
  const channels = options.channels ?? 3;
  if (options.resize) checkSize(options.resize);
  const classFolders = await listClassFolders(absolute);
  const perClass = await Promise.all(classFolders.map((name) => listImages(join(absolute, name))));
  const files: string[] = [];
  const labelList: number[] = [];
  perClass.forEach((names, label) => {
    for (const name of names) {
      files.push(join(absolute, classFolders[label], name));
      labelList.push(label);
    }
  });
  const labels = Int32Array.from(labelList);

  // The first image fixes the size unless every image is resized anyway.
  let [height, width] = options.resize ?? [0, 0];
  if (!options.resize) {
    const first = decodeImage(files[0], await readFile(files[0]));
    [height, width] = [first.height, first.width];
  }
  const info: DatasetInfo = {
    name: basename(absolute),
    path: absolute,
    format: 'image-folder',
    count: files.length,
    height,
    width,
    channels,
    classNames: classFolders,
  };

  const imageBytes = height * width * channels;
  const loadOne = async (index: number): Promise<Uint8Array> => {
    if (!Number.isInteger(index) || index < 0 || index >= files.length) {
      throw new RangeError(`${absolute}: index ${index} is outside 0..${files.length - 1}`);
    }
    const file = files[index];
    const decoded = decodeImage(file, await readFile(file));
    let rgb = decoded.rgb;
    if (decoded.height !== height || decoded.width !== width) {
      if (!options.resize) {
        throw new DatasetError(
          file,
          `is ${decoded.height}×${decoded.width} but the folder's images are ${height}×${width} (set the resize option to resize them)`,
        );
      }
      rgb = toBytes(resizeBilinear(rgb, decoded.height, decoded.width, 3, height, width));
    }
    return channels === 3 ? rgb : rgbToGray(rgb);
  };

  return {
    info,
    labels: () => labels.slice(),
    read: async (indices: number[]): Promise<RawBatch> => {
      const pixels = new Uint8Array(indices.length * imageBytes);
      for (let start = 0; start < indices.length; start += READ_CONCURRENCY) {
        const chunk = indices.slice(start, start + READ_CONCURRENCY);
        const images = await Promise.all(chunk.map(loadOne));
        images.forEach((image, i) => pixels.set(image, (start + i) * imageBytes));
      }
      return { indices: [...indices], pixels, labels: Int32Array.from(indices, (index) => labels[index]) };
    },
  };
}

async function listClassFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new DatasetError(root, error.code === 'ENOENT' ? 'does not exist' : `cannot be listed: ${error.message}`);
  });
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await stat(join(root, entry.name))).isDirectory())) {
      folders.push(entry.name);
    }
  }
  if (folders.length === 0) {
    throw new DatasetError(root, 'has no class subfolders (an image folder holds one subfolder of images per class)');
  }
  return folders.sort(codePointOrder);
}

async function listImages(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const names = entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && IMAGE_EXTENSION.test(entry.name))
    .map((entry) => entry.name)
    .sort(codePointOrder);
  if (names.length === 0) throw new DatasetError(folder, 'class folder contains no PNG or JPEG images');
  return names;
}

/** Decodes a PNG or JPEG (told apart by their magic bytes, so a misnamed file still works) to 8-bit RGB. */
function decodeImage(file: string, data: Buffer): { height: number; width: number; rgb: Uint8Array } {
  try {
    if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) {
      // pngjs yields 8-bit RGBA for every colour type and depth (16-bit rescaled, gray replicated).
      const png = PNG.sync.read(data);
      return { height: png.height, width: png.width, rgb: dropAlpha(png.data) };
    }
    if (data.length >= 2 && data[0] === 0xff && data[1] === 0xd8) {
      // jpeg-js yields RGB for gray, YCbCr and CMYK JPEGs alike.
      const image = jpeg.decode(data, { useTArray: true, formatAsRGBA: false });
      return { height: image.height, width: image.width, rgb: image.data };
    }
    throw new Error('not a PNG or JPEG file (unknown signature)');
  } catch (error) {
    throw new DatasetError(file, `cannot decode image: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function dropAlpha(rgba: Uint8Array): Uint8Array {
  const pixels = rgba.length / 4;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    rgb[3 * p] = rgba[4 * p];
    rgb[3 * p + 1] = rgba[4 * p + 1];
    rgb[3 * p + 2] = rgba[4 * p + 2];
  }
  return rgb;
}

/** ITU-R BT.601 luminance (as PIL's convert('L')); exact for gray images stored as RGB. */
export function rgbToGray(rgb: Uint8Array): Uint8Array {
  const gray = new Uint8Array(rgb.length / 3);
  for (let p = 0; p < gray.length; p++) {
    gray[p] = Math.round(0.299 * rgb[3 * p] + 0.587 * rgb[3 * p + 1] + 0.114 * rgb[3 * p + 2]);
  }
  return gray;
}

function checkSize([height, width]: [number, number]): void {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new Error(`resize must be two positive integers [height, width], got [${height}, ${width}]`);
  }
}

function codePointOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
