/**
 * First-order Taylor criterion (Molchanov et al. 2017, "Pruning convolutional neural networks for
 * resource efficient inference", eq. 8; METHODS §2). For one example, the criterion of feature map
 * z^(k) is |(1/M) Σ_m ∂C/∂z_m · z_m| over its M positions; "for a minibatch with T > 1 examples, the
 * criterion is computed for each example separately and averaged over T". So, per channel k:
 *   per-image (the paper's, default): mean_x | mean_{h,w}(∂L_x/∂a · a) |
 *   pooled (the form used before issue 12, kept as a named variant): | mean_{x,h,w}(∂L_x/∂a · a) |
 * The two differ where the per-image sums have opposite signs (they cancel in the pooled form).
 * L_x is the per-image cross-entropy with the true label and a the node layer's activation; the
 * engine's gradients API returns both a and ∂L/∂a per image ([B, H, W, C], channel innermost). The
 * paper's layer-wise ℓ2 normalisation rescales a whole layer and leaves within-layer ranks unchanged,
 * so it is not applied.
 */
import type { LoadedModel } from '../../engine/loaded-model.js';
import { checkpoint } from '../../util/progress.js';
import type { ImageBatch } from '../evaluation-images.js';

export type TaylorVariant = 'per-image' | 'pooled';

/** Σ over images and positions of a·∂L/∂a, per channel, for [B, …, C] activation/gradient arrays (S2's baselines). */
export function addGradientTimesActivation(sums: Float64Array, activation: ArrayLike<number>, gradient: ArrayLike<number>): number {
  const c = sums.length;
  for (let i = 0; i < activation.length; i++) sums[i % c] += activation[i] * gradient[i];
  return activation.length / c; // image·position count
}

/**
 * Adds one batch to the per-channel sums: per-image, Σ_x |mean_{h,w} a·g|; pooled, Σ_{x,h,w} a·g.
 * Returns what the sums are to be divided by (images, or image·positions).
 */
export function addTaylorBatch(
  sums: Float64Array,
  activation: ArrayLike<number>,
  gradient: ArrayLike<number>,
  images: number,
  variant: TaylorVariant,
): number {
  const c = sums.length;
  const perImage = activation.length / images; // H·W·C
  const area = perImage / c;
  if (variant === 'pooled') return addGradientTimesActivation(sums, activation, gradient);
  const image = new Float64Array(c);
  for (let x = 0; x < images; x++) {
    image.fill(0);
    const offset = x * perImage;
    for (let i = 0; i < perImage; i++) image[i % c] += activation[offset + i] * gradient[offset + i];
    for (let k = 0; k < c; k++) sums[k] += Math.abs(image[k] / area);
  }
  return images;
}

export async function taylorScores(
  model: LoadedModel,
  batches: ImageBatch[],
  layers: string[],
  options: { variant?: TaylorVariant; signal?: AbortSignal; onBatch?: (images: number) => void } = {},
): Promise<Record<string, number[]>> {
  const variant = options.variant ?? 'per-image';
  const sums = Object.fromEntries(layers.map((name) => [name, new Float64Array(model.nodeLayers.find((l) => l.name === name)!.channels)]));
  const counts = Object.fromEntries(layers.map((name) => [name, 0]));
  for (const batch of batches) {
    await checkpoint(options.signal, 'Taylor criterion');
    const out = await model.gradients(batch.input, batch.n, { objective: 'loss', targets: batch.labels, layers });
    for (const name of layers) counts[name] += addTaylorBatch(sums[name], out.layers[name].activation, out.layers[name].gradient, batch.n, variant);
    options.onBatch?.(batch.n);
  }
  return Object.fromEntries(layers.map((name) => [name, Array.from(sums[name], (s) => Math.abs(s / counts[name]))]));
}
