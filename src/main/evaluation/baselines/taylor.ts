/**
 * First-order Taylor criterion (Molchanov et al. 2017; METHODS §2): |mean_{x,h,w}(∂L/∂a · a)| per
 * channel, L the per-image cross-entropy with the true label, a the node layer's (post-intervention,
 * here unmodified) activation. The engine's gradients API returns both a and ∂L/∂a per image.
 */
import type { LoadedModel } from '../../engine/loaded-model.js';
import { checkpoint } from '../../jobs/progress.js';
import type { ImageBatch } from '../evaluation-images.js';

/** Σ over images and positions of a·∂L/∂a, per channel, for [B, …, C] activation/gradient arrays. */
export function addGradientTimesActivation(sums: Float64Array, activation: ArrayLike<number>, gradient: ArrayLike<number>): number {
  const c = sums.length;
  for (let i = 0; i < activation.length; i++) sums[i % c] += activation[i] * gradient[i];
  return activation.length / c; // image·position count
}

export async function taylorScores(
  model: LoadedModel,
  batches: ImageBatch[],
  layers: string[],
  options: { signal?: AbortSignal; onBatch?: (images: number) => void } = {},
): Promise<Record<string, number[]>> {
  const sums = Object.fromEntries(layers.map((name) => [name, new Float64Array(model.nodeLayers.find((l) => l.name === name)!.channels)]));
  const counts = Object.fromEntries(layers.map((name) => [name, 0]));
  for (const batch of batches) {
    await checkpoint(options.signal, 'Taylor criterion');
    const out = await model.gradients(batch.input, batch.n, { objective: 'loss', targets: batch.labels, layers });
    for (const name of layers) counts[name] += addGradientTimesActivation(sums[name], out.layers[name].activation, out.layers[name].gradient);
    options.onBatch?.(batch.n);
  }
  return Object.fromEntries(layers.map((name) => [name, Array.from(sums[name], (s) => Math.abs(s / counts[name]))]));
}
