/**
 * The SCM's sanity check (METHODS §1, the paper's Table 6) and what bounds it [ours]:
 * - the network's own accuracy on the held-out rows;
 * - chained: the first node layer observed, every later layer predicted from predicted parents;
 * - teacher-forced: every layer from observed parents (one step);
 * - chained from layer l: every layer before l observed, l and its descendants chained — where the
 *   chain's accuracy is lost;
 * - a linear-probe ceiling on the first node layer: one-vs-rest logistic regression from its φ to the
 *   label (fitted on the training rows). A chain of affine equations is one affine map of that layer's
 *   φ, so its accuracy is bounded by what a linear read-out of it can reach; a non-linear family is not.
 * With no intervention the counterfactual answer is the observed φ itself (the network's accuracy).
 */
import { outcomeOf } from './outcome.js';
import type { FittedScm } from './fitted-scm.js';
import type { PhiTable } from './phi-table.js';
import { propagate } from './propagate.js';
import { createRegressor } from './regressors/regressor.js';
import { logitsLayer } from './scm-structure.js';

export interface Validation {
  modelAccuracy: number;
  scmAccuracy: number;
  scmAccuracyTeacherForced: number;
  evaluationImages: number;
  /** Per non-exogenous layer l, in order: accuracy when chaining starts at l (earlier layers observed). */
  chainedFrom?: { layer: string; accuracy: number }[];
  /** One-vs-rest logistic probe on the first node layer's φ: the ceiling of any affine chain. */
  probe?: { layer: string; accuracy: number; trainRows: number };
}

export async function validate(scm: FittedScm, evaluation: PhiTable, evaluationRaw: PhiTable, train?: PhiTable): Promise<Validation> {
  const logits = logitsLayer(scm.layers);
  const n = evaluation.n;
  const accuracyOf = (values: ArrayLike<number>) => outcomeOf(values, evaluation.labels, logits.channels).accuracy;
  const chain = propagate(scm, { observed: evaluation.layers, n });
  const teacher = propagate(scm, { observed: evaluation.layers, n, mode: 'teacher-forced' });
  const observedBefore = new Set<string>();
  const chainedFrom: Validation['chainedFrom'] = [];
  for (const layer of scm.layers) {
    if (!layer.exogenous) {
      const values = propagate(scm, { observed: evaluation.layers, n, observedLayers: observedBefore });
      chainedFrom.push({ layer: layer.name, accuracy: accuracyOf(values[logits.name]) });
    }
    observedBefore.add(layer.name);
  }
  const validation: Validation = {
    modelAccuracy: accuracyOf(evaluationRaw.layers[logits.name]),
    scmAccuracy: accuracyOf(chain[logits.name]),
    scmAccuracyTeacherForced: accuracyOf(teacher[logits.name]),
    evaluationImages: n,
    chainedFrom,
  };
  if (train) validation.probe = await linearProbe(scm, train, evaluation);
  return validation;
}

async function linearProbe(scm: FittedScm, train: PhiTable, evaluation: PhiTable): Promise<Validation['probe']> {
  const first = scm.layers[0];
  const classes = logitsLayer(scm.layers).channels;
  const p = first.channels;
  const oneHot = new Float64Array(train.n * classes);
  train.labels.forEach((y, i) => (oneHot[i * classes + y] = 1));
  const probe = createRegressor('logistic');
  await probe.fit({ rows: train.n, cols: p, data: Float64Array.from(train.layers[first.name]) }, { rows: train.n, cols: classes, data: oneHot });
  const scores = probe.decisionFunction({ rows: evaluation.n, cols: p, data: Float64Array.from(evaluation.layers[first.name]) });
  return { layer: first.name, accuracy: outcomeOf(scores, evaluation.labels, classes).accuracy, trainRows: train.n };
}
