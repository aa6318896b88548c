/**
 * Correlation between two scorings of the same items (METHODS §2 rank fidelity): Pearson, Spearman ρ
 * (Pearson of average ranks, so ties get their mean rank, as scipy.stats.spearmanr) and Kendall τ-b
 * (ties in either scoring excluded from the denominator, as scipy.stats.kendalltau's default).
 * All return NaN when a scoring is constant (no ordering to compare).
 */

/** 1-based ranks, tied values sharing the mean of their positions. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + end + 1) / 2; // mean of positions start+1 … end
    for (let i = start; i < end; i++) ranks[order[i]] = rank;
    start = end;
  }
  return ranks;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = checkLengths(x, y);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

/** Kendall τ-b = (C − D) / √((n0 − n1)(n0 − n2)); O(n²), fine for the channels of one layer. */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = checkLengths(x, y);
  let concordantMinusDiscordant = 0;
  let untiedX = 0; // pairs not tied in x
  let untiedY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx !== 0) untiedX++;
      if (dy !== 0) untiedY++;
      concordantMinusDiscordant += dx * dy;
    }
  }
  if (untiedX === 0 || untiedY === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, concordantMinusDiscordant / Math.sqrt(untiedX * untiedY)));
}

function checkLengths(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`correlation of ${x.length} values with ${y.length} values`);
  return x.length;
}
