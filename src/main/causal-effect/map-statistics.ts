/**
 * Statistics of a CE map used to tell clean from adversarial images (METHODS §4) **[ours: on |CE|]**:
 * mass = Σ_R |CE(R)|, max = max_R |CE(R)|, entropy = −Σ_R q_R ln q_R with q_R = |CE(R)| / mass
 * (nats; 0 when the map is all zero). Absolute values because masking can raise p_c as well as lower it.
 */
export type MapStatistics = {
  mass: number;
  max: number;
  entropy: number;
};

export const STATISTICS: (keyof MapStatistics)[] = ['mass', 'max', 'entropy'];

export function mapStatistics(map: ArrayLike<number>): MapStatistics {
  let mass = 0;
  let max = 0;
  for (let i = 0; i < map.length; i++) {
    const a = Math.abs(map[i]);
    mass += a;
    max = Math.max(max, a);
  }
  let entropy = 0;
  if (mass > 0) {
    for (let i = 0; i < map.length; i++) {
      const q = Math.abs(map[i]) / mass;
      if (q > 0) entropy -= q * Math.log(q);
    }
  }
  return { mass, max, entropy };
}
