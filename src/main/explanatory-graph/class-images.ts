/**
 * The images a class graph is built on: up to N images of class c from the project's held-out split
 * (the same split the SCM build evaluates on: seeded, stratified 80/20 by default), preprocessed
 * once and kept in memory; optionally edited in pixel space first (seeded noise for the stability
 * test, the planted patch for the repair) — rounded back to 0–255 bytes as a saved image would be.
 */
import type { Dataset } from '../data/dataset.js';
import { type Preprocessing, toModelInput } from '../data/preprocessing.js';
import { mulberry32, shuffleInPlace } from '../data/seeded-random.js';
import { selectIndices, splitIndices } from '../data/sampling.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { parsePropertySpec } from '../properties/edit-registry.js';
import { normalField } from '../properties/noise-edit.js';
import { prepareEdit } from '../properties/property-edit.js';

export interface ImageSet {
  /** [n, H, W, C] model input. */
  input: Float32Array;
  n: number;
  indices: number[];
  labels: Int32Array;
}

/** Edits one image's HWC bytes (0–255) in place of a copy; `position` is its place in the set. */
export type PixelEdit = (pixels: Uint8Array, shape: { height: number; width: number; channels: number }, position: number) => Uint8Array;

export interface SplitSettings {
  limit?: number;
  seed: number;
  evalFraction: number;
}

/** The project's train and held-out (evaluation) indices, exactly as the SCM build splits them (build-scm.ts). */
export function projectSplit(labels: Int32Array, split: SplitSettings): { train: number[]; evaluation: number[] } {
  const selected = selectIndices(labels, { limit: split.limit, stratified: split.limit !== undefined, seed: split.seed });
  return splitIndices(selected, labels, 1 - split.evalFraction, split.seed);
}

/** Up to `count` of the indices labelled `cls`, a seeded choice when there are more; ascending. */
export function classIndices(indices: number[], labels: Int32Array, cls: number, count: number, seed: number): number[] {
  const members = indices.filter((i) => labels[i] === cls);
  if (members.length <= count) return members;
  return shuffleInPlace(members, mulberry32(seed)).slice(0, count).sort((a, b) => a - b);
}

export async function loadImageSet(model: LoadedModel, dataset: Dataset, indices: number[], pre: Preprocessing, edit?: PixelEdit): Promise<ImageSet> {
  const raw = await dataset.read(indices);
  const shape = { height: dataset.info.height, width: dataset.info.width, channels: dataset.info.channels };
  if (edit) {
    const size = shape.height * shape.width * shape.channels;
    const pixels = new Uint8Array(raw.pixels.length);
    for (let i = 0; i < indices.length; i++) pixels.set(edit(raw.pixels.subarray(i * size, (i + 1) * size), shape, i), i * size);
    raw.pixels = pixels;
  }
  const [height, width, channels] = model.inputShape;
  return { input: toModelInput(raw, shape, pre, { height, width, channels }), n: indices.length, indices: raw.indices, labels: raw.labels };
}

function toBytes(values: ArrayLike<number>): Uint8Array {
  return Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round(v))));
}

/** Additive Gaussian noise of σ = 255·sigma, one seeded field per (seed, image position). */
export function noiseEdit(sigma: number, seed: number): PixelEdit {
  return (pixels, _shape, position) => {
    const z = normalField(pixels.length, (seed * 7919 + position * 104729) >>> 0);
    return toBytes(Array.from(pixels, (v, i) => v + 255 * sigma * z[i]));
  };
}

/** A property edit at full strength (t = 1), e.g. `patch` (the bias-audit demo's magenta corner). */
export function propertyEdit(spec: string): PixelEdit {
  const edit = parsePropertySpec(spec);
  return (pixels, shape, position) => toBytes(prepareEdit(edit, { data: pixels, ...shape }, position)(1));
}
