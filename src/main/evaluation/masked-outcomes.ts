/**
 * The real network's accuracy, loss and true-class margin on a set of images under each of many
 * zero masks: the workhorse of true ablation and of the ablation curves.
 * - `suffix` mode (masks on one node layer): per image batch the prefix up to that layer runs once
 *   (captureFrontier) and only the rest of the network is re-run per mask, `masksPerPass` masks per
 *   pass (the batch repeated, sample r·B + b carrying mask r as a per-sample intervention);
 * - `naive` mode: a full forward pass per mask (masks may span layers): the reference and the global
 *   curves.
 * Sums are formed per batch and then added in batch order, so a run that takes some batches from a
 * `BatchCache` (a resumed evaluation) gives bit for bit the numbers of a run that computed them all.
 * Images may be split into groups (the split-half reliability of the truth): every group gets its
 * own sums, and the total is the sum of the groups in group order.
 */
import type { Intervention } from '../engine/interventions.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { checkpoint } from '../util/progress.js';
import { rowStats } from '../util/logit-rows.js';
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

/** Finished batches of one run (one mask set on one image set), e.g. kept in the project store. */
export interface BatchCache {
  /** Per group, per mask: the sums of batch `index`, when it was computed before. */
  get(index: number): OutcomeSums[][] | undefined;
  put(index: number, sums: OutcomeSums[][]): void;
}

export interface MaskRunOptions {
  mode?: 'suffix' | 'naive';
  /** Masks per suffix pass (the batch is repeated this many times); default: the engine's choice. */
  masksPerPass?: number;
  signal?: AbortSignal;
  /** Called after each pass with the number of (mask, image) evaluations it did. */
  onPass?: (evaluations: number) => void;
  /** Finished batches to skip and a place to put new ones. */
  cache?: BatchCache;
}

export interface GroupOptions extends MaskRunOptions {
  /** Number of image groups and the group of each image (by dataset index); one group when absent. */
  groups?: number;
  groupOf?: (datasetIndex: number) => number;
}

export function emptySums(): OutcomeSums {
  return { n: 0, correct: 0, loss: 0, margin: 0 };
}

export function addSums(into: OutcomeSums, add: OutcomeSums): void {
  into.n += add.n;
  into.correct += add.correct;
  into.loss += add.loss;
  into.margin += add.margin;
}

/** Adds `rows` rows of logits (from row `firstRow`) with their labels; `only` picks the rows (of labels) to add. */
export function addOutcomes(
  sums: OutcomeSums,
  logits: ArrayLike<number>,
  firstRow: number,
  labels: ArrayLike<number>,
  classes: number,
  only?: (row: number) => boolean,
): void {
  for (let i = 0; i < labels.length; i++) {
    if (only && !only(i)) continue;
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
  return (await groupedOutcomesUnderMasks(model, batches, masks, layer, options)).total;
}

/** Per group and in total: outcome sums for every mask over all batches. */
export async function groupedOutcomesUnderMasks(
  model: LoadedModel,
  batches: ImageBatch[],
  masks: Mask[],
  layer: string | undefined,
  options: GroupOptions = {},
): Promise<{ total: OutcomeSums[]; groups: OutcomeSums[][] }> {
  const mode = options.mode ?? 'suffix';
  const groupCount = options.groups ?? 1;
  if (mode === 'suffix') {
    if (!layer) throw new RangeError('a suffix re-run needs the node layer the masks act on');
    const stray = masks.flat().find((iv) => iv.layer !== layer);
    if (stray) throw new RangeError(`mask on ${stray.layer} cannot be re-run from the frontier of ${layer}`);
  }
  const groups = Array.from({ length: groupCount }, () => masks.map(emptySums));
  for (const [b, batch] of batches.entries()) {
    await checkpoint(options.signal, 'ablation');
    let sums = options.cache?.get(b);
    if (sums) {
      options.onPass?.(masks.length * batch.n);
    } else {
      const rowGroup = new Int32Array(batch.n);
      if (groupCount > 1) {
        if (!options.groupOf || batch.indices.length !== batch.n) throw new RangeError('grouped outcomes need groupOf and the dataset index of every image');
        batch.indices.forEach((index, i) => (rowGroup[i] = options.groupOf!(index)));
      }
      sums = await batchOutcomes(model, batch, masks, layer, mode, rowGroup, groupCount, options);
      options.cache?.put(b, sums);
    }
    sums.forEach((perMask, g) => perMask.forEach((s, m) => addSums(groups[g][m], s)));
  }
  const total = masks.map((_, m) => {
    const t = emptySums();
    for (const g of groups) addSums(t, g[m]);
    return t;
  });
  return { total, groups };
}

/** One batch under every mask: per group, per mask. */
async function batchOutcomes(
  model: LoadedModel,
  batch: ImageBatch,
  masks: Mask[],
  layer: string | undefined,
  mode: 'suffix' | 'naive',
  rowGroup: Int32Array,
  groupCount: number,
  options: MaskRunOptions,
): Promise<OutcomeSums[][]> {
  const classes = model.numClasses;
  const sums = Array.from({ length: groupCount }, () => masks.map(emptySums));
  const add = (m: number, logits: ArrayLike<number>, firstRow: number) => {
    for (let g = 0; g < groupCount; g++) addOutcomes(sums[g][m], logits, firstRow, batch.labels, classes, groupCount > 1 ? (i) => rowGroup[i] === g : undefined);
  };
  if (mode === 'naive') {
    for (const [m, mask] of masks.entries()) {
      if (m > 0) await checkpoint(options.signal, 'ablation'); // a batch may carry hundreds of masks
      const out = await model.forward(batch.input, batch.n, mask.length ? { interventions: { shared: mask } } : {});
      add(m, out.logits, 0);
      options.onPass?.(batch.n);
    }
    return sums;
  }
  const perPass = Math.max(1, Math.floor(options.masksPerPass ?? model.masksPerPass(batch.n)));
  const frontier = await model.captureFrontier(batch.input, batch.n, layer!);
  try {
    for (let start = 0; start < masks.length; start += perPass) {
      const chunk = masks.slice(start, start + perPass);
      // One mask: a shared intervention (no per-sample buffers); several: the batch repeated.
      const request =
        chunk.length === 1
          ? chunk[0].length
            ? { interventions: { shared: chunk[0] } }
            : {}
          : { interventions: { perSample: chunk.flatMap((mask) => Array.from({ length: batch.n }, () => mask)) } };
      const out = await model.forwardFromFrontier(frontier, request, chunk.length);
      chunk.forEach((_, r) => add(start + r, out.logits, r * batch.n));
      options.onPass?.(chunk.length * batch.n);
      if (start + perPass < masks.length) await checkpoint(options.signal, 'ablation');
    }
  } finally {
    frontier.dispose();
  }
  return sums;
}
