/** The random criterion: seeded uniform scores, a fresh random order per (seed, layer). */
import { mulberry32 } from '../../data/seeded-random.js';

export function randomScores(seed: number, layerIndex: number, channels: number): number[] {
  const rng = mulberry32((seed * 2_654_435_761 + layerIndex * 40_503 + 17) >>> 0);
  return Array.from({ length: channels }, () => rng());
}
