/**
 * METHODS §1 transforms φ: one number per image and channel from a channel's map A_{l,k} ∈ R^{H×W}.
 * fro = ‖A‖_F, mean, max, std (population, over H·W). Rank-2 node layers (logits) use the value
 * itself for every kind. `binary` needs dataset statistics of fro and is made by `binarize`.
 */
import { tf, type Tensor } from './tf.js';

import { type PhiKind, tensorPhiKinds } from '../../shared/choices.js';

export type { PhiKind };
export const phiKinds = tensorPhiKinds;
export type TensorPhiKind = (typeof tensorPhiKinds)[number];

/** φ of every channel of a [B, H, W, C] (or [B, C]) activation → [B, C]. */
export function computePhi(activation: Tensor, kind: TensorPhiKind): Tensor {
  if (activation.rank === 2) return activation.clone();
  if (activation.rank !== 4) throw new RangeError(`φ needs a [B,H,W,C] or [B,C] activation, got rank ${activation.rank}`);
  // Pooling over the whole map reduces H and W in place (NHWC); tf.sum over axes [1, 2] would first
  // transpose the activation so the reduced axes are innermost, which costs more than φ itself.
  const [b, h, w, c] = activation.shape;
  const whole = (t: Tensor, pool: 'avg' | 'max') =>
    tf.reshape(pool === 'avg' ? tf.avgPool(t as tf.Tensor4D, [h, w], 1, 'valid') : tf.maxPool(t as tf.Tensor4D, [h, w], 1, 'valid'), [b, c]);
  switch (kind) {
    case 'fro':
      return tf.sqrt(tf.mul(whole(tf.square(activation), 'avg'), h * w));
    case 'mean':
      return whole(activation, 'avg');
    case 'max':
      return whole(activation, 'max');
    case 'std': {
      const { variance } = tf.moments(activation, [1, 2]);
      return tf.sqrt(variance);
    }
  }
}

/**
 * binary φ: 1 if ‖A‖_F < μ + σ else 0, with μ and σ the mean and (population) standard deviation of
 * the norm over the dataset (METHODS §1: σ is the standard deviation [ours]).
 * `fro` is [n, C] row-major; returns [n, C] of 0/1.
 */
export function binarize(fro: Float32Array, channels: number, mu: Float64Array, sigma: Float64Array): Float32Array {
  const out = new Float32Array(fro.length);
  for (let i = 0; i < fro.length; i++) {
    const k = i % channels;
    out[i] = fro[i] < mu[k] + sigma[k] ? 1 : 0;
  }
  return out;
}

/** Per-channel mean and population standard deviation of an [n, C] row-major matrix, in float64. */
export function columnStats(values: Float32Array, channels: number): { mean: Float64Array; std: Float64Array } {
  const n = values.length / channels;
  const mean = new Float64Array(channels);
  const m2 = new Float64Array(channels);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < channels; k++) {
      const x = values[i * channels + k];
      const delta = x - mean[k];
      mean[k] += delta / (i + 1);
      m2[k] += delta * (x - mean[k]);
    }
  }
  const std = m2.map((v) => Math.sqrt(v / Math.max(n, 1)));
  return { mean, std };
}
