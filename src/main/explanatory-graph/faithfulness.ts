/**
 * Faithfulness of a channel set for class c (METHODS §3), on the class's images in the real network:
 * - sufficiency: p_c when only the set's channels are kept in a layer (the layer's other channels
 *   zeroed), averaged over the set's layers one layer at a time [ours: one at a time, since keeping
 *   a few channels in every layer at once leaves nothing of most networks — also reported as `joint`];
 * - necessity: the drop p_c(x) − p_c(x | set removed), likewise per layer and jointly.
 * Every set (graph, baselines, random draws of the same sizes) runs in the same passes: the prefix to
 * a layer once per image batch, one copy of the batch per (set, keep|remove).
 */
import { softmaxRows } from '../causal-effect/masked-probabilities.js';
import { mulberry32, shuffleInPlace } from '../data/seeded-random.js';
import type { Intervention } from '../engine/interventions.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { checkpoint } from '../util/progress.js';
import type { ImageSet } from './class-images.js';
import type { ChannelSets } from './stability.js';

export interface Outcome {
  /** Mean p_c. */
  probability: number;
  /** Share of the images predicted as c. */
  accuracy: number;
  /** p_c of each image. */
  perImage?: Float64Array;
}

export interface SetFaithfulness {
  /** Mean p_c with only the set kept (per layer, averaged over layers). */
  sufficiency: number;
  /** Mean drop of p_c with the set removed (per layer, averaged). */
  necessity: number;
  sufficiencyAccuracy: number;
  /** Accuracy on class c with the set removed. */
  necessityAccuracy: number;
  joint: { sufficiency: number; necessity: number; sufficiencyAccuracy: number; necessityAccuracy: number };
  /** Per image, averaged over layers (for paired comparisons between sets on the same images). */
  perImage?: { sufficiency: number[]; necessity: number[] };
}

type Mask = Intervention[];

export interface FaithfulnessOptions {
  batchSize: number;
  maxElements: number;
  signal?: AbortSignal;
}

function keepOnly(layer: string, channels: number[], width: number): Intervention[] {
  const kept = new Set(channels);
  const zeroed = Array.from({ length: width }, (_, k) => k).filter((k) => !kept.has(k));
  return zeroed.length ? [{ layer, channels: zeroed, kind: 'zero' }] : [];
}

function remove(layer: string, channels: number[]): Intervention[] {
  return channels.length ? [{ layer, channels, kind: 'zero' }] : [];
}

/** Outcomes of every mask on the images, starting from the frontier at `layer`. */
async function outcomes(model: LoadedModel, images: ImageSet, cls: number, layer: string, masks: Mask[], limits: FaithfulnessOptions): Promise<Outcome[]> {
  const { batchSize, maxElements, signal } = limits;
  const mapSize = model.nodeLayers.find((l) => l.name === layer)!.shape.reduce((a, b) => a * b, 1);
  const sums = masks.map(() => ({ probability: 0, accuracy: 0, perImage: new Float64Array(images.n) }));
  const size = images.input.length / Math.max(images.n, 1);
  const classes = model.numClasses;
  for (let start = 0; start < images.n; start += batchSize) {
    const count = Math.min(batchSize, images.n - start);
    const handle = await model.captureFrontier(images.input.subarray(start * size, (start + count) * size), count, layer);
    try {
      const perPass = Math.max(1, Math.floor(maxElements / (count * mapSize)));
      for (let first = 0; first < masks.length; first += perPass) {
        await checkpoint(signal, 'the faithfulness test');
        const repeat = Math.min(perPass, masks.length - first);
        const perSample: Intervention[][] = [];
        for (let r = 0; r < repeat; r++) for (let b = 0; b < count; b++) perSample.push(masks[first + r]);
        const { logits } = await model.forwardFromFrontier(handle, { interventions: { perSample } }, repeat);
        const p = softmaxRows(logits, repeat * count, classes);
        for (let r = 0; r < repeat; r++) {
          for (let b = 0; b < count; b++) {
            const row = (r * count + b) * classes;
            sums[first + r].probability += p[row + cls];
            sums[first + r].perImage[start + b] = p[row + cls];
            let best = 0;
            for (let k = 1; k < classes; k++) if (p[row + k] > p[row + best]) best = k;
            if (best === cls) sums[first + r].accuracy++;
          }
        }
      }
    } finally {
      handle.dispose();
    }
  }
  return sums.map((s) => ({ probability: s.probability / images.n, accuracy: s.accuracy / images.n, perImage: s.perImage }));
}

/** Random sets with the same number of channels per layer, one per seed. */
export function randomSets(sizes: Record<string, number>, widths: Record<string, number>, seed: number): ChannelSets {
  const rng = mulberry32(seed);
  return Object.fromEntries(
    Object.entries(sizes).map(([layer, m]) => [layer, shuffleInPlace(Array.from({ length: widths[layer] }, (_, k) => k), rng).slice(0, m).sort((a, b) => a - b)]),
  );
}

export async function faithfulness(
  model: LoadedModel,
  images: ImageSet,
  cls: number,
  sets: ChannelSets[],
  options: FaithfulnessOptions,
): Promise<{ base: Outcome; sets: SetFaithfulness[] }> {
  const order = model.nodeLayers.map((l) => l.name);
  const width = (layer: string) => model.nodeLayers.find((l) => l.name === layer)!.channels;
  const layers = order.filter((l) => sets.some((s) => (s[l]?.length ?? 0) > 0));
  if (layers.length === 0) throw new Error('the channel sets are empty: nothing to keep or remove');
  const run = (layer: string, masks: Mask[]) => outcomes(model, images, cls, layer, masks, options);
  const [base] = await run(order[order.length - 1], [[]]);
  const perLayer = sets.map(() => ({
    sufficiency: 0,
    necessity: 0,
    sufficiencyAccuracy: 0,
    necessityAccuracy: 0,
    perImage: { sufficiency: new Array<number>(images.n).fill(0), necessity: new Array<number>(images.n).fill(0) },
  }));
  for (const layer of layers) {
    const masks = sets.flatMap((s) => [keepOnly(layer, s[layer] ?? [], width(layer)), remove(layer, s[layer] ?? [])]);
    const o = await run(layer, masks);
    sets.forEach((_, i) => {
      perLayer[i].sufficiency += o[2 * i].probability / layers.length;
      perLayer[i].sufficiencyAccuracy += o[2 * i].accuracy / layers.length;
      perLayer[i].necessity += (base.probability - o[2 * i + 1].probability) / layers.length;
      perLayer[i].necessityAccuracy += o[2 * i + 1].accuracy / layers.length;
      for (let j = 0; j < images.n; j++) {
        perLayer[i].perImage.sufficiency[j] += o[2 * i].perImage![j] / layers.length;
        perLayer[i].perImage.necessity[j] += (base.perImage![j] - o[2 * i + 1].perImage![j]) / layers.length;
      }
    });
  }
  // Jointly: every layer of the sets at once, from the earliest layer's frontier.
  const joint = await run(
    layers[0],
    sets.flatMap((s) => [layers.flatMap((l) => keepOnly(l, s[l] ?? [], width(l))), layers.flatMap((l) => remove(l, s[l] ?? []))]),
  );
  return {
    base,
    sets: sets.map((_, i) => ({
      ...perLayer[i],
      joint: {
        sufficiency: joint[2 * i].probability,
        necessity: base.probability - joint[2 * i + 1].probability,
        sufficiencyAccuracy: joint[2 * i].accuracy,
        necessityAccuracy: joint[2 * i + 1].accuracy,
      },
    })),
  };
}
