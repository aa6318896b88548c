/**
 * What a query or ranking answers (METHODS §1): Pearl's counterfactual (default; abduction → action →
 * prediction on the images asked about) or the population do-query with each image's noise dropped.
 */
import type { PhiKind } from '../engine/phi.js';
import type { QueryMode } from '../../shared/choices.js';

export type { QueryMode };

/** The label shown beside every SCM number, in the CLI, the app and the report. */
export function describeQueryMode(mode: QueryMode, phi: PhiKind): string {
  if (mode === 'interventional') return 'interventional (population answer: each image’s noise dropped, the chain starts from the first node layer)';
  const base = 'counterfactual (abduction → action → prediction: each image keeps its own noise u = φ − f(parents), so without an intervention the SCM reproduces the network)';
  return phi === 'binary'
    ? `${base}; binary φ: the residual is taken on the 0/1 class and the result clipped to {0, 1} [ours]`
    : base;
}
