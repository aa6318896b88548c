/**
 * The real network's accuracy, loss and true-class margin on a set of images under each of many
 * zero masks: the workhorse of true ablation and of the ablation curves.
 * - `suffix` mode (masks on one node layer): per image batch the prefix up to that layer runs once
 *   (captureFrontier) and only the rest of the network is re-run per mask, `masksPerPass` masks per
 *   pass (the batch repeated, sample r·B + b carrying mask r as a per-sample intervention);
 * - `naive` mode: a full forward pass per mask (masks may span layers): the reference and the global
 *   curves.
 */
import type { Intervention } from '../engine/interventions.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { checkpoint } from '../jobs/progress.js';
import { rowStats } from './classification-metrics.js';
import type { ImageBatch } from './evaluation-images.js';

/** Sums over images: correct predictions, cross-entropy, true-class margin (true − best other logit). */
export interface OutcomeSums {
  n: number;
  correct: number;
  loss: number;
  margin: number;
}

/** A set of interventions applied together (for ablations: zeroed channels). */
export type Mask = Intervention[];

export interface MaskRunOptions {
  mode?: 'suffix' | 'naive';
  /** Masks per suffix pass (the batch is repeated this many times); default: the engine's choice. */
  masksPerPass?: number;
  signal?: AbortSignal;
  /** Called after each pass with the number of (mask, image) evaluations it did. */
  onPass?: (evaluations: number) => void;
}

export function emptySums(): OutcomeSums {
  return { n: 0, correct: 0, loss: 0, margin: 0 };
}

/** Adds `rows` rows of logits (from row `firstRow`) with their labels. */
export function addOutcomes(sums: OutcomeSums, logits: ArrayLike<number>, firstRow: number, labels: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    const o = (firstRow + i) * classes;
    const y = labels[i];
    const { argmax, logSumExp } = rowStats(logits, o, classes);
    let bestOther = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < classes; k++) if (k !== y && logits[o + k] > bestOther) bestOther = logits[o + k];
    sums.n++;
    if (argmax === y) sums.correct++;
    sums.loss += logSumExp - logits[o + y];
    sums.margin += logits[o + y] - bestOther;
  }
}

/** Outcome sums of the unmodified network (one full pass). */
export async function baselineOutcome(model: LoadedModel, batches: ImageBatch[], signal?: AbortSignal): Promise<OutcomeSums> {
  const [sums] = await outcomesUnderMasks(model, batches, [[]], undefined, { mode: 'naive', signal });
  return sums;
}

/**
 * Outcome sums for every mask over all batches. `layer` names the node layer all masks act on
 * (required in suffix mode); naive mode ignores it.
 */
export async function outcomesUnderMasks(
  model: LoadedModel,
  batches: ImageBatch[],
  masks: Mask[],
  layer: string | undefined,
  options: MaskRunOptions = {},
): Promise<OutcomeSums[]> {
  const mode = options.mode ?? 'suffix';
  const perPass = (rows: number) => Math.max(1, Math.floor(options.masksPerPass ?? model.masksPerPass(rows)));
  const classes = model.numClasses;
  const sums = masks.map(emptySums);
  if (mode === 'suffix') {
    if (!layer) throw new RangeError('a suffix re-run needs the node layer the masks act on');
    const stray = masks.flat().find((iv) => iv.layer !== layer);
    if (stray) throw new RangeError(`mask on ${stray.layer} cannot be re-run from the frontier of ${layer}`);
  }
  for (const batch of batches) {
    await checkpoint(options.signal, 'ablation');
    if (mode === 'naive') {
      for (const [m, mask] of masks.entries()) {
        if (m > 0) await checkpoint(options.signal, 'ablation'); // a batch may carry hundreds of masks
        const out = await model.forward(batch.input, batch.n, mask.length ? { interventions: { shared: mask } } : {});
        addOutcomes(sums[m], out.logits, 0, batch.labels, classes);
        options.onPass?.(batch.n);
      }
      continue;
    }
    const frontier = await model.captureFrontier(batch.input, batch.n, layer!);
    const chunkSize = perPass(batch.n);
    try {
      for (let start = 0; start < masks.length; start += chunkSize) {
        const chunk = masks.slice(start, start + chunkSize);
        // One mask: a shared intervention (no per-sample buffers); several: the batch repeated.
        const request =
          chunk.length === 1
            ? chunk[0].length
              ? { interventions: { shared: chunk[0] } }
              : {}
            : { interventions: { perSample: chunk.flatMap((mask) => Array.from({ length: batch.n }, () => mask)) } };
        const out = await model.forwardFromFrontier(frontier, request, chunk.length);
        chunk.forEach((_, r) => addOutcomes(sums[start + r], out.logits, r * batch.n, batch.labels, classes));
        options.onPass?.(chunk.length * batch.n);
        if (start + chunkSize < masks.length) await checkpoint(options.signal, 'ablation');
      }
    } finally {
      frontier.dispose();
    }
  }
  return sums;
}
