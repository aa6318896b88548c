/** The handler group of the pixel-effects and explain features (their worker jobs run in AnalysisService). */
import type { FeatureHandlers } from '../../../shared/contract.js';
import type { explainMethods } from '../../../shared/features/explain.js';
import type { pixelEffectMethods } from '../../../shared/features/pixel-effects.js';
import type { AnalysisService } from './analysis-service.js';

export function analysisHandlers(analysis: AnalysisService): FeatureHandlers<typeof pixelEffectMethods & typeof explainMethods> {
  return {
    'pixelEffects.images': (a) => analysis.thumbnails(a.offset, a.count),
    'pixelEffects.image': (a) => analysis.image(a),
    'pixelEffects.adversarial': (a) => analysis.adversarial(a),
    'explain.run': (a) => analysis.explain(a),
    'explain.cached': async (a) => analysis.cached(a),
    'explain.compare': async (a) => analysis.compare(a),
    'explain.repair': (a) => analysis.repair(a),
  };
}
