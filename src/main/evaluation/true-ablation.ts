/**
 * Ground truth for any filter ranking (METHODS §2): for every channel k of every node layer l, the
 * real network with do(A_{l,k} = 0) on the held-out images — the drop in mean true-class margin (true-
 * class logit minus the largest other logit: the ordering key), with the change in mean cross-entropy
 * and the accuracy drop reported beside it. Accuracy drops of single filters are mostly ties and
 * noise on a few hundred images; the margin uses every image's full logit change.
 * Suffix re-runs from a per-batch frontier. The images are dealt into class-stratified groups so the
 * truth's split-half reliability comes out of the same passes (truth-reliability.ts).
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import { type ProgressListener, ProgressReporter } from '../util/progress.js';
import type { EvaluationStep } from './evaluation-steps.js';
import { type ImageBatch, imageCount } from './evaluation-images.js';
import { type BatchCache, type MaskRunOptions, type OutcomeSums, groupedOutcomesUnderMasks } from './masked-outcomes.js';
import { type Reliability, splitHalfReliability, stratifiedGroups } from './truth-reliability.js';

export interface BaseOutcome {
  accuracy: number;
  loss: number;
  margin: number;
}

export interface LayerAblation {
  name: string;
  channels: number;
  /** Per channel: mean true-class margin without − with the channel zeroed (the truth's ordering key). */
  marginDrop: number[];
  /** Per channel: mean cross-entropy with the channel zeroed − without. */
  lossChange: number[];
  /** Per channel: Acc(f) − Acc(f with the channel zeroed). */
  accuracyDrop: number[];
  /** Split-half reliability of the margin-drop truth (its noise ceiling), and of an accuracy-drop key for comparison. */
  reliability: Reliability;
  accuracyKeyReliability: Reliability;
}

export interface AblationResult {
  images: number;
  /** Number of stratified image groups the split-half reliability combines. */
  groups: number;
  base: BaseOutcome;
  layers: LayerAblation[];
}

export interface AblationOptions extends Omit<MaskRunOptions, 'onPass' | 'cache'> {
  onProgress?: ProgressListener<EvaluationStep>;
  /** Stratified image groups for the split-half reliability (even, ≥ 2; default 8, fewer when there are few images). */
  groups?: number;
  /** Seed of the group assignment. */
  seed?: number;
  /** A given group assignment by dataset index (then `groups` is its group count), instead of the seeded one. */
  groupOf?: (datasetIndex: number) => number;
  /** Finished batches of a layer's ablation (an evaluation resumed after a kill). */
  cacheFor?: (layer: string) => BatchCache | undefined;
}

export function meanOutcome(sums: OutcomeSums): BaseOutcome {
  return { accuracy: sums.correct / sums.n, loss: sums.loss / sums.n, margin: sums.margin / sums.n };
}

/** The group count actually used: the requested one, lowered (to an even number ≥ 2) so every group holds ≥ 2 images. */
export function groupCount(images: number, requested = 8): number {
  let g = Math.max(2, requested - (requested % 2));
  while (g > 2 && images < 2 * g) g -= 2;
  return g;
}

function seededGroups(batches: ImageBatch[], groups: number, seed: number): (datasetIndex: number) => number {
  const labels = new Map<number, number>();
  batches.forEach((b) => b.indices.forEach((index, i) => labels.set(index, b.labels[i])));
  const groupOf = stratifiedGroups([...labels.keys()], (index) => labels.get(index)!, groups, seed);
  return (index) => groupOf.get(index)!;
}

export async function trueAblation(model: LoadedModel, batches: ImageBatch[], layers: string[], options: AblationOptions = {}): Promise<AblationResult> {
  const n = imageCount(batches);
  const infos = layers.map((name) => {
    const info = model.nodeLayers.find((l) => l.name === name);
    if (!info) throw new RangeError(`no node layer named ${name}`);
    if (info.kind === 'logits') throw new RangeError(`${name} is the logits layer; ablation covers filters only`);
    return info;
  });
  const groups = options.groupOf ? options.groups! : groupCount(n, options.groups);
  const grouping = { groups, groupOf: options.groupOf ?? seededGroups(batches, groups, options.seed ?? 0) };
  const run = { mode: options.mode, masksPerPass: options.masksPerPass, signal: options.signal };

  const baseRun = await groupedOutcomesUnderMasks(model, batches, [[]], undefined, { ...run, ...grouping, mode: 'naive' });
  const base = baseRun.total[0];
  const baseByGroup = baseRun.groups.map((g) => g[0]);
  const progress = new ProgressReporter('true single-filter ablation', n * infos.reduce((s, l) => s + l.channels, 0), options.onProgress, undefined, { step: 'true ablation' });
  const out: LayerAblation[] = [];
  for (const info of infos) {
    const masks = Array.from({ length: info.channels }, (_, k) => [{ layer: info.name, channels: [k], kind: 'zero' as const }]);
    const { total, groups: perGroup } = await groupedOutcomesUnderMasks(model, batches, masks, info.name, {
      ...run,
      ...grouping,
      cache: options.cacheFor?.(info.name),
      onPass: (e) => progress.advance(e),
    });
    out.push({
      name: info.name,
      channels: info.channels,
      marginDrop: total.map((s) => (base.margin - s.margin) / n),
      lossChange: total.map((s) => (s.loss - base.loss) / n),
      // From integer counts, so equal effects give exactly equal drops.
      accuracyDrop: total.map((s) => (base.correct - s.correct) / n),
      reliability: splitHalfReliability(baseByGroup, perGroup, (s) => s.margin),
      accuracyKeyReliability: splitHalfReliability(baseByGroup, perGroup, (s) => s.correct),
    });
  }
  return { images: n, groups, base: meanOutcome(base), layers: out };
}
