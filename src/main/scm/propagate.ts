/**
 * Runs the SCM forward (METHODS §1), in topological order, with intervened channels clamped (do)
 * and their descendants recomputed. Three modes:
 * - `interventional` (the paper's chain and the population answer): exogenous layers take their
 *   observed φ, every other layer its equation's prediction from its parents' *predicted* values,
 *   each image's noise dropped;
 * - `teacher-forced`: each layer predicted from *observed* parents (one step, no chaining);
 * - `counterfactual` (Pearl's abduction → action → prediction): each image keeps its own additive
 *   noise u = observed φ − f(observed parents); descendants of the intervention become
 *   f(new parents) + u, everything else keeps its observed value, so with no intervention the
 *   result is the observed φ itself. Binary φ with classifier equations [ours]: the same additive
 *   form on the 0/1 class, clipped to {0, 1} (a node whose classifier disagreed with its observed
 *   value keeps that value unless its parents move it the other way).
 * A baseline run can be passed in: layers no intervention reaches are then reused, not recomputed.
 */
import { type ScmIntervention, intervenedValue } from './do-values.js';
import type { FittedScm } from './fitted-scm.js';
import { concatColumns } from './phi-table.js';
import { type ScmLayer, descendantsOf } from './scm-structure.js';

export type LayerValues = Record<string, Float64Array | Float32Array>;

export type PropagateMode = 'interventional' | 'teacher-forced' | 'counterfactual';
export type { QueryMode } from './query-mode.js';

export interface PropagateOptions {
  interventions?: ScmIntervention[];
  /**
   * Observed φ of the layers: exogenous inputs always; every layer in teacher-forced and
   * counterfactual mode.
   */
  observed: LayerValues;
  n: number;
  /** Default `interventional`. */
  mode?: PropagateMode;
  /** @deprecated use mode: 'teacher-forced'. */
  teacherForced?: boolean;
  /** Counterfactual mode: the abducted noise (`abduceNoise`), computed once and reused across queries. */
  noise?: LayerValues;
  /** Values of an earlier run of the same mode without interventions, reused for layers no intervention reaches. */
  baseline?: LayerValues;
  /** Interventional mode: layers that take their observed φ instead of their equation (chaining starts after them). */
  observedLayers?: ReadonlySet<string>;
}

/** Abduction: per image and unit, u = observed φ − f(observed parents), for every non-exogenous layer. */
export function abduceNoise(scm: FittedScm, observed: LayerValues, n: number): LayerValues {
  const noise: LayerValues = {};
  for (const layer of scm.layers) {
    if (layer.exogenous) continue;
    const own = requireObserved(observed, layer.name, n * layer.channels);
    const predicted = predictLayer(scm, layer, (p, cols) => requireObserved(observed, p, n * cols), n);
    const u = new Float64Array(predicted.length);
    for (let i = 0; i < u.length; i++) u[i] = own[i] - predicted[i];
    noise[layer.name] = u;
  }
  return noise;
}

export function propagate(scm: FittedScm, options: PropagateOptions): LayerValues {
  const { n, observed } = options;
  const mode: PropagateMode = options.mode ?? (options.teacherForced ? 'teacher-forced' : 'interventional');
  const interventions = options.interventions ?? [];
  for (const iv of interventions) {
    if (!scm.layers.some((l) => l.name === iv.layer)) throw new RangeError(`no node layer named ${iv.layer}`);
  }
  const touched = new Set(interventions.map((iv) => iv.layer));
  const downstream = new Set<string>();
  for (const layer of touched) for (const d of descendantsOf(scm.layers, layer)) downstream.add(d);
  const affected = new Set<string>([...touched, ...downstream]);
  const noise = mode === 'counterfactual' ? (options.noise ?? abduceNoise(scm, observed, n)) : undefined;
  const values: LayerValues = {};
  for (const layer of scm.layers) {
    if (options.baseline && !affected.has(layer.name)) {
      values[layer.name] = options.baseline[layer.name];
      continue;
    }
    let out: Float64Array | Float32Array;
    if (layer.exogenous || (mode === 'interventional' && options.observedLayers?.has(layer.name))) {
      out = requireObserved(observed, layer.name, n * layer.channels);
    } else if (mode === 'counterfactual') {
      // Non-descendants keep their observed values exactly; descendants are f(new parents) + u.
      if (!downstream.has(layer.name)) out = requireObserved(observed, layer.name, n * layer.channels);
      else {
        const predicted = predictLayer(scm, layer, (p) => values[p], n);
        const u = noise![layer.name];
        const clip = scm.phi === 'binary' && layer.kind !== 'logits';
        for (let i = 0; i < predicted.length; i++) {
          const v = predicted[i] + u[i];
          predicted[i] = clip ? Math.min(1, Math.max(0, v)) : v;
        }
        out = predicted;
      }
    } else if (mode === 'teacher-forced') {
      out = predictLayer(scm, layer, (p, cols) => requireObserved(observed, p, n * cols), n);
    } else {
      out = predictLayer(scm, layer, (p) => values[p], n);
    }
    const own = interventions.filter((iv) => iv.layer === layer.name);
    if (own.length > 0) {
      const copy = Float64Array.from(out);
      const area = layer.shape.length === 3 ? layer.shape[0] * layer.shape[1] : 1;
      for (const iv of own) {
        for (const k of iv.channels) {
          if (!Number.isInteger(k) || k < 0 || k >= layer.channels) {
            throw new RangeError(`layer ${layer.name} has channels 0..${layer.channels - 1}; channel ${k} does not exist`);
          }
          const ctx = { phi: scm.phi, area, isLogits: layer.kind === 'logits', threshold: scm.binaryThresholds?.[layer.name]?.[k] };
          for (let i = 0; i < n; i++) copy[i * layer.channels + k] = intervenedValue(iv, copy[i * layer.channels + k], ctx);
        }
      }
      out = copy;
    }
    values[layer.name] = out;
  }
  return values;
}

function predictLayer(scm: FittedScm, layer: ScmLayer, parentValues: (name: string, cols: number) => Float64Array | Float32Array, n: number): Float64Array {
  const parts = layer.parents.map((p) => {
    const cols = scm.layers.find((l) => l.name === p)!.channels;
    return { values: parentValues(p, cols), cols };
  });
  return scm.equations[layer.name].predict({ rows: n, cols: parts.reduce((s, p) => s + p.cols, 0), data: concatColumns(parts, n) });
}

function requireObserved(observed: LayerValues, layer: string, length: number): Float64Array | Float32Array {
  const v = observed[layer];
  if (!v || v.length !== length) throw new RangeError(`observed φ of ${layer} is missing or has the wrong size`);
  return v;
}
