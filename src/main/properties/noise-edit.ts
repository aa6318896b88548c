/**
 * Additive Gaussian noise: x_t = clip(x + 255·sigma·t·z), z one standard-normal field per image
 * (every value its own draw), fixed by the image's seed so that all frames of a sequence share it
 * and the curve over t is smooth; |x_t − x| grows monotonically with t.
 */
import { mulberry32 } from '../data/seeded-random.js';
import { mapValues } from './hwc-image.js';
import type { EditKind } from './property-edit.js';

/** `count` standard-normal draws by Box–Muller from mulberry32(seed): pairs (r·cos, r·sin). */
export function normalField(count: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng())); // 1 − u ∈ (0, 1]: never log(0)
    const angle = 2 * Math.PI * rng();
    out[i] = r * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = r * Math.sin(angle);
  }
  return out;
}

export const noise: EditKind = {
  name: 'noise',
  description: 'adds seeded Gaussian noise of standard deviation 255·sigma·t (one noise field per image)',
  params: [{ name: 'sigma', type: 'number', default: 0.2, min: 0, max: 1, description: 'noise σ at t = 1, as a fraction of 255' }],
  prepare: (image, params, seed) => {
    const z = normalField(image.data.length, seed);
    const scale = 255 * (params.sigma as number);
    return (t) => mapValues(image, (v, i) => v + scale * t * z[i]);
  },
};
