/**
 * Ground truth for any filter ranking (METHODS §2): for every channel k of every node layer l, the
 * real network with do(A_{l,k} = 0) on the held-out images — the drop in accuracy, the change in mean
 * cross-entropy, the drop in mean true-class margin. Suffix re-runs from a per-batch frontier.
 * The ground-truth order is accuracy drop, ties broken by margin drop [ours] (see fidelity.ts).
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import { type ProgressListener, ProgressReporter } from '../jobs/progress.js';
import { type ImageBatch, imageCount } from './evaluation-images.js';
import { type MaskRunOptions, type OutcomeSums, baselineOutcome, outcomesUnderMasks } from './masked-outcomes.js';

export interface BaseOutcome {
  accuracy: number;
  loss: number;
  margin: number;
}

export interface LayerAblation {
  name: string;
  channels: number;
  /** Per channel: Acc(f) − Acc(f with the channel zeroed). */
  accuracyDrop: number[];
  /** Per channel: mean cross-entropy with the channel zeroed − without. */
  lossChange: number[];
  /** Per channel: mean true-class margin without − with the channel zeroed. */
  marginDrop: number[];
}

export interface AblationResult {
  images: number;
  base: BaseOutcome;
  layers: LayerAblation[];
}

export interface AblationOptions extends Omit<MaskRunOptions, 'onPass'> {
  onProgress?: ProgressListener;
  /** Outcome of the unmodified network on the same batches, when already known. */
  base?: OutcomeSums;
}

export function meanOutcome(sums: OutcomeSums): BaseOutcome {
  return { accuracy: sums.correct / sums.n, loss: sums.loss / sums.n, margin: sums.margin / sums.n };
}

export async function trueAblation(model: LoadedModel, batches: ImageBatch[], layers: string[], options: AblationOptions = {}): Promise<AblationResult> {
  const n = imageCount(batches);
  const infos = layers.map((name) => {
    const info = model.nodeLayers.find((l) => l.name === name);
    if (!info) throw new RangeError(`no node layer named ${name}`);
    if (info.kind === 'logits') throw new RangeError(`${name} is the logits layer; ablation covers filters only`);
    return info;
  });
  const base = options.base ?? (await baselineOutcome(model, batches, options.signal));
  const progress = new ProgressReporter('true single-filter ablation', n * infos.reduce((s, l) => s + l.channels, 0), options.onProgress);
  const out: LayerAblation[] = [];
  for (const info of infos) {
    const masks = Array.from({ length: info.channels }, (_, k) => [{ layer: info.name, channels: [k], kind: 'zero' as const }]);
    const sums = await outcomesUnderMasks(model, batches, masks, info.name, { ...options, onPass: (e) => progress.advance(e) });
    out.push({
      name: info.name,
      channels: info.channels,
      // From integer counts, so equal effects give exactly equal drops (ties matter for the ranking).
      accuracyDrop: sums.map((s) => (base.correct - s.correct) / n),
      lossChange: sums.map((s) => (s.loss - base.loss) / n),
      marginDrop: sums.map((s) => (base.margin - s.margin) / n),
    });
  }
  return { images: n, base: meanOutcome(base), layers: out };
}
