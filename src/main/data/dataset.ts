/**
 * Datasets as the rest of the app sees them: labelled uint8 images (HWC) read by index, in batches.
 * Readers (cifar10-binary.ts, idx.ts, image-folder.ts) implement `Dataset`; preprocessing.ts turns
 * raw batches into the float NHWC input a model expects.
 */

export type DatasetFormat = 'cifar10-binary' | 'idx' | 'image-folder';

export interface DatasetInfo {
  /** Human-readable name (file or folder base name). */
  name: string;
  /** Absolute path the user gave (file or folder). */
  path: string;
  format: DatasetFormat;
  count: number;
  height: number;
  width: number;
  /** 1 (grayscale) or 3 (RGB). */
  channels: number;
  classNames: string[];
}

/** Raw images of a batch: `pixels` holds n·H·W·C bytes, NHWC, in the order of `indices`. */
export interface RawBatch {
  indices: number[];
  pixels: Uint8Array;
  labels: Int32Array;
}

export interface Dataset {
  readonly info: DatasetInfo;
  /** Every label, in dataset order. */
  labels(): Int32Array;
  /** Reads the given images (any order, repeats allowed). */
  read(indices: number[]): Promise<RawBatch>;
}

/** A dataset file or folder that cannot be read; the message names the file and the problem. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'DatasetError';
  }
}
