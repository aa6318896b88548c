/**
 * Split-half reliability of the ground truth (METHODS §2) [ours]: how well the truth computed on one
 * half of the held-out images predicts the truth on the other half. The images are dealt into G
 * class-stratified, seeded groups of (almost) equal size; every way of putting G/2 groups in one half
 * and the rest in the other gives one split. Per split: Spearman ρ between the per-channel drops on
 * the two halves. The layer's reliability is the Spearman–Brown correction 2ρ̄/(1+ρ̄) of the mean ρ̄
 * over the splits — the expected agreement of two truths on the full image count, the ceiling any
 * criterion's rank fidelity can reach. One split is the plain split-half estimate; averaging over all
 * of them removes the luck of one split at no extra cost (each group's sums are kept anyway).
 */
import { mulberry32 } from '../data/seeded-random.js';
import type { OutcomeSums } from './masked-outcomes.js';
import { fidelityThresholds } from '../../shared/fidelity.js';
import { spearman } from './rank-correlation.js';

/** Below this the truth is too noisy to rank criteria with (issue 12); the CLI, app and report warn. */
export const reliabilityThreshold = fidelityThresholds.truthReliability;

/**
 * Deals `indices` into `groups` groups: within each class (classes in ascending order) the images in
 * a seeded random order, dealt round-robin, the dealer carrying on from class to class so group sizes
 * differ by at most one. Returns the group of each dataset index.
 */
export function stratifiedGroups(indices: number[], labelOf: (index: number) => number, groups: number, seed: number): Map<number, number> {
  if (!Number.isInteger(groups) || groups < 2 || groups % 2 !== 0) throw new RangeError(`split-half groups must be an even number ≥ 2, not ${groups}`);
  const byClass = new Map<number, number[]>();
  for (const i of indices) {
    const members = byClass.get(labelOf(i));
    if (members) members.push(i);
    else byClass.set(labelOf(i), [i]);
  }
  const rng = mulberry32((seed * 2_246_822_519 + 3_266_489_917) >>> 0);
  const out = new Map<number, number>();
  let dealer = 0;
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(cls)!.sort((a, b) => a - b);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    for (const index of members) out.set(index, dealer++ % groups);
  }
  return out;
}

/** Every split of groups 0…G−1 into two halves of G/2, as the groups of the half that holds group 0. */
export function halfSplits(groups: number): number[][] {
  const out: number[][] = [];
  const pick = (next: number, chosen: number[]) => {
    if (chosen.length === groups / 2) return void out.push(chosen);
    for (let g = next; g < groups; g++) pick(g + 1, [...chosen, g]);
  };
  pick(1, [0]);
  return out;
}

export interface Reliability {
  /** Spearman–Brown corrected mean split-half ρ: the noise ceiling of rank fidelity. */
  reliability: number;
  /** Mean over the splits of the raw split-half ρ (each half is half the images). */
  halfSpearman: number;
  splits: number;
}

/** The drop of every channel on one set of groups: (base − with the channel zeroed) / images, from the value `of` a sum. */
function dropsOn(base: OutcomeSums[], perGroup: OutcomeSums[][], members: number[], of: (s: OutcomeSums) => number): Float64Array {
  const channels = perGroup[0].length;
  let n = 0;
  let baseValue = 0;
  for (const g of members) {
    n += base[g].n;
    baseValue += of(base[g]);
  }
  const out = new Float64Array(channels);
  for (let k = 0; k < channels; k++) {
    let value = 0;
    for (const g of members) value += of(perGroup[g][k]);
    out[k] = (baseValue - value) / n;
  }
  return out;
}

/**
 * Reliability of one layer's truth from per-group sums: `base[g]` of the unmodified network and
 * `perGroup[g][k]` with channel k zeroed. `of` picks the key (margin or correct count).
 */
export function splitHalfReliability(base: OutcomeSums[], perGroup: OutcomeSums[][], of: (s: OutcomeSums) => number): Reliability {
  const groups = perGroup.length;
  const splits = halfSplits(groups);
  let sum = 0;
  let counted = 0;
  for (const half of splits) {
    const other = Array.from({ length: groups }, (_, g) => g).filter((g) => !half.includes(g));
    const rho = spearman(dropsOn(base, perGroup, half, of), dropsOn(base, perGroup, other, of));
    if (Number.isFinite(rho)) {
      sum += rho;
      counted++;
    }
  }
  const halfSpearman = counted ? sum / counted : Number.NaN;
  return { reliability: spearmanBrown(halfSpearman), halfSpearman, splits: splits.length };
}

/** Reliability of a measure on twice the data from the correlation ρ of two halves: 2ρ/(1+ρ). */
export function spearmanBrown(rho: number): number {
  return Number.isFinite(rho) && rho > -1 ? (2 * rho) / (1 + rho) : Number.NaN;
}
