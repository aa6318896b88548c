/**
 * Statistics of a detector beyond its AUROC **[ours, issue 16]**:
 * - DeLong et al. (1988) variance of the AUROC and of the paired difference of two AUROCs computed
 *   on the same positives and negatives (structural components V10, V01; sample covariances with
 *   ddof = 1), with normal 95% intervals clipped to [0, 1] (difference: [−1, 1]).
 * - A two-sided score: the distance of a value from the middle of a calibration sample,
 *   |F(v) − ½| with F the mid-rank empirical CDF of the calibration values. Large when the value is
 *   unusually high *or* unusually low for a clean image, so one detector serves a statistic that rises
 *   under weak attacks and falls under strong ones, with no direction chosen on the test data.
 */

const Z95 = 1.959963984540054;

export interface Interval {
  estimate: number | null;
  lo: number | null;
  hi: number | null;
}

function psi(x: number, y: number): number {
  return x > y ? 1 : x === y ? 0.5 : 0;
}

/** Structural components of one score: V10 per positive, V01 per negative. */
function components(positives: ArrayLike<number>, negatives: ArrayLike<number>): { v10: Float64Array; v01: Float64Array } {
  const m = positives.length;
  const n = negatives.length;
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const s = psi(positives[i], negatives[j]);
      v10[i] += s / n;
      v01[j] += s / m;
    }
  return { v10, v01 };
}

function covariance(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (n - 1);
}

const meanOf = (xs: Float64Array) => xs.reduce((s, v) => s + v, 0) / xs.length;

function interval(estimate: number, variance: number | null, lo: number, hi: number): Interval {
  if (variance === null || !Number.isFinite(variance)) return { estimate, lo: null, hi: null };
  const half = Z95 * Math.sqrt(Math.max(variance, 0));
  return { estimate, lo: Math.max(lo, estimate - half), hi: Math.min(hi, estimate + half) };
}

/** AUROC with its DeLong 95% interval (no interval with fewer than 2 positives or negatives). */
export function aurocInterval(positives: ArrayLike<number>, negatives: ArrayLike<number>): Interval {
  const m = positives.length;
  const n = negatives.length;
  if (m === 0 || n === 0) return { estimate: null, lo: null, hi: null };
  const { v10, v01 } = components(positives, negatives);
  const variance = m > 1 && n > 1 ? covariance(v10, v10) / m + covariance(v01, v01) / n : null;
  return interval(meanOf(v10), variance, 0, 1);
}

/** AUROC(a) − AUROC(b) on the same images (positive i and negative j are the same image in both). */
export function pairedAurocDifference(
  positivesA: ArrayLike<number>,
  negativesA: ArrayLike<number>,
  positivesB: ArrayLike<number>,
  negativesB: ArrayLike<number>,
): Interval {
  const m = positivesA.length;
  const n = negativesA.length;
  if (positivesB.length !== m || negativesB.length !== n) throw new RangeError('paired AUROCs need the same positives and negatives');
  if (m === 0 || n === 0) return { estimate: null, lo: null, hi: null };
  const a = components(positivesA, negativesA);
  const b = components(positivesB, negativesB);
  const estimate = meanOf(a.v10) - meanOf(b.v10);
  const variance =
    m > 1 && n > 1
      ? (covariance(a.v10, a.v10) + covariance(b.v10, b.v10) - 2 * covariance(a.v10, b.v10)) / m +
        (covariance(a.v01, a.v01) + covariance(b.v01, b.v01) - 2 * covariance(a.v01, b.v01)) / n
      : null;
  return interval(estimate, variance, -1, 1);
}

/** |F(v) − ½| for each value, F the mid-rank empirical CDF of `calibration` (non-empty). */
export function twoSidedScores(calibration: ArrayLike<number>, values: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(calibration).sort();
  const n = sorted.length;
  if (n === 0) throw new RangeError('the two-sided detector needs at least one calibration image');
  const below = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const atMost = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return Array.from(values, (v) => {
    const less = below(v);
    const equal = atMost(v) - less;
    return Math.abs((less + equal / 2) / n - 0.5);
  });
}

/**
 * Two-fold cross-fitting of the two-sided score: the images of fold f (clean and adversarial) are
 * scored against the clean values of the other fold, so no image calibrates its own score.
 * `negativeFolds[j]`, `positiveFolds[i]` ∈ {0, 1}.
 */
export function crossFittedTwoSided(
  positives: ArrayLike<number>,
  negatives: ArrayLike<number>,
  positiveFolds: ArrayLike<number>,
  negativeFolds: ArrayLike<number>,
): { positives: number[]; negatives: number[] } {
  const calibration = [0, 1].map((f) => Array.from(negatives).filter((_, j) => negativeFolds[j] !== f));
  const score = (v: number, fold: number) => twoSidedScores(calibration[fold], [v])[0];
  return {
    positives: Array.from(positives, (v, i) => score(v, positiveFolds[i])),
    negatives: Array.from(negatives, (v, j) => score(v, negativeFolds[j])),
  };
}
