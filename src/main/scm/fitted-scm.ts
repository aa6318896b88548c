/** A fitted SCM: the graph, the φ it models and one structural equation per non-exogenous layer. */
import type { PhiKind } from '../engine/phi.js';
import type { FittedRegressorJSON, MultiOutputRegressor, RegressorName } from './regressors/regressor.js';
import { restoreRegressor } from './regressors/regressor.js';
import type { ScmLayer } from './scm-structure.js';

export interface FittedScm {
  phi: PhiKind;
  regressor: RegressorName;
  layers: ScmLayer[];
  equations: Record<string, MultiOutputRegressor>;
  /** Binary φ: per layer and channel, the threshold μ + σ of the Frobenius norm over the training rows. */
  binaryThresholds?: Record<string, number[]>;
}

export interface FittedScmJSON {
  phi: PhiKind;
  regressor: RegressorName;
  layers: ScmLayer[];
  equations: Record<string, FittedRegressorJSON>;
  binaryThresholds?: Record<string, number[]>;
}

export function scmToJSON(scm: FittedScm): FittedScmJSON {
  return {
    phi: scm.phi,
    regressor: scm.regressor,
    layers: scm.layers,
    equations: Object.fromEntries(Object.entries(scm.equations).map(([k, r]) => [k, r.toJSON()])),
    binaryThresholds: scm.binaryThresholds,
  };
}

export function scmFromJSON(json: FittedScmJSON): FittedScm {
  return {
    ...json,
    equations: Object.fromEntries(Object.entries(json.equations).map(([k, r]) => [k, restoreRegressor(r)])),
  };
}
