/**
 * The global view of one property (METHODS §5): over the images whose tracked class is c, the
 * median EPGM, the share significant at α (p < α), and the distribution (quantiles, histogram).
 */
import { effectPerUnit } from './cutoff-calibration.js';
import { quantileSorted } from './shuffle-test.js';

export interface ImageOutcome {
  epgm: number;
  /** Frames in the curve (T + 1). */
  frames: number;
  p: number;
  rhoP: number;
  flips: number;
}

export interface PropertySummary {
  n: number;
  alpha: number;
  medianEpgm: number;
  /** Share of images with EPGM shuffle p < α. */
  shareSignificant: number;
  /** Share of images with Pearson shuffle p < α. */
  shareRhoSignificant: number;
  /**
   * [ours] Share of images both significant and large: EPGM·T ≥ `largeCutoff`, i.e. y moves on
   * average by at least that much per unit of strength t. The shuffle test alone flags any smooth,
   * non-constant curve (a permuted curve is always rougher), however small; this adds the size.
   */
  shareLarge: number;
  /** The EPGM·T cut-off used for `shareLarge` (LARGE_EPGM_PER_UNIT, calibrated on controls). */
  largeCutoff: number;
  /** Share of images whose prediction flips at least once along the sequence. */
  shareFlipped: number;
  /** EPGM quantiles at 5, 25, 50, 75, 95 %. */
  epgmQuantiles: number[];
  /** EPGM histogram: `bins` equal bins over [0, max EPGM]; counts of all and of significant images. */
  histogram: { edges: number[]; counts: number[]; significant: number[] };
}

/**
 * The "large" cut-off on EPGM·T, calibrated on control properties (bench/properties-calibration.ts,
 * docs/RESULTS.md section properties): the smallest two-digit value that flags ≤ 5% of the
 * calibration images of every control — a magenta patch in the top-left corner and a green patch on
 * the biased demo model, and those two plus the bias patch itself on the clean one. On held-out images
 * it flags 1.2% [0.7, 2.0] of 1,250 control curves and 68.8% [62.8, 74.2] of the planted-bias
 * curves. (Before calibration: 0.1, which flagged 3.5% of controls, 14% of one of them.)
 */
export const LARGE_EPGM_PER_UNIT = 0.19;

export function isLarge(image: { epgm: number; frames: number }): boolean {
  return effectPerUnit({ ...image, p: 0 }) >= LARGE_EPGM_PER_UNIT;
}

export const SUMMARY_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

export function summarize(images: ImageOutcome[], alpha = 0.05, bins = 20): PropertySummary {
  const n = images.length;
  if (n === 0) throw new Error('a property summary needs at least one image');
  const sorted = Float64Array.from(images, (i) => i.epgm).sort();
  const top = sorted[n - 1] > 0 ? sorted[n - 1] : 1;
  const edges = Array.from({ length: bins + 1 }, (_, b) => (top * b) / bins);
  const counts = new Array<number>(bins).fill(0);
  const significant = new Array<number>(bins).fill(0);
  for (const image of images) {
    const bin = Math.min(bins - 1, Math.floor((image.epgm / top) * bins));
    counts[bin]++;
    if (image.p < alpha) significant[bin]++;
  }
  const share = (f: (i: ImageOutcome) => boolean) => images.filter(f).length / n;
  return {
    n,
    alpha,
    medianEpgm: quantileSorted(sorted, 0.5),
    shareSignificant: share((i) => i.p < alpha),
    shareRhoSignificant: share((i) => i.rhoP < alpha),
    shareLarge: share((i) => i.p < alpha && isLarge(i)),
    largeCutoff: LARGE_EPGM_PER_UNIT,
    shareFlipped: share((i) => i.flips > 0),
    epgmQuantiles: SUMMARY_QUANTILES.map((q) => quantileSorted(sorted, q)),
    histogram: { edges, counts, significant },
  };
}
