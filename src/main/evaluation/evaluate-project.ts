/**
 * A full evaluation of a project's filter rankings against the real network (METHODS §2): true
 * single-filter ablation on the held-out split, every criterion's rank fidelity, cumulative
 * ablation curves per layer and globally, and the SCM's surrogate fidelity. Returns plain JSON.
 */
import type { Dataset } from '../data/dataset.js';
import type { Preprocessing } from '../data/preprocessing.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { type ProgressListener, ProgressReporter } from '../util/progress.js';
import type { BuildStep } from '../scm/build-scm.js';
import type { EvaluationStep } from './evaluation-steps.js';
import type { BuiltScm } from '../scm/build-scm.js';
import type { LayerRanking } from '../scm/rankings.js';
import { type FilterRef, ablationCurves, distinctMasks } from './ablation-curves.js';
import { type Criterion, type FilterLayer, computeCriteria } from './criteria.js';
import { curveOrders, curveRow } from './curve-orders.js';
import { type ImageBatch, imageCount, loadImages, stratifiedSubset } from './evaluation-images.js';
import type { EvaluationReport, LayerReport } from './evaluation-report.js';
import { meanSd } from './evaluation-report.js';
import type { EvaluationSettings } from './evaluation-settings.js';
import { summarizeCriteria, summarizeLayer } from './fidelity-summary.js';
import { globalCurves } from './global-curves.js';
import type { BatchCache, Mask } from './masked-outcomes.js';
import type { StoredBatches } from './stored-batches.js';
import { dropAgreement, layerDropAgreement, multiFilterDraws, multiFilterFidelity } from './surrogate-fidelity.js';
import { trueAblation } from './true-ablation.js';
import { reliabilityThreshold } from './truth-reliability.js';

export interface EvaluationContext {
  model: LoadedModel;
  dataset: Dataset;
  preprocessing: Preprocessing;
  built: BuiltScm;
  /** The SCM ranking of every non-logits layer (rankFilters on the evaluation split). */
  ranking: LayerRanking[];
  /** Finished batches of an interrupted run of this evaluation (resume), and where new ones go. */
  stored?: StoredBatches;
}

export interface EvaluationHooks {
  /** Hears the evaluation's own steps and those of the build it reads back (φ, augmentation). */
  onProgress?: ProgressListener<EvaluationStep | BuildStep>;
  signal?: AbortSignal;
}

export const groundTruthRule =
  'true single-filter ablation on the held-out split: drop in mean true-class margin (true-class logit minus the largest other logit); loss change and accuracy drop reported beside it';

export async function evaluateBuild(ctx: EvaluationContext, settings: EvaluationSettings, hooks: EvaluationHooks = {}): Promise<EvaluationReport> {
  const started = performance.now();
  const { model, dataset, built, ranking } = ctx;
  const { signal, onProgress } = hooks;
  const layers = model.nodeLayers.filter((l) => l.kind !== 'logits') as FilterLayer[];
  const batches = await loadImages(model, dataset, built.evaluationIndices, ctx.preprocessing, settings.batchSize);
  const curveIndices = stratifiedSubset(built.evaluationIndices, dataset.labels(), settings.curveImages, settings.seed);
  const curveBatches: ImageBatch[] =
    curveIndices.length === built.evaluationIndices.length ? batches : await loadImages(model, dataset, curveIndices, ctx.preprocessing, settings.batchSize);
  const run = { masksPerPass: settings.masksPerPass, signal };

  const { criteria, random } = await computeCriteria(model, batches, layers, ranking, { seeds: settings.seeds, taylor: settings.taylor, signal, onProgress });
  const ablation = await trueAblation(
    model,
    batches,
    layers.map((l) => l.name),
    { ...run, groups: settings.reliabilityGroups, seed: settings.seed, onProgress, cacheFor: (layer) => ctx.stored?.cache(`true-ablation:${layer}`, []) },
  );
  const truth = Object.fromEntries(ablation.layers.map((l) => [l.name, l.marginDrop]));
  // Finished batches of the curve runs, kept per stage and mask set (resume after a kill).
  const cacheFor: StageCaches = (stage) => (ctx.stored ? (masks) => ctx.stored!.cache(stage, masks) : undefined);

  const layerReports = await layerCurves({ model, batches: curveBatches, layers, criteria, random, truth, ranking, ablation: ablation.layers, settings, run, cacheFor, onProgress });
  const global = await globalCurves({
    model,
    batches: curveBatches,
    layers,
    criteria,
    random,
    ablation: ablation.layers,
    ranking,
    fractions: settings.fractions,
    run,
    cacheFor: cacheFor('global-curves'),
    onProgress,
  });

  // The SCM's (counterfactual) margin drops against the true ones: pooled, and per layer (the target is per layer).
  const agreement = dropAgreement(
    layerReports.flatMap((l) => l.scm.marginDrop),
    layerReports.flatMap((l) => l.truth.marginDrop),
  );
  const perLayer = layerDropAgreement(layerReports.map((l) => ({ layer: l.name, scm: l.scm.marginDrop, truth: l.truth.marginDrop })));
  const draws = multiFilterDraws(layers, settings.multiFilterK, settings.multiFilterSeeds, settings.seed);
  const multiProgress = new ProgressReporter<EvaluationStep>('multi-filter interventions', draws.length * ablation.images, onProgress, undefined, { step: 'multi-filter' });
  const multi = await multiFilterFidelity(model, batches, built.scm, built.evaluation, draws, { ...run, onPass: (e) => multiProgress.advance(e) });

  const globalAreas = global?.areas ?? {};
  const summaries = summarizeCriteria({ criteria, random, layers: layerReports, truth, globalAuc: globalAreas, resamples: settings.resamples, seed: settings.seed });
  const truthReliability = Object.fromEntries(ablation.layers.map((l) => [l.name, l.reliability.reliability]));
  const referenceOf = (field: 'aucLeastFirst' | 'aucMostFirst') => meanSd(layerReports.map((l) => l.reference[field])).mean;
  return {
    images: ablation.images,
    curveImages: imageCount(curveBatches),
    groundTruth: groundTruthRule,
    truthReliability,
    reliabilityGroups: ablation.groups,
    warnings: reliabilityWarnings(truthReliability, ablation.images),
    modelAccuracy: ablation.base.accuracy,
    modelLoss: ablation.base.loss,
    modelMargin: ablation.base.margin,
    scmAccuracy: built.validation.scmAccuracy,
    criteria: summaries,
    reference: {
      name: 'true-ablation',
      aucLeastFirst: referenceOf('aucLeastFirst'),
      aucMostFirst: referenceOf('aucMostFirst'),
      globalAucLeastFirst: globalAreas['true-ablation']?.least,
      globalAucMostFirst: globalAreas['true-ablation']?.most,
    },
    surrogate: { ...agreement, key: 'margin drop', mode: ranking[0]?.mode ?? 'interventional', perLayer, multiFilter: multi.byK, multiFilterByLayer: multi.byLayer, draws: multi.draws },
    layers: layerReports,
    global: global?.global,
    notes: evaluationNotes(layers, criteria),
    computeSeconds: (performance.now() - started) / 1000,
  };
}

type StageCaches = (stage: string) => ((masks: Mask[]) => BatchCache) | undefined;

interface LayerCurvesInput {
  model: LoadedModel;
  batches: ImageBatch[];
  layers: FilterLayer[];
  criteria: Criterion[];
  random: Criterion[];
  truth: Record<string, number[]>;
  ranking: LayerRanking[];
  ablation: Awaited<ReturnType<typeof trueAblation>>['layers'];
  settings: EvaluationSettings;
  run: { masksPerPass?: number; signal?: AbortSignal };
  cacheFor: StageCaches;
  onProgress?: ProgressListener<EvaluationStep>;
}

/** Per-layer curves (suffix re-runs from each layer's frontier) and the per-layer report. */
async function layerCurves(input: LayerCurvesInput): Promise<LayerReport[]> {
  const { layers, settings } = input;
  const orders = layers.map((l) => curveOrders(input.criteria, input.random, input.truth[l.name], (c) => c.scores[l.name]));
  const pools = layers.map((l) => Array.from({ length: l.channels }, (_, channel): FilterRef => ({ layer: l.name, channel })));
  const total = layers.reduce((s, _, i) => s + distinctMasks(pools[i], orders[i].map((o) => o.order), settings.fractions), 0);
  const progress = new ProgressReporter<EvaluationStep>('ablation curves (per layer)', total * imageCount(input.batches), input.onProgress, undefined, { step: 'layer curves' });
  const reports: LayerReport[] = [];
  for (const [i, layer] of layers.entries()) {
    const curves = await ablationCurves(input.model, input.batches, pools[i], orders[i].map((o) => o.order), settings.fractions, layer.name, {
      ...input.run,
      cacheFor: input.cacheFor(`curves:${layer.name}`),
      onPass: (e) => progress.advance(e),
    });
    const scmDrop = new Array<number>(layer.channels).fill(0);
    const scmMargin = new Array<number>(layer.channels).fill(0);
    for (const r of input.ranking.find((x) => x.name === layer.name)!.ranking) {
      scmDrop[r.channel] = r.accuracyDrop;
      scmMargin[r.channel] = r.marginDrop;
    }
    reports.push(
      summarizeLayer({
        layer: layer as FilterLayer & { kind: 'conv' | 'merge' },
        ablation: input.ablation[i],
        truth: input.truth[layer.name],
        scm: { accuracyDrop: scmDrop, marginDrop: scmMargin },
        criteria: input.criteria,
        random: input.random,
        curves,
        curveOf: (name, direction, seed) => curveRow(curves.accuracy, orders[i], name, direction, seed),
      }),
    );
  }
  return reports;
}

/** One warning per layer whose truth is too noisy to rank criteria by (reliability below the threshold). */
export function reliabilityWarnings(reliability: Record<string, number>, images: number): string[] {
  const low = Object.entries(reliability).filter(([, r]) => !(r >= reliabilityThreshold));
  return low.map(([layer, r]) => {
    // Spearman–Brown prophecy: k times the images give k·r / (1 + (k − 1)·r); solved for the threshold.
    const needed = r > 0 ? Math.ceil((images * reliabilityThreshold * (1 - r)) / (r * (1 - reliabilityThreshold)) - 1e-9) : undefined;
    const more = needed ? `about ${needed} held-out images would reach ${reliabilityThreshold} (Spearman–Brown prophecy)` : 'use more held-out images';
    return `${layer}: the ground truth's split-half reliability is ${Number.isFinite(r) ? r.toFixed(2) : 'undefined'} (< ${reliabilityThreshold}) on ${images} held-out images; its fidelity figures are capped by noise — ${more}`;
  });
}

function evaluationNotes(layers: FilterLayer[], criteria: Criterion[]): string[] {
  const notes = [
    `ground truth: ${groundTruthRule}`,
    `truth reliability: per layer, Spearman between the truth on two halves of the held-out images (class-stratified groups, averaged over every half split), Spearman–Brown corrected; the ceiling any criterion's ρ can reach; below ${reliabilityThreshold} a warning`,
    'criteria are scored larger = more important; activation statistics, Taylor and the SCM use the same held-out images as the ground truth',
    'random: mean ± sd (sample sd) over seeds; its most-first curve is its least-first curve (a reversed random order is random)',
  ];
  const merges = layers.filter((l) => l.kind === 'merge').map((l) => l.name);
  if (merges.length) notes.push(`merge layers (${merges.join(', ')}) have no kernel of their own: no weight-norm or BatchNorm |γ| criterion there, and they are left out of the global pool`);
  const gamma = criteria.find((c) => c.name === 'bn-gamma');
  const missing = layers.filter((l) => l.kind === 'conv' && !gamma?.scores[l.name]).map((l) => l.name);
  if (missing.length) notes.push(`no BatchNormalization directly after ${missing.join(', ')}: no |γ| criterion there`);
  return notes;
}
