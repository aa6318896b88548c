/**
 * L∞ attacks on the cross-entropy loss of the true label (METHODS §4), through the engine's input
 * gradients. ε is a fraction of the valid input range per channel: with x/255 preprocessing, ε = 8/255
 * moves each value by at most 8/255; with mean/std normalization the range (and so ε) is scaled.
 * FGSM: x' = clip(x + ε·sign ∇ₓL). PGD (Madry et al. 2018): uniform random start in the ε-ball, then
 * `steps` steps of α·sign ∇ₓL, each projected back onto the ε-ball and the valid range.
 */
import { type AttackKind, attackKinds } from '../../shared/choices.js';
import type { Preprocessing } from '../data/preprocessing.js';
import { mulberry32 } from '../data/seeded-random.js';
import type { LoadedModel } from '../engine/loaded-model.js';

export type { AttackKind };
export const ATTACK_KINDS: readonly AttackKind[] = attackKinds;

/** Per channel, the model-input values of raw pixels 0 and 255. */
export interface InputRange {
  lo: number[];
  hi: number[];
}

export function inputRange(pre: Preprocessing, channels: number): InputRange {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let c = 0; c < channels; c++) {
    const mean = pre.mean?.[c] ?? 0;
    const std = pre.std?.[c] ?? 1;
    const a = (0 * pre.scale - mean) / std;
    const b = (255 * pre.scale - mean) / std;
    lo.push(Math.min(a, b));
    hi.push(Math.max(a, b));
  }
  return { lo, hi };
}

export interface AttackOptions {
  kind: AttackKind;
  /** ε as a fraction of the input range (8/255 for "ε = 8"). */
  epsilon: number;
  range: InputRange;
  /** PGD only. */
  steps?: number;
  /** PGD step as a fraction of ε (default 1/4). */
  stepFraction?: number;
  /** PGD random start: one seed per image, so results do not depend on batching. */
  seeds?: ArrayLike<number>;
}

/** Adversarial copies of a batch [n, H, W, C] for the labels; returns new data. */
export async function attack(model: LoadedModel, images: Float32Array, n: number, labels: ArrayLike<number>, options: AttackOptions): Promise<Float32Array> {
  const { range, epsilon } = options;
  const channels = range.lo.length;
  const eps = range.lo.map((lo, c) => epsilon * (range.hi[c] - lo));
  const clip = (x: number, i: number, center: number) => {
    const c = i % channels;
    const lower = Math.max(range.lo[c], center - eps[c]);
    const upper = Math.min(range.hi[c], center + eps[c]);
    return x < lower ? lower : x > upper ? upper : x;
  };
  const targets = Array.from(labels);
  const step = async (x: Float32Array, size: number[]) => {
    const g = await model.gradients(x, n, { objective: 'loss', targets, wrtInput: true });
    const grad = g.input!;
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = clip(x[i] + size[i % channels] * Math.sign(grad[i]), i, images[i]);
    return out;
  };
  if (options.kind === 'fgsm') return step(images, eps);
  const steps = options.steps ?? 10;
  const alpha = eps.map((e) => e * (options.stepFraction ?? 0.25));
  const seeds = options.seeds ?? Array.from({ length: n }, (_, i) => i);
  if (seeds.length !== n) throw new RangeError(`PGD needs one seed per image (${n}), got ${seeds.length}`);
  const per = images.length / n;
  let x = new Float32Array(images.length);
  for (let b = 0; b < n; b++) {
    const rng = mulberry32(seeds[b]);
    for (let j = 0; j < per; j++) {
      const i = b * per + j;
      x[i] = clip(images[i] + (2 * rng() - 1) * eps[j % channels], i, images[i]);
    }
  }
  for (let t = 0; t < steps; t++) x = await step(x, alpha);
  return x;
}

/** Per-sample cross-entropy of the labels, from logits [n, C]. */
export function crossEntropy(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): Float64Array {
  const n = labels.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[i * classes + k]);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(logits[i * classes + k] - max);
    out[i] = max + Math.log(sum) - logits[i * classes + labels[i]];
  }
  return out;
}
