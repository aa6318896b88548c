/**
 * Filter ranking by SCM importance (METHODS §1): importance(l, k) = the drop in mean true-class
 * margin under do(r_{l,k} = 0), answered counterfactually by default (each image keeps its own
 * abducted noise); the accuracy drop is reported beside it and breaks ties [ours]. The baseline
 * (for a counterfactual: the observed φ itself) and the noise are computed once; each channel's
 * query recomputes only the layers downstream of l.
 */
import { combineHashes } from '../store/hashing.js';
import type { FittedScm } from './fitted-scm.js';
import { outcomeOf } from './outcome.js';
import { type LayerValues, abduceNoise, propagate } from './propagate.js';
import type { QueryMode } from './query-mode.js';
import { logitsLayer } from './scm-structure.js';

export interface RankedChannel {
  channel: number;
  /** The ordering key: the SCM's drop in mean true-class margin (= marginDrop). */
  importance: number;
  marginDrop: number;
  /** The SCM's accuracy drop (a fraction), reported beside the margin. */
  accuracyDrop: number;
}

export interface LayerRanking {
  name: string;
  /** Which SCM answer ranked the filters; absent on rankings stored before counterfactuals (accuracy-first). */
  mode?: QueryMode;
  /** Most important first. */
  ranking: RankedChannel[];
}

export interface RankOptions {
  layers?: string[];
  mode?: QueryMode;
  onChannel?: () => void;
}

export function rankFilters(scm: FittedScm, observed: LayerValues, labels: Int32Array, options: RankOptions = {}): LayerRanking[] {
  const n = labels.length;
  const mode = options.mode ?? 'counterfactual';
  const layers = options.layers ?? scm.layers.filter((l) => l.kind !== 'logits').map((l) => l.name);
  const logits = logitsLayer(scm.layers);
  const noise = mode === 'counterfactual' ? abduceNoise(scm, observed, n) : undefined;
  const baseline = propagate(scm, { observed, n, mode, noise });
  const base = outcomeOf(baseline[logits.name], labels, logits.channels);
  return layers.map((name) => {
    const layer = scm.layers.find((l) => l.name === name);
    if (!layer) throw new RangeError(`no node layer named ${name}`);
    const ranking: RankedChannel[] = [];
    for (let k = 0; k < layer.channels; k++) {
      const values = propagate(scm, { observed, n, mode, noise, baseline, interventions: [{ layer: name, channels: [k], kind: 'zero' }] });
      const after = outcomeOf(values[logits.name], labels, logits.channels);
      const marginDrop = base.meanMargin - after.meanMargin;
      ranking.push({ channel: k, importance: marginDrop, marginDrop, accuracyDrop: base.accuracy - after.accuracy });
      options.onChannel?.();
    }
    ranking.sort((a, b) => b.importance - a.importance || b.accuracyDrop - a.accuracyDrop || a.channel - b.channel);
    return { name, mode, ranking };
  });
}

/** The store key of a build's ranking; `counterfactual-margin` keeps rankings of the older accuracy-first rule out. */
export function scmRankingKey(equationsKey: string, evaluationKey: string, mode: QueryMode = 'counterfactual'): string {
  return combineHashes(equationsKey, evaluationKey, 'scm-ranking', mode === 'counterfactual' ? 'counterfactual-margin' : 'interventional-margin');
}
