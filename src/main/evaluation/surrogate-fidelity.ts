/**
 * How well the SCM stands in for the network (METHODS §2, surrogate fidelity of S1):
 * - per filter: Pearson and Spearman between the SCM-predicted accuracy drop of do(r_{l,k} = 0) and
 *   the true drop in the real network, pooled over every filter of every layer;
 * - multi-filter: random zero interventions on k channels of one layer (k = 1, 2, 4, 8, 16; a layer
 *   with at least k channels and the channels drawn at random per seed), accuracy predicted by the
 *   SCM vs measured in the real network on the same held-out images.
 */
import { mulberry32 } from '../data/seeded-random.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import type { FittedScm } from '../scm/fitted-scm.js';
import type { PhiTable } from '../scm/phi-table.js';
import { scmQuery } from '../scm/scm-query.js';
import type { ImageBatch } from './evaluation-images.js';
import { type MaskRunOptions, outcomesUnderMasks } from './masked-outcomes.js';
import { pearson, spearman } from './rank-correlation.js';

export function dropAgreement(scmDrops: ArrayLike<number>, trueDrops: ArrayLike<number>): { pearson: number; spearman: number; filters: number } {
  return { pearson: pearson(scmDrops, trueDrops), spearman: spearman(scmDrops, trueDrops), filters: trueDrops.length };
}

export interface MultiFilterDraw {
  k: number;
  seed: number;
  layer: string;
  channels: number[];
}

/** Seeded draws: for each k and seed, a layer with ≥ k channels and k distinct channels of it. */
export function multiFilterDraws(layers: { name: string; channels: number }[], ks: number[], seeds: number, seed = 0): MultiFilterDraw[] {
  const draws: MultiFilterDraw[] = [];
  for (const k of ks) {
    const eligible = layers.filter((l) => l.channels >= k);
    if (eligible.length === 0) continue;
    for (let s = 0; s < seeds; s++) {
      const rng = mulberry32((seed * 1_000_003 + k * 7919 + s * 104_729) >>> 0);
      const layer = eligible[Math.floor(rng() * eligible.length)];
      const all = Array.from({ length: layer.channels }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(rng() * (all.length - i));
        [all[i], all[j]] = [all[j], all[i]];
      }
      draws.push({ k, seed: s, layer: layer.name, channels: all.slice(0, k).sort((a, b) => a - b) });
    }
  }
  return draws;
}

export interface MultiFilterResult extends MultiFilterDraw {
  scmAccuracy: number;
  realAccuracy: number;
}

export interface MultiFilterSummary {
  k: number;
  draws: number;
  /** Means over the draws of size k. */
  scmAccuracy: number;
  realAccuracy: number;
  meanAbsoluteError: number;
}

export async function multiFilterFidelity(
  model: LoadedModel,
  batches: ImageBatch[],
  scm: FittedScm,
  evaluation: PhiTable,
  draws: MultiFilterDraw[],
  options: MaskRunOptions = {},
): Promise<{ draws: MultiFilterResult[]; byK: MultiFilterSummary[] }> {
  const masks = draws.map((d) => [{ layer: d.layer, channels: d.channels, kind: 'zero' as const }]);
  const real = await outcomesUnderMasks(model, batches, masks, undefined, { ...options, mode: 'naive' });
  const results = draws.map((d, i) => ({
    ...d,
    scmAccuracy: scmQuery(scm, evaluation, masks[i]).accuracy,
    realAccuracy: real[i].correct / real[i].n,
  }));
  const ks = [...new Set(draws.map((d) => d.k))];
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    draws: results,
    byK: ks.map((k) => {
      const of = results.filter((r) => r.k === k);
      return {
        k,
        draws: of.length,
        scmAccuracy: mean(of.map((r) => r.scmAccuracy)),
        realAccuracy: mean(of.map((r) => r.realAccuracy)),
        meanAbsoluteError: mean(of.map((r) => Math.abs(r.scmAccuracy - r.realAccuracy))),
      };
    }),
  };
}
