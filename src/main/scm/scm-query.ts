/**
 * do-queries (METHODS §1) over the evaluation rows, computed in the SCM with the intervened nodes
 * clamped and their descendants recomputed: counterfactually by default (each image keeps its own
 * abducted noise, so the answer without intervention is the network's own output), or the population
 * answer E[Y | do(X = x)] with the noise dropped (`interventional`); optionally the same intervention
 * in the real network on the same images, side by side.
 */
import type { Dataset } from '../data/dataset.js';
import { modelBatches } from '../data/model-batches.js';
import type { Preprocessing } from '../data/preprocessing.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { checkpoint } from '../util/progress.js';
import type { ScmIntervention } from './do-values.js';
import type { FittedScm } from './fitted-scm.js';
import { type Outcome, outcomeOf, predictionsOf } from './outcome.js';
import type { PhiTable } from './phi-table.js';
import { type LayerValues, propagate } from './propagate.js';
import type { QueryMode } from './query-mode.js';
import { descendantsOf, logitsLayer } from './scm-structure.js';

export interface ScmQueryResult extends Outcome {
  mode: QueryMode;
  /** Layers whose values the intervention changes (the intervened ones and their descendants). */
  affectedLayers: string[];
  /** Per evaluation row: predicted class and probabilities (only when asked). */
  samples?: { index: number; label: number; predicted: number; probabilities: number[] }[];
}

export interface ScmQueryOptions {
  perSample?: boolean;
  /** Default counterfactual. */
  mode?: QueryMode;
  /** Counterfactual: the evaluation rows' abducted noise, when already at hand. */
  noise?: LayerValues;
}

export function scmQuery(scm: FittedScm, evaluation: PhiTable, interventions: ScmIntervention[], options: ScmQueryOptions = {}): ScmQueryResult {
  const { perSample = false, mode = 'counterfactual' } = options;
  const logits = logitsLayer(scm.layers);
  const values = propagate(scm, { observed: evaluation.layers, n: evaluation.n, interventions, mode, noise: options.noise });
  const outcome = outcomeOf(values[logits.name], evaluation.labels, logits.channels);
  const affected = new Set(interventions.map((iv) => iv.layer));
  for (const iv of interventions) for (const d of descendantsOf(scm.layers, iv.layer)) affected.add(d);
  const result: ScmQueryResult = { mode, ...outcome, affectedLayers: scm.layers.map((l) => l.name).filter((n) => affected.has(n)) };
  if (perSample) {
    result.samples = predictionsOf(values[logits.name], evaluation.n, logits.channels).map((p, i) => ({
      index: evaluation.indices[i],
      label: evaluation.labels[i],
      ...p,
    }));
  }
  return result;
}

/** The same interventions in the real network, on the given images. */
export async function realQuery(
  model: LoadedModel,
  dataset: Dataset,
  indices: number[],
  preprocessing: Preprocessing,
  interventions: ScmIntervention[],
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<Outcome> {
  const [height, width, channels] = model.inputShape;
  const logits: Float32Array[] = [];
  const labels: number[] = [];
  for await (const batch of modelBatches(dataset, indices, options.batchSize ?? 64, preprocessing, { height, width, channels })) {
    await checkpoint(options.signal, 'verification');
    const out = await model.forward(batch.input, batch.n, { interventions: { shared: interventions } });
    logits.push(out.logits);
    labels.push(...batch.labels);
  }
  const all = new Float32Array(logits.reduce((s, l) => s + l.length, 0));
  let o = 0;
  for (const l of logits) {
    all.set(l, o);
    o += l.length;
  }
  return outcomeOf(all, labels, model.numClasses);
}
