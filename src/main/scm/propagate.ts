/**
 * Runs the SCM forward (METHODS §1): exogenous layers take their observed φ, every other layer is
 * predicted by its structural equation from its parents, in topological order, with intervened
 * channels clamped (do) and all their descendants recomputed.
 * - chain mode: parents' *predicted* values feed their children (the paper's sanity check);
 * - teacher-forced mode: each layer is predicted from *observed* parents.
 * A baseline run can be passed in: layers no intervention reaches are then reused, not recomputed.
 */
import { type ScmIntervention, intervenedValue } from './do-values.js';
import type { FittedScm } from './fitted-scm.js';
import { concatColumns } from './phi-table.js';
import { descendantsOf } from './scm-structure.js';

export type LayerValues = Record<string, Float64Array | Float32Array>;

export interface PropagateOptions {
  interventions?: ScmIntervention[];
  /** Observed φ of every layer: exogenous inputs always; all parents in teacher-forced mode. */
  observed: LayerValues;
  n: number;
  teacherForced?: boolean;
  /** Values of an earlier run without interventions, reused for layers no intervention reaches. */
  baseline?: LayerValues;
}

export function propagate(scm: FittedScm, options: PropagateOptions): LayerValues {
  const { n, observed } = options;
  const interventions = options.interventions ?? [];
  for (const iv of interventions) {
    if (!scm.layers.some((l) => l.name === iv.layer)) throw new RangeError(`no node layer named ${iv.layer}`);
  }
  const touched = new Set(interventions.map((iv) => iv.layer));
  const affected = new Set<string>(touched);
  for (const layer of touched) for (const d of descendantsOf(scm.layers, layer)) affected.add(d);
  const values: LayerValues = {};
  for (const layer of scm.layers) {
    if (options.baseline && !affected.has(layer.name)) {
      values[layer.name] = options.baseline[layer.name];
      continue;
    }
    let out: Float64Array | Float32Array;
    if (layer.exogenous) {
      out = requireObserved(observed, layer.name, n * layer.channels);
    } else {
      const source = options.teacherForced ? observed : values;
      const parts = layer.parents.map((p) => {
        const cols = scm.layers.find((l) => l.name === p)!.channels;
        return { values: options.teacherForced ? requireObserved(observed, p, n * cols) : source[p], cols };
      });
      out = scm.equations[layer.name].predict({ rows: n, cols: parts.reduce((s, p) => s + p.cols, 0), data: concatColumns(parts, n) });
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

function requireObserved(observed: LayerValues, layer: string, length: number): Float64Array | Float32Array {
  const v = observed[layer];
  if (!v || v.length !== length) throw new RangeError(`observed φ of ${layer} is missing or has the wrong size`);
  return v;
}
