/**
 * Global cumulative ablation curves (METHODS §2): one pool of every filter of every conv node layer,
 * removed in the order a criterion gives across layers (full forward passes). Criteria compare raw
 * scores across layers (no per-layer normalisation [ours]), not their within-layer ranks. A criterion that does
 * not cover every pool layer (|γ| where some conv has no BN) gets no global curve. The truth orders by
 * its raw margin drop; the SCM by its raw margin drop too (its ranking's ordering key).
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import type { ProgressListener } from '../util/progress.js';
import { ProgressReporter } from '../util/progress.js';
import type { EvaluationStep } from './evaluation-steps.js';
import type { LayerRanking } from '../scm/rankings.js';
import { type FilterRef, ablationCurves, curveArea, distinctMasks } from './ablation-curves.js';
import type { Criterion, FilterLayer } from './criteria.js';
import { type CurveOrder, curveOrders, curveRow } from './curve-orders.js';
import type { ImageBatch } from './evaluation-images.js';
import type { EvaluationReport } from './evaluation-report.js';
import { meanSd } from './evaluation-report.js';
import type { BatchCache, Mask, MaskRunOptions } from './masked-outcomes.js';
import type { LayerAblation } from './true-ablation.js';

export interface GlobalCurvesInput {
  model: LoadedModel;
  batches: ImageBatch[];
  layers: FilterLayer[];
  criteria: Criterion[];
  random: Criterion[];
  ablation: LayerAblation[];
  ranking: LayerRanking[];
  fractions: number[];
  run: Omit<MaskRunOptions, 'onPass' | 'cache'>;
  cacheFor?: (masks: Mask[]) => BatchCache | undefined;
  onProgress?: ProgressListener<EvaluationStep>;
}

export interface GlobalCurvesResult {
  global: NonNullable<EvaluationReport['global']>;
  /** Area under each global curve by order name; random seeds as 'random:SEED' (least-first only). */
  areas: Record<string, { least: number; most: number }>;
}

export async function globalCurves(input: GlobalCurvesInput): Promise<GlobalCurvesResult | undefined> {
  const poolLayers = input.layers.filter((l) => l.kind === 'conv');
  const pool = poolLayers.flatMap((l) => Array.from({ length: l.channels }, (_, channel): FilterRef => ({ layer: l.name, channel })));
  if (pool.length === 0) return undefined;
  const pooled = (scoresOf: (layer: FilterLayer) => ArrayLike<number> | undefined) => {
    const parts = poolLayers.map(scoresOf);
    return parts.every(Boolean) ? parts.flatMap((p) => Array.from(p!)) : undefined;
  };
  const truthOf = (l: FilterLayer) => input.ablation.find((a) => a.name === l.name)!;
  const scmOf = (l: FilterLayer) => {
    const out = new Float64Array(l.channels);
    for (const r of input.ranking.find((x) => x.name === l.name)!.ranking) out[r.channel] = r.marginDrop;
    return out;
  };
  const truth = pooled((l) => truthOf(l).marginDrop)!;
  const scm = pooled(scmOf)!;
  const orders = curveOrders(input.criteria, input.random, truth, (c) => (c.name === 'scm' ? scm : pooled((l) => c.scores[l.name])));
  const images = input.batches.reduce((s, b) => s + b.n, 0);
  const progress = new ProgressReporter('ablation curves (global)', distinctMasks(pool, orders.map((o) => o.order), input.fractions) * images, input.onProgress, undefined, { step: 'global curves' });
  const curves = await ablationCurves(input.model, input.batches, pool, orders.map((o) => o.order), input.fractions, undefined, {
    ...input.run,
    cacheFor: input.cacheFor,
    onPass: (e) => progress.advance(e),
  });
  const row = (name: CurveOrder['name'], direction: CurveOrder['direction'], seed?: number) => curveRow(curves.accuracy, orders, name, direction, seed);
  const area = (y: number[]) => curveArea(curves.fractionRemoved, y);
  const names = [...new Set(orders.filter((o) => o.name !== 'random').map((o) => o.name))];
  const areas: GlobalCurvesResult['areas'] = {};
  for (const name of names) areas[name] = { least: area(row(name, 'leastFirst')), most: area(row(name, 'mostFirst')) };
  const randomRows = input.random.map((r) => row('random', 'leastFirst', r.seed));
  input.random.forEach((r, i) => (areas[`random:${r.seed}`] = { least: area(randomRows[i]), most: Number.NaN }));
  const points = curves.removed.map((_, p) => meanSd(randomRows.map((rr) => rr[p])));
  return {
    areas,
    global: {
      pool: `all ${pool.length} filters of the ${poolLayers.length} conv node layers`,
      filters: pool.length,
      removed: curves.removed,
      fractionRemoved: curves.fractionRemoved,
      curves: names.map((name) => ({ name, leastFirst: row(name, 'leastFirst'), mostFirst: row(name, 'mostFirst') })),
      random: { curveMean: points.map((p) => p.mean), curveSd: points.map((p) => p.sd) },
    },
  };
}
