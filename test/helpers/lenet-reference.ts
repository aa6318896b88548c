/**
 * PyTorch's per-image numbers for LeNet-5 on the 500 sample images
 * (test/fixtures/evaluation/make_truth_fixtures.py → lenet5-per-image.bin): the independent reference
 * the evaluation tests average over whichever held-out images a build chose.
 */
import { readFileSync } from 'node:fs';
import { spearman } from '../../src/main/evaluation/rank-correlation.js';

const IMAGES = 500;
export const lenetLayers = { conv1: 6, conv2: 16 } as const;
export type LenetLayer = keyof typeof lenetLayers;
const CHANNELS = 22;

const raw = readFileSync(new URL('../fixtures/evaluation/lenet5-per-image.bin', import.meta.url));
const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
if (data.length !== IMAGES * (3 + 3 * CHANNELS + 3 * CHANNELS)) throw new Error(`lenet5-per-image.bin holds ${data.length} values`);
const row = (r: number) => data.subarray(r * IMAGES, (r + 1) * IMAGES);
const base = { margin: row(0), loss: row(1), correct: row(2) };
const channelRow = (k: number, field: 0 | 1 | 2) => row(3 + 3 * k + field);
const taylorRow = (k: number) => row(3 + 3 * CHANNELS + k);
const meanRow = (k: number) => row(3 + 4 * CHANNELS + k);
const meanSquareRow = (k: number) => row(3 + 5 * CHANNELS + k);

/** Global channel index (conv1's, then conv2's) of a layer's channels. */
function channels(layer: LenetLayer): number[] {
  const first = layer === 'conv1' ? 0 : lenetLayers.conv1;
  return Array.from({ length: lenetLayers[layer] }, (_, k) => first + k);
}

const mean = (values: Float32Array, indices: number[]) => indices.reduce((s, i) => s + values[i], 0) / indices.length;

export function referenceAccuracy(indices: number[]): number {
  return mean(base.correct, indices);
}

export function referenceTruth(layer: LenetLayer, indices: number[]) {
  return {
    marginDrop: channels(layer).map((k) => mean(base.margin, indices) - mean(channelRow(k, 0), indices)),
    lossChange: channels(layer).map((k) => mean(channelRow(k, 1), indices) - mean(base.loss, indices)),
    accuracyDrop: channels(layer).map((k) => mean(base.correct, indices) - mean(channelRow(k, 2), indices)),
  };
}

/** Split-half reliability from per-image values: every split of the groups into halves, mean ρ, Spearman–Brown. */
export function referenceReliability(layer: LenetLayer, indices: number[], groupOf: (index: number) => number, groups: number, key: 'margin' | 'accuracy'): number {
  const halves: number[][] = [];
  for (let mask = 0; mask < 1 << groups; mask++) {
    const members = Array.from({ length: groups }, (_, g) => g).filter((g) => mask & (1 << g));
    if (members.length === groups / 2 && members.includes(0)) halves.push(members);
  }
  const field = key === 'margin' ? 0 : 2;
  const before = key === 'margin' ? base.margin : base.correct;
  const rhos = halves.map((half) => {
    const a = indices.filter((i) => half.includes(groupOf(i)));
    const b = indices.filter((i) => !half.includes(groupOf(i)));
    const drops = (set: number[]) => channels(layer).map((k) => mean(before, set) - mean(channelRow(k, field), set));
    return spearman(drops(a), drops(b));
  });
  const finite = rhos.filter(Number.isFinite);
  const rho = finite.reduce((s, r) => s + r, 0) / finite.length;
  return (2 * rho) / (1 + rho);
}

/** Taylor per image (Molchanov et al. 2017): mean over images of |mean_{h,w} a·∂L/∂a|. */
export function referenceTaylor(layer: LenetLayer, indices: number[]): number[] {
  return channels(layer).map((k) => indices.reduce((s, i) => s + Math.abs(taylorRow(k)[i]), 0) / indices.length);
}

/** Activation mean and variance over images and positions. */
export function referenceActivation(layer: LenetLayer, indices: number[]): { mean: number[]; variance: number[] } {
  const m = channels(layer).map((k) => mean(meanRow(k), indices));
  return { mean: m, variance: channels(layer).map((k, j) => mean(meanSquareRow(k), indices) - m[j] * m[j]) };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
}

export function maxRelativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]) / Math.max(Math.abs(b[i]), 1e-12)));
}
