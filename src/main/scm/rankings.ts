/**
 * Filter ranking by SCM importance (METHODS §1): importance(l, k) = Acc_SCM − Acc_SCM(do(r_{l,k} = 0)),
 * ties broken by the drop in mean true-class margin [ours]. The baseline chain is computed once;
 * each channel's query recomputes only the layers downstream of l.
 */
import type { FittedScm } from './fitted-scm.js';
import { outcomeOf } from './outcome.js';
import { type LayerValues, propagate } from './propagate.js';
import { logitsLayer } from './scm-structure.js';

export interface RankedChannel {
  channel: number;
  importance: number;
  marginDrop: number;
}

export interface LayerRanking {
  name: string;
  /** Most important first. */
  ranking: RankedChannel[];
}

export function rankFilters(
  scm: FittedScm,
  observed: LayerValues,
  labels: Int32Array,
  layers: string[] = scm.layers.filter((l) => l.kind !== 'logits').map((l) => l.name),
  onChannel?: () => void,
): LayerRanking[] {
  const n = labels.length;
  const logits = logitsLayer(scm.layers);
  const baseline = propagate(scm, { observed, n });
  const base = outcomeOf(baseline[logits.name], labels, logits.channels);
  return layers.map((name) => {
    const layer = scm.layers.find((l) => l.name === name);
    if (!layer) throw new RangeError(`no node layer named ${name}`);
    const ranking: RankedChannel[] = [];
    for (let k = 0; k < layer.channels; k++) {
      const values = propagate(scm, { observed, n, baseline, interventions: [{ layer: name, channels: [k], kind: 'zero' }] });
      const after = outcomeOf(values[logits.name], labels, logits.channels);
      ranking.push({ channel: k, importance: base.accuracy - after.accuracy, marginDrop: base.meanMargin - after.meanMargin });
      onChannel?.();
    }
    ranking.sort((a, b) => b.importance - a.importance || b.marginDrop - a.marginDrop || a.channel - b.channel);
    return { name, ranking };
  });
}
