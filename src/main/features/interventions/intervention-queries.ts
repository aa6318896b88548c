/**
 * The app's do-queries: the SCM's answer at once (counterfactual by default: each held-out image keeps
 * its own abducted noise, so the SCM starts from the network's own outputs; or the labelled population
 * answer) (accuracy, per class, the layers and channels the
 * intervention moves) and the real network's answer on the same held-out images, both beside their
 * baselines without intervention.
 */
import type { ClassResultDto, InterventionDto, RealResultDto, ScmResultDto } from '../../../shared/dto.js';
import { ApiError } from '../../../shared/errors.js';
import type { Dataset } from '../../data/dataset.js';
import type { Preprocessing } from '../../data/preprocessing.js';
import type { LoadedModel } from '../../engine/loaded-model.js';
import type { BuiltScm } from '../../scm/build-scm.js';
import { type Outcome, outcomeOf } from '../../scm/outcome.js';
import { type LayerValues, abduceNoise, propagate } from '../../scm/propagate.js';
import { type QueryMode, describeQueryMode } from '../../scm/query-mode.js';
import { realQuery } from '../../scm/scm-query.js';
import { descendantsOf, logitsLayer } from '../../scm/scm-structure.js';
import type { channelStats } from '../graph/causal-graph.js';

/** Refuses interventions on layers or channels the SCM does not have, naming them. */
export function checkInterventions(built: BuiltScm, interventions: InterventionDto[]): void {
  for (const iv of interventions) {
    const layer = built.scm.layers.find((l) => l.name === iv.layer);
    if (!layer) throw new ApiError('invalid-args', `no node layer named ${iv.layer}; layers: ${built.scm.layers.map((l) => l.name).join(', ')}`);
    if (layer.kind === 'logits') throw new ApiError('invalid-args', `${iv.layer} is the output layer; intervene on filters of a convolution or merge layer`);
    const bad = iv.channels.find((k) => k >= layer.channels);
    if (bad !== undefined) throw new ApiError('invalid-args', `layer ${iv.layer} has channels 0..${layer.channels - 1}; channel ${bad} does not exist`);
  }
}

function perClass(outcome: Outcome, baseline: Outcome): ClassResultDto[] {
  return outcome.perClass.map((c, k) => ({ class: c.class, n: c.n, accuracy: c.accuracy, baseline: baseline.perClass[k].accuracy }));
}

export interface ScmBaselines {
  /** The evaluation rows' abducted noise (u = observed φ − f(observed parents)). */
  noise: LayerValues;
  /** Without intervention: the counterfactual answer is the observed φ; the interventional one the noise-free chain. */
  counterfactual: LayerValues;
  interventional: LayerValues;
}

/** The SCM's values without intervention in both modes, and the noise, computed once per build. */
export function scmBaselines(built: BuiltScm): ScmBaselines {
  const { scm, evaluation } = built;
  const observed = evaluation.layers;
  const n = evaluation.n;
  const noise = abduceNoise(scm, observed, n);
  return {
    noise,
    counterfactual: propagate(scm, { observed, n, mode: 'counterfactual', noise }),
    interventional: propagate(scm, { observed, n, mode: 'interventional' }),
  };
}

export function scmResult(
  built: BuiltScm,
  interventions: InterventionDto[],
  baselines: ScmBaselines,
  stats: ReturnType<typeof channelStats>,
  mode: QueryMode = 'counterfactual',
): ScmResultDto {
  checkInterventions(built, interventions);
  const { scm, evaluation } = built;
  const logits = logitsLayer(scm.layers);
  const n = evaluation.n;
  const baseline = baselines[mode];
  const values = propagate(scm, { observed: evaluation.layers, n, baseline, interventions, mode, noise: baselines.noise });
  const before = outcomeOf(baseline[logits.name], evaluation.labels, logits.channels);
  const after = outcomeOf(values[logits.name], evaluation.labels, logits.channels);
  const affected = new Set(interventions.map((iv) => iv.layer));
  for (const iv of interventions) for (const d of descendantsOf(scm.layers, iv.layer)) affected.add(d);
  const affectedLayers = scm.layers.map((l) => l.name).filter((name) => affected.has(name));
  const channelEffects: Record<string, number[]> = {};
  for (const name of affectedLayers) {
    const c = scm.layers.find((l) => l.name === name)!.channels;
    const now = values[name];
    const was = baseline[name];
    const shift = new Array<number>(c).fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) shift[k] += now[i * c + k] - was[i * c + k];
    const std = stats[name].std;
    channelEffects[name] = shift.map((s, k) => round(s / Math.max(n, 1) / (std[k] > 0 ? std[k] : 1)));
  }
  return {
    mode,
    modeDescription: describeQueryMode(mode, scm.phi),
    n,
    accuracy: after.accuracy,
    baselineAccuracy: before.accuracy,
    perClass: perClass(after, before),
    meanMargin: after.meanMargin,
    affectedLayers,
    channelEffects,
  };
}

/** The same interventions in the real network on the held-out images. */
export async function realResult(
  built: BuiltScm,
  model: LoadedModel,
  dataset: Dataset,
  preprocessing: Preprocessing,
  interventions: InterventionDto[],
  signal?: AbortSignal,
): Promise<RealResultDto> {
  checkInterventions(built, interventions);
  const started = performance.now();
  const logits = logitsLayer(built.scm.layers);
  // The evaluation table's logits are the network's own outputs on these images.
  const before = outcomeOf(built.evaluation.layers[logits.name], built.evaluation.labels, logits.channels);
  const after = await realQuery(model, dataset, built.evaluationIndices, preprocessing, interventions, { signal });
  return {
    n: after.n,
    accuracy: after.accuracy,
    baselineAccuracy: before.accuracy,
    perClass: perClass(after, before),
    meanMargin: after.meanMargin,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Four significant digits are plenty for a colour scale and keep the JSON small. */
function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(4)) : 0;
}
