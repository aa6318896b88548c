/**
 * Calibrating the "large effect" cut-off of a property audit **[ours, METHODS §5, issue 16]**.
 *
 * The shuffle test calls any smooth, non-constant curve significant, so a verdict needs a size bar:
 * a curve is *flagged* when it is significant (p < α) and its effect per unit of strength,
 * EPGM·T (the mean |Δy| per unit t), reaches a cut-off κ. κ is chosen on **control** curves —
 * properties that should not matter (a patch of a colour absent from training, a patch in a corner
 * the planted bias never used, the bias property on the model trained without the bias) — as the
 * smallest value that flags at most `maxFpr` of the images of *every* control, then rounded up to
 * two significant digits. Its false-positive rate and the planted bias's detection rate are then
 * measured on images disjoint from those κ was chosen on, with Wilson 95% intervals.
 */
import { wilsonInterval } from '../evaluation/wilson-interval.js';

export interface CurveOutcome {
  epgm: number;
  /** Frames in the curve (T + 1). */
  frames: number;
  p: number;
}

export interface Rate {
  count: number;
  n: number;
  rate: number;
  lo: number;
  hi: number;
}

/** EPGM·T: mean |Δy| per unit of strength t ∈ [0, 1]. */
export function effectPerUnit(c: CurveOutcome): number {
  return c.epgm * (c.frames - 1);
}

export function isFlagged(c: CurveOutcome, cutoff: number, alpha: number): boolean {
  return c.p < alpha && effectPerUnit(c) >= cutoff;
}

/** Wilson score 95% interval of count/n (evaluation/wilson-interval.ts), with the count it is of. */
export function wilson(count: number, n: number): Rate {
  const [lo, hi] = wilsonInterval(count, n);
  return { count, n, rate: n > 0 ? count / n : Number.NaN, lo, hi };
}

export function flaggedRate(curves: CurveOutcome[], cutoff: number, alpha: number): Rate {
  return wilson(curves.filter((c) => isFlagged(c, cutoff, alpha)).length, curves.length);
}

/** Smallest 2-significant-digit number strictly above x (x > 0). */
export function roundUpAbove(x: number): number {
  if (!(x > 0)) return 0;
  const unit = 10 ** (Math.floor(Math.log10(x)) - 1);
  const up = Math.ceil(x / unit - 1e-9) * unit;
  return Number((up > x ? up : up + unit).toPrecision(2));
}

/**
 * The smallest cut-off (rounded up to 2 significant digits) that flags at most ⌊maxFpr·n⌋ of each
 * control's n curves. 0 when no control curve is significant.
 */
export function calibrateCutoff(controls: CurveOutcome[][], alpha: number, maxFpr = 0.05): number {
  let cutoff = 0;
  for (const curves of controls) {
    const allowed = Math.floor(maxFpr * curves.length);
    const sizes = curves
      .filter((c) => c.p < alpha)
      .map(effectPerUnit)
      .sort((a, b) => b - a);
    // flagging needs size ≥ κ: κ above the (allowed+1)-th largest keeps at most `allowed` flagged
    if (sizes.length > allowed) cutoff = Math.max(cutoff, roundUpAbove(sizes[allowed]));
  }
  return cutoff;
}
