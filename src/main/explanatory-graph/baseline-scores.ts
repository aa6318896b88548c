/**
 * Attribution baselines turned into channel scores for class c (METHODS §3), kept per image so a
 * bootstrap resample only reweights them:
 * - `grad-cam`: Grad-CAM's channel weight w_k = mean_{h,w} ∂y_c/∂A_k (y_c the class logit);
 * - `gradient-x-activation`: Σ_{h,w} ∂y_c/∂A_k · A_k;
 * - `taylor`: |mean_{x,h,w} ∂L/∂A_k · A_k| with L the cross-entropy for label c (Molchanov et al. 2017,
 *   as the evaluation's Taylor criterion) — the absolute value is taken after averaging.
 * Larger = more important; a baseline's channel set is its top m channels per layer, m the graph's
 * node count there.
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import { addGradientTimesActivation } from '../evaluation/baselines/taylor.js';
import { checkpoint } from '../util/progress.js';
import type { ImageSet } from './class-images.js';

export const baselineNames = ['grad-cam', 'gradient-x-activation', 'taylor'] as const;
export type BaselineName = (typeof baselineNames)[number];

/** Per baseline and layer: per-image scores, image-major [n, channels]. */
export type PerImageScores = Record<BaselineName, Record<string, Float64Array>>;

export async function perImageBaselineScores(
  model: LoadedModel,
  images: ImageSet,
  cls: number,
  layers: string[],
  batchSize: number,
  signal?: AbortSignal,
): Promise<PerImageScores> {
  const channelsOf = (name: string) => model.nodeLayers.find((l) => l.name === name)!.channels;
  const make = () => Object.fromEntries(layers.map((l) => [l, new Float64Array(images.n * channelsOf(l))]));
  const out: PerImageScores = { 'grad-cam': make(), 'gradient-x-activation': make(), taylor: make() };
  const size = images.input.length / Math.max(images.n, 1);
  for (let start = 0; start < images.n; start += batchSize) {
    await checkpoint(signal, 'the baselines');
    const count = Math.min(batchSize, images.n - start);
    const input = images.input.subarray(start * size, (start + count) * size);
    const targets = new Array<number>(count).fill(cls);
    const logit = await model.gradients(input, count, { objective: 'logit', targets, layers });
    const loss = await model.gradients(input, count, { objective: 'loss', targets, layers });
    for (const name of layers) {
      const c = channelsOf(name);
      const per = logit.layers[name].activation.length / count;
      for (let b = 0; b < count; b++) {
        const row = (start + b) * c;
        const slice = (a: Float32Array) => a.subarray(b * per, (b + 1) * per);
        const g = slice(logit.layers[name].gradient);
        const positions = per / c;
        for (let i = 0; i < per; i++) out['grad-cam'][name][row + (i % c)] += g[i] / positions;
        addGradientTimesActivation(out['gradient-x-activation'][name].subarray(row, row + c), slice(logit.layers[name].activation), g);
        const t = out.taylor[name].subarray(row, row + c);
        addGradientTimesActivation(t, slice(loss.layers[name].activation), slice(loss.layers[name].gradient));
        for (let k = 0; k < c; k++) t[k] /= positions;
      }
    }
  }
  return out;
}

/** Scores per layer under image weights: the weighted mean per channel (|mean| for Taylor). */
export function aggregateScores(scores: PerImageScores, n: number, weights?: ArrayLike<number>): Record<BaselineName, Record<string, Float64Array>> {
  const result = {} as Record<BaselineName, Record<string, Float64Array>>;
  for (const name of baselineNames) {
    result[name] = {};
    for (const [layer, values] of Object.entries(scores[name])) {
      const c = values.length / n;
      const mean = new Float64Array(c);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const w = weights ? weights[i] : 1;
        total += w;
        for (let k = 0; k < c; k++) mean[k] += w * values[i * c + k];
      }
      result[name][layer] = mean.map((v) => (name === 'taylor' ? Math.abs(v / total) : v / total));
    }
  }
  return result;
}

/** The top `sizes[layer]` channels of each layer by score (ties: lower channel first). */
export function topChannels(scores: Record<string, ArrayLike<number>>, sizes: Record<string, number>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [layer, m] of Object.entries(sizes)) {
    const s = scores[layer];
    out[layer] = Array.from({ length: s.length }, (_, k) => k)
      .sort((a, b) => s[b] - s[a] || a - b)
      .slice(0, m);
  }
  return out;
}
