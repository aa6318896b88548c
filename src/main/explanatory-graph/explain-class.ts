/**
 * One class's explanatory graph with its checks (METHODS §3): the graph on up to N held-out images
 * of the class; its stability across bootstrap resamples of those images and under seeded input
 * noise, beside the attribution baselines' channel sets of the same sizes; its faithfulness
 * (sufficiency, necessity) beside the baselines and random sets of the same sizes.
 */
import type { Dataset } from '../data/dataset.js';
import type { Preprocessing } from '../data/preprocessing.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { type ProgressListener, throwIfCancelled } from '../util/progress.js';
import { aggregateScores, type BaselineName, baselineNames, perImageBaselineScores, topChannels } from './baseline-scores.js';
import { classIndices, type ImageSet, loadImageSet, noiseEdit } from './class-images.js';
import { conditionedChannels, weightNeighbours } from './conditioned-selection.js';
import { type Outcome, type SetFaithfulness, faithfulness, randomSets } from './faithfulness.js';
import { buildClassGraph, type ExplanatoryGraph } from './graph-builder.js';
import type { GraphSettings } from './graph-settings.js';
import { type GraphStep, InterventionEffects, weightedMean } from './intervention-effects.js';
import { type Agreement, type ChannelSets, bootstrapWeights, meanAgreement, setAgreement } from './stability.js';

export interface ExplainContext {
  model: LoadedModel;
  dataset: Dataset;
  preprocessing: Preprocessing;
  /** The project's held-out split. */
  heldOut: number[];
  /**
   * Images disjoint from those the graph is built on (the project's training split) [issue 16]:
   * faithfulness is then measured again on up to N of their class images, so no set is scored on
   * the images it was chosen on.
   */
  disjoint?: number[];
  /** With `disjoint`: sufficiency and necessity over set sizes k = 1…max per layer (k· the cost). */
  curves?: boolean;
  /**
   * Also each baseline's sets chosen as the graph chooses its nodes (conditioned-selection.ts): the
   * top layer unconditioned, each lower layer among the in-neighbours of the layer above [issue 16].
   */
  conditionedBaselines?: boolean;
}

export interface ExplainHooks {
  onProgress?: ProgressListener<GraphStep>;
  signal?: AbortSignal;
}

export interface StabilityReport extends Agreement {
  bootstrap: Agreement;
  noise: Agreement;
  baselines: ({ name: BaselineName; bootstrap: Agreement; noise: Agreement } & Agreement)[];
  /**
   * The deepest layer of the graph, chosen unconditioned like a baseline's sets [issue 16]: its
   * Jaccard in every run (bootstrap resamples, then noisy copies), for the graph and each baseline,
   * paired run by run.
   */
  topLayer: { layer: string; graph: number[]; baselines: Record<BaselineName, number[]> };
}

export interface FaithfulnessReport extends SetFaithfulness {
  base: Outcome;
  baselines: ({ name: BaselineName | 'random' } & SetFaithfulness)[];
  /** Standard deviation over the random seeds. */
  randomSd: { sufficiency: number; necessity: number };
}

export type ConditionedName = `conditioned ${BaselineName}`;

/** Sufficiency and necessity (per layer, averaged) of each set cut to its top k channels per layer. */
export interface SizeCurves {
  k: number[];
  sets: { name: 'graph' | BaselineName | ConditionedName | 'random'; sufficiency: number[]; necessity: number[] }[];
}

/** The baselines' conditioned sets (ctx.conditionedBaselines): stability and faithfulness as for the plain ones. */
export interface ConditionedReport {
  sets: Record<BaselineName, ChannelSets>;
  stability: ({ name: BaselineName; bootstrap: Agreement; noise: Agreement } & Agreement)[];
  faithfulness: ({ name: BaselineName } & SetFaithfulness)[];
  heldOutFaithfulness?: ({ name: BaselineName } & SetFaithfulness)[];
}

export interface ClassExplanation {
  graph: ExplanatoryGraph;
  indices: number[];
  stability: StabilityReport;
  /** On the images the sets were chosen on. */
  faithfulness: FaithfulnessReport;
  /** On disjoint images of the class (ctx.disjoint), with their indices. */
  heldOutFaithfulness?: FaithfulnessReport & { indices: number[] };
  curves?: SizeCurves;
  conditioned?: ConditionedReport;
  seconds: { graph: number; stability: number; faithfulness: number; total: number };
}

export function graphSets(graph: ExplanatoryGraph): ChannelSets {
  const sets: ChannelSets = {};
  for (const n of graph.nodes) (sets[n.layer] ??= []).push(n.channel);
  return sets;
}

/** Effects of every node of `sets` under `effects` (measuring the missing ones), by "layer:channel". */
async function effectsOf(effects: InterventionEffects, sets: ChannelSets[], weights?: ArrayLike<number>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const layers = new Set(sets.flatMap((s) => Object.keys(s)));
  for (const layer of layers) {
    const channels = [...new Set(sets.flatMap((s) => s[layer] ?? []))];
    const deltas = await effects.nodeDeltas(layer, channels);
    channels.forEach((c, i) => out.set(`${layer}:${c}`, weightedMean(deltas[i], weights)));
  }
  return out;
}

export async function explainClass(ctx: ExplainContext, cls: number, settings: GraphSettings, hooks: ExplainHooks = {}): Promise<ClassExplanation> {
  const started = performance.now();
  const { model, dataset } = ctx;
  const indices = classIndices(ctx.heldOut, dataset.labels(), cls, settings.images, settings.seed);
  if (indices.length === 0) throw new Error(`the held-out split has no image of class ${dataset.info.classNames[cls] ?? cls}`);
  const images = await loadImageSet(model, dataset, indices, ctx.preprocessing);
  const limits = { batchSize: settings.batchSize, maxElements: settings.maxElements };
  const effects = await InterventionEffects.create(model, images, cls, limits, hooks);
  const graph = await buildClassGraph(effects, settings);
  const graphSeconds = (performance.now() - started) / 1000;

  const reference = graphSets(graph);
  const sizes = Object.fromEntries(Object.entries(reference).map(([l, c]) => [l, c.length]));
  const layers = Object.keys(sizes);
  const baselineScores = (set: ImageSet) => perImageBaselineScores(model, set, cls, layers, settings.batchSize, hooks.signal);
  const perImage = await baselineScores(images);
  const referenceScores = aggregateScores(perImage, images.n);
  const baselineSets = (scores: ReturnType<typeof aggregateScores>, name: BaselineName) => topChannels(scores[name], sizes);
  const neighbours = ctx.conditionedBaselines ? weightNeighbours(model, settings.k) : undefined;
  const topLayers = model.nodeLayers[model.nodeLayers.length - 1].parents;
  const conditionedSets = (scores: ReturnType<typeof aggregateScores>, name: BaselineName) => conditionedChannels(model.nodeLayers, topLayers, scores[name], sizes, neighbours!);
  const conditionedReference = neighbours ? Object.fromEntries(baselineNames.map((name) => [name, conditionedSets(referenceScores, name)])) as Record<BaselineName, ChannelSets> : undefined;

  // Stability: bootstrap resamples (reweighting cached per-image effects), then noisy copies.
  const graphRuns: Record<'bootstrap' | 'noise', Agreement[]> = { bootstrap: [], noise: [] };
  const runsOf = () => Object.fromEntries(baselineNames.map((b) => [b, { bootstrap: [] as Agreement[], noise: [] as Agreement[] }]));
  const baselineRuns = runsOf();
  const conditionedRuns = runsOf();
  const compareBaselines = (kind: 'bootstrap' | 'noise', scores: ReturnType<typeof aggregateScores>) => {
    for (const name of baselineNames) {
      const score = (s: Record<string, Float64Array>) => (layer: string, c: number) => s[layer][c];
      baselineRuns[name][kind].push(setAgreement(baselineSets(referenceScores, name), baselineSets(scores, name), score(referenceScores[name]), score(scores[name])));
      if (conditionedReference) {
        conditionedRuns[name][kind].push(setAgreement(conditionedReference[name], conditionedSets(scores, name), score(referenceScores[name]), score(scores[name])));
      }
    }
  };
  for (let b = 0; b < settings.bootstrap; b++) {
    throwIfCancelled(hooks.signal, 'the explanatory graph');
    const weights = bootstrapWeights(images.n, settings.seed * 1000 + b + 1);
    const resampled = graphSets(await buildClassGraph(effects, settings, weights));
    const [ref, res] = [await effectsOf(effects, [reference, resampled]), await effectsOf(effects, [reference, resampled], weights)];
    graphRuns.bootstrap.push(setAgreement(reference, resampled, (l, c) => ref.get(`${l}:${c}`)!, (l, c) => res.get(`${l}:${c}`)!));
    compareBaselines('bootstrap', aggregateScores(perImage, images.n, weights));
  }
  for (let r = 0; r < settings.noiseRepeats; r++) {
    throwIfCancelled(hooks.signal, 'the explanatory graph');
    const noisy = await loadImageSet(model, dataset, indices, ctx.preprocessing, noiseEdit(settings.noiseSigma, settings.seed * 1000 + r + 1));
    const noisyEffects = await InterventionEffects.create(model, noisy, cls, limits, hooks);
    const noisyGraph = graphSets(await buildClassGraph(noisyEffects, settings));
    const [ref, res] = [await effectsOf(effects, [reference, noisyGraph]), await effectsOf(noisyEffects, [reference, noisyGraph])];
    graphRuns.noise.push(setAgreement(reference, noisyGraph, (l, c) => ref.get(`${l}:${c}`)!, (l, c) => res.get(`${l}:${c}`)!));
    compareBaselines('noise', aggregateScores(await baselineScores(noisy), noisy.n));
  }
  const topLayer = model.nodeLayers.map((l) => l.name).filter((l) => reference[l]?.length).at(-1)!;
  const topJaccards = (runs: Record<'bootstrap' | 'noise', Agreement[]>) => [...runs.bootstrap, ...runs.noise].map((a) => a.layers?.[topLayer]?.jaccard ?? 0);
  const summary = (runs: Record<'bootstrap' | 'noise', Agreement[]>) => ({
    ...meanAgreement([...runs.bootstrap, ...runs.noise]),
    bootstrap: meanAgreement(runs.bootstrap),
    noise: meanAgreement(runs.noise),
  });
  const stabilitySeconds = (performance.now() - started) / 1000 - graphSeconds;

  // Faithfulness: the graph, each baseline, and random sets of the same sizes.
  const widths = Object.fromEntries(model.nodeLayers.map((l) => [l.name, l.channels]));
  const randomOf = (of: Record<string, number>) => Array.from({ length: settings.randomSeeds }, (_, s) => randomSets(of, widths, settings.seed * 1000 + s));
  const baselineChosen = baselineNames.map((name) => baselineSets(referenceScores, name));
  const conditionedChosen = conditionedReference ? baselineNames.map((name) => conditionedReference[name]) : [];
  const sets = [reference, ...baselineChosen, ...conditionedChosen, ...randomOf(sizes)];
  const [faith, conditionedFaith] = summarizeFaithfulness(await faithfulness(model, images, cls, sets, { ...limits, signal: hooks.signal }), conditionedChosen.length);
  let conditionedHeldOut: ConditionedReport['heldOutFaithfulness'];
  let heldOutFaithfulness: ClassExplanation['heldOutFaithfulness'];
  let curves: SizeCurves | undefined;
  if (ctx.disjoint) {
    const held = classIndices(ctx.disjoint, dataset.labels(), cls, settings.images, settings.seed);
    if (held.length > 0) {
      const heldImages = await loadImageSet(model, dataset, held, ctx.preprocessing);
      const [heldFaith, heldConditioned] = summarizeFaithfulness(await faithfulness(model, heldImages, cls, sets, { ...limits, signal: hooks.signal }), conditionedChosen.length);
      heldOutFaithfulness = { ...heldFaith, indices: held };
      conditionedHeldOut = heldConditioned;
      if (ctx.curves) {
        // Nested sets: the graph's nodes by effect, a baseline's by score, a random draw's first k.
        const byEffect = new Map(graph.nodes.map((n) => [`${n.layer}:${n.channel}`, n.effect]));
        const graphOrder = Object.fromEntries(Object.entries(reference).map(([l, cs]) => [l, [...cs].sort((a, b) => byEffect.get(`${l}:${b}`)! - byEffect.get(`${l}:${a}`)! || a - b)]));
        const cut = (set: ChannelSets, k: number) => Object.fromEntries(Object.entries(set).map(([l, cs]) => [l, cs.slice(0, k)]));
        const maxK = Math.max(...Object.values(sizes));
        const empty = <N extends SizeCurves['sets'][number]['name']>(name: N) => ({ name, sufficiency: [] as number[], necessity: [] as number[] });
        curves = {
          k: [],
          sets: [
            empty('graph'),
            ...baselineNames.map((name) => empty(name)),
            ...(conditionedReference ? baselineNames.map((name) => empty(`conditioned ${name}` as const)) : []),
            empty('random'),
          ],
        };
        for (let k = 1; k <= maxK; k++) {
          throwIfCancelled(hooks.signal, 'the explanatory graph');
          const sizesK = Object.fromEntries(Object.entries(sizes).map(([l, m]) => [l, Math.min(k, m)]));
          const setsK = [cut(graphOrder, k), ...baselineChosen.map((b) => cut(b, k)), ...conditionedChosen.map((b) => cut(b, k)), ...randomOf(sizesK)];
          const [r, rc] = summarizeFaithfulness(await faithfulness(model, heldImages, cls, setsK, { ...limits, signal: hooks.signal }), conditionedChosen.length);
          curves.k.push(k);
          const all = [r, ...r.baselines.slice(0, -1), ...rc, r.baselines[r.baselines.length - 1]];
          curves.sets.forEach((c, i) => {
            c.sufficiency.push(all[i].sufficiency);
            c.necessity.push(all[i].necessity);
          });
        }
      }
    }
  }
  const total = (performance.now() - started) / 1000;
  return {
    graph,
    indices,
    stability: {
      ...summary(graphRuns),
      baselines: baselineNames.map((name) => ({ name, ...summary(baselineRuns[name]) })),
      topLayer: {
        layer: topLayer,
        graph: topJaccards(graphRuns),
        baselines: Object.fromEntries(baselineNames.map((name) => [name, topJaccards(baselineRuns[name])])) as Record<BaselineName, number[]>,
      },
    },
    faithfulness: faith,
    ...(heldOutFaithfulness ? { heldOutFaithfulness } : {}),
    ...(curves ? { curves } : {}),
    ...(conditionedReference
      ? {
          conditioned: {
            sets: conditionedReference,
            stability: baselineNames.map((name) => ({ name, ...summary(conditionedRuns[name]) })),
            faithfulness: conditionedFaith,
            ...(conditionedHeldOut ? { heldOutFaithfulness: conditionedHeldOut } : {}),
          },
        }
      : {}),
    seconds: { graph: graphSeconds, stability: stabilitySeconds, faithfulness: total - graphSeconds - stabilitySeconds, total },
  };
}


/**
 * The graph's faithfulness with each baseline's and the random sets' mean and sd (sets in the order
 * graph, baselines, `conditioned` conditioned baselines, random draws), and the conditioned ones apart.
 */
function summarizeFaithfulness(faith: { base: Outcome; sets: SetFaithfulness[] }, conditioned: number): [FaithfulnessReport, ({ name: BaselineName } & SetFaithfulness)[]] {
  const randomResults = faith.sets.slice(1 + baselineNames.length + conditioned);
  const avg = (pick: (s: SetFaithfulness) => number) => randomResults.reduce((s, r) => s + pick(r), 0) / randomResults.length;
  const sd = (pick: (s: SetFaithfulness) => number) => {
    const m = avg(pick);
    return Math.sqrt(randomResults.reduce((s, r) => s + (pick(r) - m) ** 2, 0) / Math.max(1, randomResults.length - 1));
  };
  const randomMean: SetFaithfulness = {
    sufficiency: avg((r) => r.sufficiency),
    necessity: avg((r) => r.necessity),
    sufficiencyAccuracy: avg((r) => r.sufficiencyAccuracy),
    necessityAccuracy: avg((r) => r.necessityAccuracy),
    joint: {
      sufficiency: avg((r) => r.joint.sufficiency),
      necessity: avg((r) => r.joint.necessity),
      sufficiencyAccuracy: avg((r) => r.joint.sufficiencyAccuracy),
      necessityAccuracy: avg((r) => r.joint.necessityAccuracy),
    },
  };
  const report = {
    base: faith.base,
    ...faith.sets[0],
    baselines: [...baselineNames.map((name, i) => ({ name, ...faith.sets[1 + i] })), { name: 'random' as const, ...randomMean }],
    randomSd: { sufficiency: sd((r) => r.sufficiency), necessity: sd((r) => r.necessity) },
  };
  const conditionedSets = conditioned > 0 ? baselineNames.map((name, i) => ({ name, ...faith.sets[1 + baselineNames.length + i] })) : [];
  return [report, conditionedSets];
}
