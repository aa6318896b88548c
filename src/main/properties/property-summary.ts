/**
 * The global view of one property (METHODS §5): over the images whose tracked class is c, the
 * median EPGM, the share significant at α (p < α), and the distribution (quantiles, histogram).
 */
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
   * [ours] Share of images both significant and large: EPGM·T ≥ LARGE_EPGM_PER_UNIT, i.e. y moves
   * on average by at least 0.1 per unit of strength t. The shuffle test alone flags any smooth,
   * non-constant curve (a permuted curve is always rougher), however small; this adds the size.
   */
  shareLarge: number;
  /** Share of images whose prediction flips at least once along the sequence. */
  shareFlipped: number;
  /** EPGM quantiles at 5, 25, 50, 75, 95 %. */
  epgmQuantiles: number[];
  /** EPGM histogram: `bins` equal bins over [0, max EPGM]; counts of all and of significant images. */
  histogram: { edges: number[]; counts: number[]; significant: number[] };
}

export const LARGE_EPGM_PER_UNIT = 0.1;

export function isLarge(image: { epgm: number; frames: number }): boolean {
  return image.epgm * (image.frames - 1) >= LARGE_EPGM_PER_UNIT;
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
    shareFlipped: share((i) => i.flips > 0),
    epgmQuantiles: SUMMARY_QUANTILES.map((q) => quantileSorted(sorted, q)),
    histogram: { edges, counts, significant },
  };
}
