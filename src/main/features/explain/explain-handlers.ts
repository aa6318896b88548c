/** The explain feature's handler group. */
import type { FeatureHandlers } from '../../../shared/contract.js';
import type { explainMethods } from '../../../shared/features/explain.js';
import type { ExplainPanel } from './explain-app.js';

export function explainHandlers(panel: ExplainPanel): FeatureHandlers<typeof explainMethods> {
  return {
    'explain.run': (a) => panel.explain(a),
    'explain.cached': async (a) => panel.cached(a),
    'explain.compare': async (a) => panel.compare(a),
    'explain.repair': (a) => panel.repair(a),
  };
}
