/**
 * Imported gradual interventions: a folder with one subfolder per source image, each holding that
 * image's pre-edited frames x_0, x_1, …, x_T (PNG or JPEG, for example made by an image-editing
 * model) in file-name order, digits compared as numbers (frame2 < frame10). x_0 is the unedited
 * image. Subfolders are sequences in the same natural order.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { LUMA } from './hwc-image.js';

const IMAGE = /\.(png|jpe?g)$/i;

export interface ImportedSequence {
  /** Position in the folder (the sequence's "index" in results). */
  index: number;
  /** Subfolder name: the source image. */
  name: string;
  files: string[];
}

export interface SequenceFrames {
  data: Float32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

export async function listSequences(root: string): Promise<{ name: string; path: string; sequences: ImportedSequence[] }> {
  const dir = resolve(root);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`${dir}: cannot read the sequences folder`, { cause: error });
  }
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort(natural.compare);
  if (folders.length === 0) throw new Error(`${dir}: no sequence subfolders (one per source image, holding its ordered frames)`);
  const sequences = await Promise.all(
    folders.map(async (name, index) => {
      const files = (await readdir(join(dir, name))).filter((f) => IMAGE.test(f)).sort(natural.compare);
      if (files.length < 2) throw new Error(`${join(dir, name)}: a sequence needs at least 2 frames (PNG/JPEG), found ${files.length}`);
      return { index, name, files: files.map((f) => join(dir, name, f)) };
    }),
  );
  return { name: basename(dir), path: dir, sequences };
}

/** Decodes a sequence's frames as HWC floats with `channels` (3: RGB; 1: BT.601 luminance). */
export async function readSequenceFrames(sequence: ImportedSequence, channels: 1 | 3): Promise<SequenceFrames> {
  const decoded = await Promise.all(sequence.files.map(async (file) => decode(file, await readFile(file))));
  const { height, width } = decoded[0];
  const size = height * width * channels;
  const data = new Float32Array(decoded.length * size);
  decoded.forEach((frame, f) => {
    if (frame.height !== height || frame.width !== width) {
      throw new Error(`${sequence.files[f]}: frame is ${frame.width}×${frame.height}, the sequence's first frame ${width}×${height}`);
    }
    for (let p = 0; p < height * width; p++) {
      const [r, g, b] = [frame.rgba[4 * p], frame.rgba[4 * p + 1], frame.rgba[4 * p + 2]];
      if (channels === 3) data.set([r, g, b], f * size + 3 * p);
      else data[f * size + p] = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
    }
  });
  return { data, count: decoded.length, height, width, channels };
}

function decode(file: string, bytes: Buffer): { height: number; width: number; rgba: Uint8Array } {
  try {
    if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) {
      const png = PNG.sync.read(bytes);
      return { height: png.height, width: png.width, rgba: png.data };
    }
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8) {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      return { height: image.height, width: image.width, rgba: image.data };
    }
    throw new Error('not a PNG or JPEG file');
  } catch (error) {
    throw new Error(`${file}: cannot decode frame: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
