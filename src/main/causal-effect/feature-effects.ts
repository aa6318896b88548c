/**
 * Feature-level causal effects (METHODS §4): CE_k = p_c(x) − p_c(x | do(A_{l,k} = 0)) for every
 * channel k of node layer l, and ECE_k likewise. The prefix up to l runs once per batch of images;
 * the suffix re-runs with one channel zeroed per copy, several channels per pass.
 */
import type { Intervention } from '../engine/interventions.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { checkpoint } from '../util/progress.js';
import { effectsFromProbabilities, type CeMap } from './ce-map.js';
import { softmaxRows } from './masked-probabilities.js';

export async function featureEffects(
  model: LoadedModel,
  images: Float32Array,
  n: number,
  layer: string,
  cleanProbabilities: Float64Array,
  classes: ArrayLike<number>,
  maxBatch = 256,
  signal?: AbortSignal,
): Promise<CeMap[]> {
  const node = model.nodeLayers.find((l) => l.name === layer);
  if (!node) throw new RangeError(`no node layer named ${layer}; node layers: ${model.nodeLayers.map((l) => l.name).join(', ')}`);
  const K = node.channels;
  const C = model.numClasses;
  const probs = new Float64Array(n * K * C); // [image, channel, class]
  const imagesPerPass = Math.max(1, Math.min(n, Math.floor(maxBatch / Math.min(K, maxBatch))));
  const size = images.length / n;
  for (let start = 0; start < n; start += imagesPerPass) {
    const count = Math.min(imagesPerPass, n - start);
    const handle = await model.captureFrontier(images.subarray(start * size, (start + count) * size), count, layer);
    try {
      const channelsPerPass = Math.max(1, Math.floor(maxBatch / count));
      for (let first = 0; first < K; first += channelsPerPass) {
        const repeat = Math.min(channelsPerPass, K - first);
        // Sample r·count + b is image b with channel first + r zeroed.
        const perSample: Intervention[][] = [];
        for (let r = 0; r < repeat; r++) for (let b = 0; b < count; b++) perSample.push([{ layer, channels: [first + r], kind: 'zero' }]);
        const { logits } = await model.forwardFromFrontier(handle, { interventions: { perSample } }, repeat);
        const p = softmaxRows(logits, repeat * count, C);
        for (let r = 0; r < repeat; r++)
          for (let b = 0; b < count; b++) probs.set(p.subarray((r * count + b) * C, (r * count + b + 1) * C), ((start + b) * K + first + r) * C);
        await checkpoint(signal);
      }
    } finally {
      handle.dispose();
    }
  }
  return Array.from({ length: n }, (_, i) =>
    effectsFromProbabilities(cleanProbabilities.subarray(i * C, (i + 1) * C), probs.subarray(i * K * C, (i + 1) * K * C), classes[i], K),
  );
}
