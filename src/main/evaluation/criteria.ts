/**
 * Every filter-importance criterion the evaluation compares with true ablation (METHODS §2), as one
 * score per channel and layer, larger = more important:
 * the SCM's importance (its predicted drop in mean true-class margin, METHODS §1), L1 / L2 norm of the
 * producing kernel slice, activation mean and variance over images and positions, first-order Taylor
 * (Molchanov et al. 2017, baselines/taylor.ts), BatchNorm |γ|, and random (one criterion per seed). Weight norms and |γ| exist only
 * for conv node layers (a merge has no kernel of its own; |γ| also needs a BN right after the conv).
 * Data-driven criteria use the same held-out images as the ground truth, as the SCM ranking does.
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import { type ProgressListener, ProgressReporter, checkpoint } from '../util/progress.js';
import type { EvaluationStep } from './evaluation-steps.js';
import type { LayerRanking } from '../scm/rankings.js';
import { ActivationStats } from './baselines/activation-stats.js';
import { batchNormGamma } from './baselines/bn-gamma.js';
import { randomScores } from './baselines/random-scores.js';
import { type TaylorVariant, taylorScores } from './baselines/taylor.js';
import { kernelNorms } from './baselines/weight-norms.js';
import type { ImageBatch } from './evaluation-images.js';
import { type OutcomeSums, addOutcomes, emptySums } from './masked-outcomes.js';

export { type CriterionName, criterionLabels } from '../../shared/choices.js';
import type { CriterionName } from '../../shared/choices.js';

export interface Criterion {
  name: CriterionName;
  /** Per layer, one score per channel; layers where the criterion does not exist are absent. */
  scores: Record<string, number[]>;
  /** Random criteria: the seed. */
  seed?: number;
}

export interface FilterLayer {
  name: string;
  kind: 'conv' | 'merge' | 'logits';
  channels: number;
  shape: number[];
}

export interface CriteriaResult {
  criteria: Criterion[];
  random: Criterion[];
  /** The unmodified network on the same images (from the statistics pass). */
  base: OutcomeSums;
}

/** SCM importance as a score: its predicted drop in mean true-class margin (the key the truth orders by). */
export function scmScores(ranking: LayerRanking, channels: number): number[] {
  const margin = new Array<number>(channels).fill(0);
  for (const r of ranking.ranking) margin[r.channel] = r.marginDrop;
  return margin;
}

export async function computeCriteria(
  model: LoadedModel,
  batches: ImageBatch[],
  layers: FilterLayer[],
  ranking: LayerRanking[],
  options: { seeds: number; taylor?: TaylorVariant; signal?: AbortSignal; onProgress?: ProgressListener<EvaluationStep> },
): Promise<CriteriaResult> {
  const names = layers.map((l) => l.name);
  const images = batches.reduce((s, b) => s + b.n, 0);
  const stats = new Map(layers.map((l) => [l.name, new ActivationStats(l.channels, l.shape[0] * l.shape[1])]));
  const base = emptySums();
  const statsProgress = new ProgressReporter<EvaluationStep>('activation statistics', images, options.onProgress, undefined, { step: 'statistics' });
  for (const batch of batches) {
    await checkpoint(options.signal, 'activation statistics');
    const out = await model.forward(batch.input, batch.n, { phi: { layers: names, kinds: ['mean', 'fro'] } });
    for (const name of names) stats.get(name)!.add(out.phi[name].mean!, out.phi[name].fro!);
    addOutcomes(base, out.logits, 0, batch.labels, model.numClasses);
    statsProgress.advance(batch.n);
  }
  const taylorProgress = new ProgressReporter<EvaluationStep>('Taylor criterion (gradients)', images, options.onProgress, undefined, { step: 'taylor' });
  const taylor = await taylorScores(model, batches, names, { variant: options.taylor, signal: options.signal, onBatch: (n) => taylorProgress.advance(n) });

  const spec = model.graph.spec;
  const criteria: Criterion[] = (['scm', 'l1-norm', 'l2-norm', 'activation-mean', 'activation-variance', 'taylor', 'bn-gamma'] as const).map((name) => ({
    name,
    scores: {},
  }));
  const byName = (name: CriterionName) => criteria.find((c) => c.name === name)!.scores;
  for (const layer of layers) {
    const r = ranking.find((x) => x.name === layer.name);
    if (!r) throw new Error(`the SCM ranking has no layer ${layer.name}`);
    byName('scm')[layer.name] = scmScores(r, layer.channels);
    const norms = kernelNorms(spec, layer);
    if (norms) {
      byName('l1-norm')[layer.name] = norms.l1;
      byName('l2-norm')[layer.name] = norms.l2;
    }
    const { mean, variance } = stats.get(layer.name)!.result();
    byName('activation-mean')[layer.name] = mean;
    byName('activation-variance')[layer.name] = variance;
    byName('taylor')[layer.name] = taylor[layer.name];
    const gamma = batchNormGamma(spec, layer);
    if (gamma) byName('bn-gamma')[layer.name] = gamma;
  }
  const random = Array.from({ length: options.seeds }, (_, seed) => ({
    name: 'random' as const,
    seed,
    scores: Object.fromEntries(layers.map((l, i) => [l.name, randomScores(seed, i, l.channels)])),
  }));
  return { criteria: criteria.filter((c) => Object.keys(c.scores).length > 0), random, base };
}
