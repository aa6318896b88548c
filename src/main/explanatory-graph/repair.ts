/**
 * Model repair with a class graph (METHODS §3) for a planted spurious feature (e.g. the bias-audit
 * demo's magenta corner patch tied to "cat"):
 * 1. build class c's graph on the class's training-split images *with* the feature pasted in;
 * 2. for each graph node, the share of p_c it carries, e/p̄_c, with the feature and on the same
 *    images without it; a node with a positive effect whose share grows by more than `threshold`
 *    carries the feature [ours: shares, not raw effects, because p_c itself rises with the feature];
 * 3. remove such nodes deepest layer first (closest to the decision, least shared with other
 *    classes), until the feature's lift of p_c on those images, p̄_c(with) − p̄_c(without), has fallen
 *    to at most `residualLift` of what it was [ours: the smallest such set] — as do(A = 0) at
 *    inference, the model file untouched — and report accuracy on held-out bias-aligned images
 *    (class c with the feature, other classes without) and bias-conflicting ones (class c without,
 *    other classes with) before and after.
 */
import { type PairedOutcomes, pairedOutcomes } from '../evaluation/paired-difference.js';
import { softmaxRows } from '../causal-effect/masked-probabilities.js';
import type { Intervention } from '../engine/interventions.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { checkpoint, throwIfCancelled } from '../util/progress.js';
import { classIndices, type ImageSet, loadImageSet, type PixelEdit } from './class-images.js';
import type { ExplainContext, ExplainHooks } from './explain-class.js';
import { buildClassGraph, type ExplanatoryGraph } from './graph-builder.js';
import type { GraphSettings } from './graph-settings.js';
import { InterventionEffects, weightedMean } from './intervention-effects.js';

export interface RepairContext extends ExplainContext {
  /** The project's training split: where the channels are looked for. */
  train: number[];
}

export interface RepairOptions {
  /** Pastes the spurious feature into an image (e.g. propertyEdit('patch')). */
  feature: PixelEdit;
  /** Minimum growth of a node's share of p_c with the feature. */
  threshold: number;
  /** Stop removing once the feature's lift of p_c is at most this share of the original (default 0.1). */
  residualLift?: number;
}

export interface RemovedNode {
  layer: string;
  channel: number;
  /** Class effect with the feature, and on the same images without it. */
  effect: number;
  cleanEffect: number;
  /** e/p̄_c with the feature minus without. */
  shareGrowth: number;
}

export interface BiasAccuracy {
  /** Class c with the feature and the other classes without. */
  aligned: number;
  /** Class c without the feature and the other classes with it. */
  conflicting: number;
  /** Every image as it is. */
  clean: number;
  groups: { classWithFeature: number; classClean: number; othersClean: number; othersWithFeature: number };
}

export interface RepairResult {
  cls: number;
  removed: RemovedNode[];
  /** Every node of the graph with its share growth (the candidates). */
  candidates: RemovedNode[];
  graph: ExplanatoryGraph;
  probability: { withFeature: number; clean: number };
  /** p̄_c(with) − p̄_c(without) on the search images, before and after the removal. */
  lift: { before: number; after: number };
  before: BiasAccuracy;
  after: BiasAccuracy;
  /** Per-image correctness before against after on the same held-out images, for the paired change. */
  paired: { aligned: PairedOutcomes; conflicting: PairedOutcomes };
  images: { search: number; evaluation: number; evaluationClass: number };
  seconds: number;
}

async function correct(model: LoadedModel, images: ImageSet, interventions: Intervention[], batchSize: number, signal?: AbortSignal): Promise<Uint8Array> {
  const out = new Uint8Array(images.n);
  const size = images.input.length / Math.max(images.n, 1);
  const c = model.numClasses;
  for (let start = 0; start < images.n; start += batchSize) {
    await checkpoint(signal, 'the repair');
    const count = Math.min(batchSize, images.n - start);
    const { logits } = await model.forward(images.input.subarray(start * size, (start + count) * size), count, { interventions: { shared: interventions } });
    for (let b = 0; b < count; b++) {
      let best = 0;
      for (let k = 1; k < c; k++) if (logits[b * c + k] > logits[b * c + best]) best = k;
      out[start + b] = best === images.labels[b + start] ? 1 : 0;
    }
  }
  return out;
}

/** do(A = 0) on every node, grouped by layer. */
function zeroing(nodes: { layer: string; channel: number }[]): Intervention[] {
  const byLayer = new Map<string, number[]>();
  for (const n of nodes) byLayer.set(n.layer, [...(byLayer.get(n.layer) ?? []), n.channel]);
  return [...byLayer].map(([layer, channels]) => ({ layer, channels, kind: 'zero' }));
}

async function meanProbability(model: LoadedModel, images: ImageSet, cls: number, interventions: Intervention[], batchSize: number): Promise<number> {
  const size = images.input.length / Math.max(images.n, 1);
  let sum = 0;
  for (let start = 0; start < images.n; start += batchSize) {
    const count = Math.min(batchSize, images.n - start);
    const { logits } = await model.forward(images.input.subarray(start * size, (start + count) * size), count, { interventions: { shared: interventions } });
    const p = softmaxRows(logits, count, model.numClasses);
    for (let b = 0; b < count; b++) sum += p[b * model.numClasses + cls];
  }
  return sum / images.n;
}

/** Per-image correctness of one model on the held-out images, as they are and with the feature pasted in. */
interface Scored {
  clean: Uint8Array;
  featured: Uint8Array;
}

/** Bias-aligned: class c with the feature, other classes without; bias-conflicting: the reverse. */
const alignedOf = (isClass: boolean[], s: Scored) => Array.from(s.clean, (v, i) => (isClass[i] ? s.featured[i] : v));
const conflictingOf = (isClass: boolean[], s: Scored) => Array.from(s.clean, (v, i) => (isClass[i] ? v : s.featured[i]));

function accuracyOf(isClass: boolean[], s: Scored): BiasAccuracy {
  const mean = (values: number[]) => (values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : Number.NaN);
  const pick = (a: Uint8Array, cls: boolean) => Array.from(a).filter((_, i) => isClass[i] === cls);
  return {
    aligned: mean(alignedOf(isClass, s)),
    conflicting: mean(conflictingOf(isClass, s)),
    clean: mean(Array.from(s.clean)),
    groups: { classWithFeature: mean(pick(s.featured, true)), classClean: mean(pick(s.clean, true)), othersClean: mean(pick(s.clean, false)), othersWithFeature: mean(pick(s.featured, false)) },
  };
}

export async function repairClass(ctx: RepairContext, cls: number, settings: GraphSettings, options: RepairOptions, hooks: ExplainHooks = {}): Promise<RepairResult> {
  const started = performance.now();
  const { model, dataset, preprocessing } = ctx;
  const labels = dataset.labels();
  const search = classIndices(ctx.train, labels, cls, settings.images, settings.seed);
  if (search.length === 0) throw new Error(`the training split has no image of class ${dataset.info.classNames[cls] ?? cls}`);
  const limits = { batchSize: settings.batchSize, maxElements: settings.maxElements };
  const featured = await InterventionEffects.create(model, await loadImageSet(model, dataset, search, preprocessing, options.feature), cls, limits, hooks);
  const plain = await InterventionEffects.create(model, await loadImageSet(model, dataset, search, preprocessing), cls, limits, hooks);
  const graph = await buildClassGraph(featured, settings);
  const pFeatured = weightedMean(featured.base);
  const pClean = weightedMean(plain.base);
  const candidates: RemovedNode[] = [];
  for (const node of graph.nodes) {
    const [clean] = await plain.nodeDeltas(node.layer, [node.channel]);
    const cleanEffect = weightedMean(clean);
    candidates.push({ ...node, cleanEffect, shareGrowth: node.effect / pFeatured - cleanEffect / Math.max(pClean, 1e-12) });
  }
  candidates.sort((a, b) => b.shareGrowth - a.shareGrowth);
  const depth = new Map(model.nodeLayers.map((l, i) => [l.name, i]));
  const eligible = candidates
    .filter((c) => c.effect > 0 && c.shareGrowth > options.threshold)
    .sort((a, b) => depth.get(b.layer)! - depth.get(a.layer)! || b.shareGrowth - a.shareGrowth);
  const liftUnder = async (nodes: RemovedNode[]) =>
    (await meanProbability(model, featured.images, cls, zeroing(nodes), settings.batchSize)) - (await meanProbability(model, plain.images, cls, zeroing(nodes), settings.batchSize));
  const lift = { before: pFeatured - pClean, after: pFeatured - pClean };
  const removed: RemovedNode[] = [];
  for (const node of eligible) {
    if (lift.after <= (options.residualLift ?? 0.1) * lift.before) break;
    removed.push(node);
    lift.after = await liftUnder(removed);
  }
  throwIfCancelled(hooks.signal, 'the repair');

  const evaluation = ctx.heldOut;
  const isClass = evaluation.map((i) => labels[i] === cls);
  const cleanSet = await loadImageSet(model, dataset, evaluation, preprocessing);
  const featuredSet = await loadImageSet(model, dataset, evaluation, preprocessing, options.feature);
  const interventions = zeroing(removed);
  const score = async (ivs: Intervention[]): Promise<Scored> => ({
    clean: await correct(model, cleanSet, ivs, settings.batchSize, hooks.signal),
    featured: await correct(model, featuredSet, ivs, settings.batchSize, hooks.signal),
  });
  const scoredBefore = await score([]);
  const scoredAfter = interventions.length ? await score(interventions) : scoredBefore;
  return {
    cls,
    removed,
    candidates,
    graph,
    probability: { withFeature: pFeatured, clean: pClean },
    lift,
    before: accuracyOf(isClass, scoredBefore),
    after: accuracyOf(isClass, scoredAfter),
    paired: {
      aligned: pairedOutcomes(alignedOf(isClass, scoredBefore), alignedOf(isClass, scoredAfter)),
      conflicting: pairedOutcomes(conflictingOf(isClass, scoredBefore), conflictingOf(isClass, scoredAfter)),
    },
    images: { search: search.length, evaluation: evaluation.length, evaluationClass: isClass.filter(Boolean).length },
    seconds: (performance.now() - started) / 1000,
  };
}
