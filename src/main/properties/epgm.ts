/**
 * The expected property gradient magnitude (Penzel & Denzler; METHODS §5): the mean absolute
 * numerical derivative of y_t over the sequence, with numpy.gradient's semantics (step = one index;
 * central differences inside, one-sided first differences at both ends).
 */

/** numpy.gradient(y) for a 1-D y of length ≥ 2 (edge_order = 1, unit spacing). */
export function gradient(y: ArrayLike<number>): Float64Array {
  const n = y.length;
  if (n < 2) throw new Error(`a property curve needs at least 2 values for a gradient, got ${n}`);
  const g = new Float64Array(n);
  g[0] = y[1] - y[0];
  g[n - 1] = y[n - 1] - y[n - 2];
  for (let i = 1; i < n - 1; i++) g[i] = (y[i + 1] - y[i - 1]) / 2;
  return g;
}

/** mean_t |gradient(y)_t|. */
export function epgm(y: ArrayLike<number>): number {
  gradient(y); // validates the length
  return permutedEpgm(y, identityOf(y.length));
}

/**
 * The same, reading y through a permutation (y[perm[i]]) without copying. The observed statistic
 * goes through this very code too, so equal curves give bit-equal statistics (ties stay ties).
 */
export function permutedEpgm(y: ArrayLike<number>, perm: ArrayLike<number>): number {
  const n = y.length;
  let sum = Math.abs(y[perm[1]] - y[perm[0]]);
  for (let i = 1; i < n - 1; i++) sum += Math.abs((y[perm[i + 1]] - y[perm[i - 1]]) / 2);
  sum += Math.abs(y[perm[n - 1]] - y[perm[n - 2]]);
  return sum / n;
}

const identities = new Map<number, Int32Array>();
export function identityOf(n: number): Int32Array {
  let id = identities.get(n);
  if (!id) identities.set(n, (id = Int32Array.from({ length: n }, (_, i) => i)));
  return id;
}
