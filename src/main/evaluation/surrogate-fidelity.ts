/**
 * How well the SCM stands in for the network (METHODS §2, surrogate fidelity of S1), on the held-out
 * images the SCM was evaluated on (its evaluation φ rows and the real network's batches must be the
 * same images in the same order):
 * - per layer: Spearman and Pearson between the SCM-predicted drop in mean true-class margin of
 *   do(r_{l,k} = 0) and the true drop in the real network, over the layer's filters; the mean and the
 *   worst layer beside them;
 * - multi-filter: for every node layer and k = 1, 2, 4, 8, 16 (k ≤ the layer's channels), seeded
 *   random sets of k channels zeroed together; accuracy and mean margin predicted by the SCM
 *   (counterfactual, and interventional for comparison) vs measured in the real network, with the
 *   mean absolute error in percentage points of accuracy.
 */
import { mulberry32 } from '../data/seeded-random.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import type { FittedScm } from '../scm/fitted-scm.js';
import type { PhiTable } from '../scm/phi-table.js';
import { abduceNoise } from '../scm/propagate.js';
import { scmQuery } from '../scm/scm-query.js';
import type { ImageBatch } from './evaluation-images.js';
import { type MaskRunOptions, outcomesUnderMasks } from './masked-outcomes.js';
import { pearson, spearman } from './rank-correlation.js';

export function dropAgreement(scmDrops: ArrayLike<number>, trueDrops: ArrayLike<number>): { pearson: number; spearman: number; filters: number } {
  return { pearson: pearson(scmDrops, trueDrops), spearman: spearman(scmDrops, trueDrops), filters: trueDrops.length };
}

export interface LayerDropAgreement {
  layer: string;
  filters: number;
  /** Between the SCM's and the true drop in mean true-class margin, over the layer's filters (null: a constant side). */
  spearman: number | null;
  pearson: number | null;
}

export interface DropAgreementSummary {
  key: 'margin drop';
  layers: LayerDropAgreement[];
  /** Means over the layers with a defined correlation; min is the worst layer. */
  meanSpearman: number | null;
  minSpearman: number | null;
  meanPearson: number | null;
}

/** Per-layer agreement of the SCM's margin drops with the true ones (both indexed by channel). */
export function layerDropAgreement(layers: { layer: string; scm: ArrayLike<number>; truth: ArrayLike<number> }[]): DropAgreementSummary {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  const rows = layers.map((l) => ({ layer: l.layer, filters: l.truth.length, spearman: finite(spearman(l.scm, l.truth)), pearson: finite(pearson(l.scm, l.truth)) }));
  const of = (k: 'spearman' | 'pearson') => rows.map((r) => r[k]).filter((v): v is number => v !== null);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  return { key: 'margin drop', layers: rows, meanSpearman: mean(of('spearman')), minSpearman: of('spearman').length ? Math.min(...of('spearman')) : null, meanPearson: mean(of('pearson')) };
}

export interface MultiFilterDraw {
  k: number;
  seed: number;
  layer: string;
  channels: number[];
}

/** Seeded draws: for each layer, each k ≤ its channels and each seed, k distinct channels of that layer. */
export function multiFilterDraws(layers: { name: string; channels: number }[], ks: number[], seeds: number, seed = 0): MultiFilterDraw[] {
  const draws: MultiFilterDraw[] = [];
  for (const [li, layer] of layers.entries()) {
    for (const k of ks) {
      if (k > layer.channels) continue;
      for (let s = 0; s < seeds; s++) {
        const rng = mulberry32((seed * 1_000_003 + li * 65_537 + k * 7919 + s * 104_729) >>> 0);
        const all = Array.from({ length: layer.channels }, (_, i) => i);
        for (let i = 0; i < k; i++) {
          const j = i + Math.floor(rng() * (all.length - i));
          [all[i], all[j]] = [all[j], all[i]];
        }
        draws.push({ k, seed: s, layer: layer.name, channels: all.slice(0, k).sort((a, b) => a - b) });
      }
    }
  }
  return draws;
}

export interface MultiFilterResult extends MultiFilterDraw {
  /** The SCM's counterfactual answer (the app's default). */
  scmAccuracy: number;
  scmMargin: number;
  /** The SCM's population answer, each image's noise dropped. */
  scmAccuracyInterventional: number;
  scmMarginInterventional: number;
  realAccuracy: number;
  realMargin: number;
}

export interface MultiFilterSummary {
  /** Absent: pooled over layers. */
  layer?: string;
  k: number;
  draws: number;
  /** Means over the draws. */
  scmAccuracy: number;
  realAccuracy: number;
  /** Mean |SCM − real| accuracy, in percentage points: counterfactual, then interventional. */
  maePoints: number;
  maePointsInterventional: number;
  scmMargin: number;
  realMargin: number;
  /** Mean |SCM − real| of the mean true-class margin (counterfactual). */
  marginMae: number;
  /** Kept for readers of older reports: the same as maePoints / 100. */
  meanAbsoluteError: number;
}

export async function multiFilterFidelity(
  model: LoadedModel,
  batches: ImageBatch[],
  scm: FittedScm,
  evaluation: PhiTable,
  draws: MultiFilterDraw[],
  options: MaskRunOptions = {},
): Promise<{ draws: MultiFilterResult[]; byK: MultiFilterSummary[]; byLayer: MultiFilterSummary[] }> {
  const noise = abduceNoise(scm, evaluation.layers, evaluation.n);
  const results: MultiFilterResult[] = [];
  // Suffix re-runs per layer: the prefix up to the layer runs once per batch.
  for (const layer of [...new Set(draws.map((d) => d.layer))]) {
    const of = draws.filter((d) => d.layer === layer);
    const masks = of.map((d) => [{ layer: d.layer, channels: d.channels, kind: 'zero' as const }]);
    const real = await outcomesUnderMasks(model, batches, masks, layer, options);
    of.forEach((d, i) => {
      const cf = scmQuery(scm, evaluation, masks[i], { mode: 'counterfactual', noise });
      const pop = scmQuery(scm, evaluation, masks[i], { mode: 'interventional' });
      results.push({
        ...d,
        scmAccuracy: cf.accuracy,
        scmMargin: cf.meanMargin,
        scmAccuracyInterventional: pop.accuracy,
        scmMarginInterventional: pop.meanMargin,
        realAccuracy: real[i].correct / real[i].n,
        realMargin: real[i].margin / real[i].n,
      });
    });
  }
  const ks = [...new Set(draws.map((d) => d.k))].sort((a, b) => a - b);
  const layers = [...new Set(draws.map((d) => d.layer))];
  return {
    draws: results,
    byK: ks.map((k) => summarize(results.filter((r) => r.k === k), k)),
    byLayer: layers.flatMap((layer) => ks.filter((k) => results.some((r) => r.layer === layer && r.k === k)).map((k) => summarize(results.filter((r) => r.layer === layer && r.k === k), k, layer))),
  };
}

function summarize(of: MultiFilterResult[], k: number, layer?: string): MultiFilterSummary {
  const mean = (f: (r: MultiFilterResult) => number) => of.reduce((s, r) => s + f(r), 0) / of.length;
  const mae = mean((r) => Math.abs(r.scmAccuracy - r.realAccuracy));
  return {
    ...(layer ? { layer } : {}),
    k,
    draws: of.length,
    scmAccuracy: mean((r) => r.scmAccuracy),
    realAccuracy: mean((r) => r.realAccuracy),
    maePoints: 100 * mae,
    maePointsInterventional: 100 * mean((r) => Math.abs(r.scmAccuracyInterventional - r.realAccuracy)),
    scmMargin: mean((r) => r.scmMargin),
    realMargin: mean((r) => r.realMargin),
    marginMae: mean((r) => Math.abs(r.scmMargin - r.realMargin)),
    meanAbsoluteError: mae,
  };
}
