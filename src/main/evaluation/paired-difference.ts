/**
 * The change of an accuracy measured twice on the same images (before and after a repair): the
 * difference after − before with Newcombe's paired 95% interval (Newcombe 1998, "Improved confidence
 * intervals for the difference between binomial proportions based on paired data", Stat. Med. 17,
 * method 10: the two marginal Wilson intervals combined with the correlation φ of the pairs), and
 * the exact McNemar p-value (two-sided binomial test of the discordant pairs at ½). Unpaired
 * intervals ignore that most images are scored the same both times, so they are too wide for this
 * question. Checked against scipy (test/fixtures/statistics/make_paired_difference_fixture.py).
 */
import { wilsonInterval } from './wilson-interval.js';

/** The 2×2 table of per-image correctness before and after. */
export interface PairedOutcomes {
  both: number;
  /** Correct before, wrong after. */
  beforeOnly: number;
  /** Wrong before, correct after. */
  afterOnly: number;
  neither: number;
}

export interface PairedDifference {
  /** Accuracy after − before, on the same images. */
  difference: number;
  interval: [number, number];
  /** Exact McNemar p-value from the discordant counts. */
  p: number;
}

export function pairedOutcomes(before: ArrayLike<number>, after: ArrayLike<number>): PairedOutcomes {
  if (before.length !== after.length) throw new RangeError(`paired outcomes need as many images after (${after.length}) as before (${before.length})`);
  const o: PairedOutcomes = { both: 0, beforeOnly: 0, afterOnly: 0, neither: 0 };
  for (let i = 0; i < before.length; i++) {
    if (before[i] && after[i]) o.both++;
    else if (before[i]) o.beforeOnly++;
    else if (after[i]) o.afterOnly++;
    else o.neither++;
  }
  return o;
}

/** Newcombe's method 10 for after − before; NaN on no images. */
export function newcombePairedInterval(o: PairedOutcomes, z = 1.959963984540054): [number, number] {
  const n = o.both + o.beforeOnly + o.afterOnly + o.neither;
  if (!(n > 0)) return [Number.NaN, Number.NaN];
  // Rows: after (correct, wrong); columns: before. a = both, b = after only, c = before only, d = neither.
  const [a, b, c, d] = [o.both, o.afterOnly, o.beforeOnly, o.neither];
  const p1 = (a + b) / n;
  const p2 = (a + c) / n;
  const [l1, u1] = wilsonInterval(a + b, n, z);
  const [l2, u2] = wilsonInterval(a + c, n, z);
  // φ with Newcombe's continuity correction of its numerator: ad − bc shrunk by n/2 towards 0 when positive.
  const cross = a * d - b * c;
  const numerator = cross > n / 2 ? cross - n / 2 : cross > 0 ? 0 : cross;
  const margins = (a + b) * (c + d) * (a + c) * (b + d);
  const phi = margins > 0 ? numerator / Math.sqrt(margins) : 0;
  const theta = p1 - p2;
  const below = Math.sqrt(Math.max(0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2));
  const above = Math.sqrt(Math.max(0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2));
  return [theta - below, theta + above];
}

/** Exact two-sided McNemar p: 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), at most 1. */
export function mcnemarExactP(beforeOnly: number, afterOnly: number): number {
  const m = beforeOnly + afterOnly;
  if (m === 0) return 1;
  const k = Math.min(beforeOnly, afterOnly);
  // Terms in log space: ½^m underflows past about a thousand discordant images.
  let logChoose = 0;
  let tail = 0;
  for (let j = 0; j <= k; j++) {
    tail += Math.exp(logChoose - m * Math.LN2);
    logChoose += Math.log(m - j) - Math.log(j + 1);
  }
  return Math.min(1, 2 * tail);
}

export function pairedDifference(o: PairedOutcomes): PairedDifference {
  const n = o.both + o.beforeOnly + o.afterOnly + o.neither;
  return { difference: n > 0 ? (o.afterOnly - o.beforeOnly) / n : Number.NaN, interval: newcombePairedInterval(o), p: mcnemarExactP(o.beforeOnly, o.afterOnly) };
}
