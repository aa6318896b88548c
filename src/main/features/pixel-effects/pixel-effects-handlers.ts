/** The pixel-effects feature's handler group. */
import type { FeatureHandlers } from '../../../shared/contract.js';
import type { pixelEffectMethods } from '../../../shared/features/pixel-effects.js';
import type { PixelEffectsPanel } from './pixel-effects-app.js';

export function pixelEffectHandlers(panel: PixelEffectsPanel): FeatureHandlers<typeof pixelEffectMethods> {
  return {
    'pixelEffects.images': (a) => panel.thumbnails(a.offset, a.count),
    'pixelEffects.image': (a) => panel.image(a),
    'pixelEffects.adversarial': (a) => panel.adversarial(a),
  };
}
