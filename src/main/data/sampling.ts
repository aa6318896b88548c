/**
 * Which images of a dataset to use: all, the first N, or a stratified, seeded sample; seeded
 * stratified train/evaluation splits; fixed-size batches.
 */
import { mulberry32, shuffleInPlace } from './seeded-random.js';

export interface SelectOptions {
  /** At most this many images; absent → all. */
  limit?: number;
  /** Keep the class proportions of the whole dataset (otherwise the first `limit` are taken). */
  stratified?: boolean;
  /** Seed of the stratified choice (default 0). */
  seed?: number;
}

/**
 * Indices to use, ascending. No limit (or a limit ≥ the count) → every index; a limit without
 * `stratified` → the first `limit`; stratified → per class `limit·n_c/n` rounded by largest remainder,
 * the members of each class chosen by a seeded shuffle.
 */
export function selectIndices(labels: Int32Array, opts: SelectOptions = {}): number[] {
  const n = labels.length;
  const { limit, stratified = false, seed = 0 } = opts;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new Error(`limit must be a non-negative integer, got ${limit}`);
  }
  if (limit === undefined || limit >= n) return range(n);
  if (!stratified) return range(limit);
  const groups = groupByLabel(range(n), labels);
  const quotas = allocateProportionally(
    groups.map((g) => g.length),
    limit,
  );
  const rng = mulberry32(seed);
  const chosen: number[] = [];
  groups.forEach((group, k) => {
    shuffleInPlace(group, rng);
    for (let i = 0; i < quotas[k]; i++) chosen.push(group[i]);
  });
  return chosen.sort((a, b) => a - b);
}

/**
 * Splits `indices` into train (≈ `fraction` of them) and evaluation, stratified by label and seeded;
 * both halves ascending, disjoint, together exactly `indices`.
 */
export function splitIndices(
  indices: number[],
  labels: Int32Array,
  fraction: number,
  seed = 0,
): { train: number[]; evaluation: number[] } {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`split fraction must be between 0 and 1, got ${fraction}`);
  const groups = groupByLabel([...indices], labels);
  const quotas = allocateProportionally(
    groups.map((g) => g.length),
    Math.round(fraction * indices.length),
  );
  const rng = mulberry32(seed);
  const train: number[] = [];
  const evaluation: number[] = [];
  groups.forEach((group, k) => {
    shuffleInPlace(group, rng);
    group.forEach((index, i) => (i < quotas[k] ? train : evaluation).push(index));
  });
  const ascending = (a: number, b: number) => a - b;
  return { train: train.sort(ascending), evaluation: evaluation.sort(ascending) };
}

/** Consecutive slices of `indices` of `batchSize` (the last one may be shorter). */
export function* batchesOf(indices: number[], batchSize: number): Generator<number[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  for (let start = 0; start < indices.length; start += batchSize) {
    yield indices.slice(start, start + batchSize);
  }
}

/**
 * Largest-remainder (Hamilton) apportionment of `total` over groups of the given sizes; ties go to
 * the earlier group so the result does not depend on sort stability. Requires total ≤ Σ sizes.
 */
export function allocateProportionally(sizes: number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  if (n === 0) return sizes.map(() => 0);
  // Integer arithmetic: floor and remainder of total·size/n are exact (well below 2^53).
  const quotas = sizes.map((s) => Math.floor((total * s) / n));
  const remainders = sizes.map((s, k) => ({ k, r: (total * s) % n }));
  let left = total - quotas.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => b.r - a.r || a.k - b.k);
  for (const { k } of remainders) {
    if (left === 0) break;
    if (quotas[k] < sizes[k]) {
      quotas[k]++;
      left--;
    }
  }
  return quotas;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The indices grouped by their label, groups in ascending label order, members in input order. */
function groupByLabel(indices: number[], labels: Int32Array): number[][] {
  const byLabel = new Map<number, number[]>();
  for (const index of indices) {
    const label = labels[index];
    if (label === undefined) throw new Error(`index ${index} is outside the ${labels.length} labels`);
    let group = byLabel.get(label);
    if (!group) byLabel.set(label, (group = []));
    group.push(index);
  }
  return [...byLabel.keys()].sort((a, b) => a - b).map((label) => byLabel.get(label)!);
}
