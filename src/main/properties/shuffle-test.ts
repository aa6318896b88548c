/**
 * Significance of a property curve by shuffling (METHODS §5): the statistic of y is compared with
 * its values on `count` seeded permutations of y. The permutations are Fisher–Yates shuffles of
 * 0…n−1 driven by one mulberry32(seed) stream, permutation after permutation, so any seed gives the
 * same permutations here, in the app and in the numpy reference (test/fixtures/properties/).
 */
import { mulberry32, shuffleInPlace } from '../data/seeded-random.js';
import { identityOf, permutedEpgm } from './epgm.js';

export const DEFAULT_PERMUTATIONS = 1000;

const cache = new Map<string, Int32Array[]>();

/** `count` permutations of 0…n−1 from mulberry32(seed); cached (they are shared by every image). */
export function seededPermutations(n: number, count: number, seed: number): Int32Array[] {
  const key = `${n}/${count}/${seed}`;
  let perms = cache.get(key);
  if (!perms) {
    const rng = mulberry32(seed);
    perms = Array.from({ length: count }, () => shuffleInPlace(Int32Array.from(identityOf(n)), rng));
    if (cache.size > 16) cache.clear();
    cache.set(key, perms);
  }
  return perms;
}

/**
 * [ours] Statistics within 100 ulps of the observed one count as ties (as scipy.stats.permutation_test
 * does): a permutation that gives the same value in exact arithmetic (the identity, a reversal)
 * may differ in the last bits because its sum runs in another order.
 */
export const TIE_TOLERANCE = 100 * Number.EPSILON;

/**
 * Two-sided shuffle p-value about the permutation mean m: #(|s_k − m| ≥ |s_obs − m|) / count.
 * A constant y gives s_k = s_obs for all k, hence p = 1: never significant.
 */
export function twoSidedP(observed: number, nullStats: Float64Array): number {
  let mean = 0;
  for (let k = 0; k < nullStats.length; k++) mean += nullStats[k];
  mean /= nullStats.length;
  const obs = Math.abs(observed - mean) - TIE_TOLERANCE * (Math.abs(observed) + Math.abs(mean));
  let extreme = 0;
  for (let k = 0; k < nullStats.length; k++) if (Math.abs(nullStats[k] - mean) >= obs) extreme++;
  return extreme / nullStats.length;
}

export interface EpgmTest {
  epgm: number;
  p: number;
  /** EPGM of each permuted curve. */
  nullStats: Float64Array;
}

export function epgmShuffleTest(y: ArrayLike<number>, perms: Int32Array[]): EpgmTest {
  const observed = permutedEpgm(y, identityOf(y.length));
  const nullStats = Float64Array.from(perms, (perm) => permutedEpgm(y, perm));
  return { epgm: observed, p: twoSidedP(observed, nullStats), nullStats };
}

/**
 * Pearson ρ of y with t (t = the index; any affine t gives the same ρ) and its shuffle p-value
 * #(|ρ_k| ≥ |ρ_obs|)/count (ties within TIE_TOLERANCE). A constant y has no correlation: ρ = 0, p = 1.
 */
export function pearsonShuffleTest(y: ArrayLike<number>, perms: Int32Array[]): { rho: number; p: number } {
  const n = y.length;
  const tMean = (n - 1) / 2;
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i];
  yMean /= n;
  let syy = 0;
  let stt = 0;
  for (let i = 0; i < n; i++) {
    syy += (y[i] - yMean) ** 2;
    stt += (i - tMean) ** 2;
  }
  if (syy === 0) return { rho: 0, p: 1 };
  const scale = Math.sqrt(stt * syy);
  const rhoOf = (perm: ArrayLike<number>) => {
    let sty = 0;
    for (let i = 0; i < n; i++) sty += (i - tMean) * (y[perm[i]] - yMean);
    return sty / scale;
  };
  const rho = rhoOf(identityOf(n));
  const bar = Math.abs(rho) * (1 - TIE_TOLERANCE);
  let extreme = 0;
  for (const perm of perms) if (Math.abs(rhoOf(perm)) >= bar) extreme++;
  return { rho, p: extreme / perms.length };
}

/** numpy.quantile(values, q) (linear interpolation) of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Per position t, the [lower, upper] quantiles of the shuffled curves' values: the null band.
 * Each column only holds values of y, so it is counted by rank instead of sorted.
 */
export function shuffleBand(y: ArrayLike<number>, perms: Int32Array[], lower = 0.05, upper = 0.95): { lower: number[]; upper: number[] } {
  const n = y.length;
  const order = Int32Array.from(identityOf(n)).sort((a, b) => y[a] - y[b]);
  const sortedY = Float64Array.from(order, (i) => y[i]);
  const rankOf = new Int32Array(n);
  order.forEach((i, r) => (rankOf[i] = r));
  const counts = new Int32Array(n);
  // the value at position `pos` of the sorted column, from the counts per rank
  const at = (pos: number) => {
    let seen = 0;
    for (let r = 0; r < n; r++) if ((seen += counts[r]) > pos) return sortedY[r];
    return sortedY[n - 1];
  };
  const quantile = (q: number) => {
    const pos = q * (perms.length - 1);
    const lo = Math.floor(pos);
    const a = at(lo);
    return a + (at(Math.min(lo + 1, perms.length - 1)) - a) * (pos - lo);
  };
  const band = { lower: new Array<number>(n), upper: new Array<number>(n) };
  for (let t = 0; t < n; t++) {
    counts.fill(0);
    for (let k = 0; k < perms.length; k++) counts[rankOf[perms[k][t]]]++;
    band.lower[t] = quantile(lower);
    band.upper[t] = quantile(upper);
  }
  return band;
}
