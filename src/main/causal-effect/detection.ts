/**
 * Adversarial detection by CE-map statistics against the simplest rival (METHODS §4, issue 16):
 * every CE statistic (mass, max, entropy of |CE| on the probability, log-probability and logit
 * scales) beside the max-softmax confidence and predictive-entropy baselines (Hendrycks & Gimpel
 * 2017), each scored two ways:
 * - one-sided: larger = adversarial, AUROC on every clean-correct (negative) and successful
 *   adversarial (positive) image; below 0.5 the statistic falls under attack;
 * - two-sided **[ours]**: distance from the clean images' distribution, calibrated by two-fold
 *   cross-fitting (an image's fold is scored against the other fold's clean images), so neither the
 *   direction nor the calibration is chosen on the images it scores.
 * The verdict compares CE mass (the paper's statistic) with max-softmax confidence, both two-sided,
 * by the paired DeLong interval of the AUROC difference; the best CE statistic against the best
 * baseline follows, flagged as chosen on the same data.
 */
import { mulberry32 } from '../data/seeded-random.js';
import { type Interval, aurocInterval, crossFittedTwoSided, pairedAurocDifference } from './detection-statistics.js';
import type { MapStatistics } from './map-statistics.js';

export interface DetectionInput {
  probabilities: number[];
  statistics: MapStatistics;
  statisticsLog: MapStatistics;
  statisticsLogit: MapStatistics;
}

export type DetectionFamily = 'causal-effect' | 'baseline';

export interface DetectionScore {
  name: string;
  label: string;
  family: DetectionFamily;
  of: (a: DetectionInput) => number;
}

function entropyOf(p: number[]): number {
  let h = 0;
  for (const q of p) if (q > 0) h -= q * Math.log(q);
  return h;
}

const ceScores = (['', 'log', 'logit'] as const).flatMap((scale) =>
  (['mass', 'max', 'entropy'] as const).map(
    (stat): DetectionScore => ({
      name: `${scale ? `${scale}-` : ''}ce-${stat}`,
      label: `CE ${stat}${scale === 'log' ? ' (log p)' : scale === 'logit' ? ' (logit)' : ''}`,
      family: 'causal-effect',
      of: (a) => (scale === '' ? a.statistics : scale === 'log' ? a.statisticsLog : a.statisticsLogit)[stat],
    }),
  ),
);

export const DETECTION_SCORES: DetectionScore[] = [
  ...ceScores,
  { name: 'low-confidence', label: '1 − max softmax', family: 'baseline', of: (a) => 1 - Math.max(...a.probabilities) },
  { name: 'predictive-entropy', label: 'predictive entropy', family: 'baseline', of: (a) => entropyOf(a.probabilities) },
];

/** The fixed, pre-specified comparison: the paper's statistic against the plainest rival. */
export const PRIMARY_CE = 'ce-mass';
export const PRIMARY_BASELINE = 'low-confidence';

export interface DetectionScoreResult {
  name: string;
  label: string;
  family: DetectionFamily;
  meanClean: number | null;
  meanAdversarial: number | null;
  oneSided: Interval;
  twoSided: Interval;
}

export type Verdict = 'better' | 'worse' | 'indistinguishable' | 'undetermined';

export interface DetectionComparison {
  ce: string;
  baseline: string;
  /** Two-sided AUROC(CE) − AUROC(baseline), paired DeLong 95% interval. */
  difference: Interval;
  verdict: Verdict;
  sentence: string;
}

export interface DetectionSummary {
  negatives: number;
  positives: number;
  scores: DetectionScoreResult[];
  primary: DetectionComparison;
  /**
   * The same pair one-sided, each score turned the way its AUROC is ≥ 0.5 (the direction chosen on
   * these images: a best case for both, which a deployed one-sided detector would have to guess).
   */
  oneSidedPrimary: DetectionComparison;
  /** Best CE statistic vs best baseline by two-sided AUROC (chosen on the same images: optimistic). */
  best: DetectionComparison;
}

export interface DetectionImage {
  clean: DetectionInput;
  adversarial: DetectionInput;
  cleanCorrect: boolean;
  success: boolean;
}

/** Seeded 0/1 folds of `count` items, as even as possible. */
export function twoFolds(count: number, seed: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  const rng = mulberry32(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const folds = new Array<number>(count);
  order.forEach((item, rank) => (folds[item] = rank % 2));
  return folds;
}

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const withInterval = (i: Interval) => `${fmt(i.estimate)} [${fmt(i.lo)}, ${fmt(i.hi)}]`;

export function verdictOf(d: Interval): Verdict {
  if (d.estimate === null || d.lo === null || d.hi === null) return 'undetermined';
  return d.lo > 0 ? 'better' : d.hi < 0 ? 'worse' : 'indistinguishable';
}

function compare(
  results: DetectionScoreResult[],
  pos: Map<string, number[]>,
  neg: Map<string, number[]>,
  ce: string,
  baseline: string,
  chosen: boolean,
  side: 'oneSided' | 'twoSided' = 'twoSided',
): DetectionComparison {
  const a = results.find((r) => r.name === ce)!;
  const b = results.find((r) => r.name === baseline)!;
  const both = pos.has(ce) && pos.has(baseline);
  const difference = both ? pairedAurocDifference(pos.get(ce)!, neg.get(ce)!, pos.get(baseline)!, neg.get(baseline)!) : { estimate: null, lo: null, hi: null };
  const verdict = verdictOf(difference);
  const auc = (r: DetectionScoreResult) => (both ? aurocInterval(pos.get(r.name)!, neg.get(r.name)!) : r[side]);
  const how = side === 'twoSided' ? 'Two-sided' : 'One-sided (each in its better direction, chosen on these images)';
  const head = `${how}, ${a.label} detects with AUROC ${withInterval(auc(a))} and ${b.label} with ${withInterval(auc(b))}${chosen ? ' (each the best of its kind on these images, so both optimistic)' : ''}: `;
  const tail = {
    better: `the CE statistic detects more than the confidence score (difference ${withInterval(difference)}).`,
    worse: `the confidence score detects more than the CE statistic (difference ${withInterval(difference)}).`,
    indistinguishable: `the CE statistic detects nothing the confidence score does not (difference ${withInterval(difference)} includes 0).`,
    undetermined: 'too few images for an interval.',
  }[verdict];
  return { ce, baseline, difference, verdict, sentence: head + tail };
}

/**
 * Detection statistics of an attack run. Negatives: the clean-correct images; positives: their
 * successful adversarial twins; an image's fold (two-sided calibration) is shared by both versions:
 * seeded, or given per clean-correct image (`folds`).
 */
export function detectionSummary(images: DetectionImage[], seed: number, folds?: number[]): DetectionSummary {
  const correct = images.filter((im) => im.cleanCorrect);
  folds ??= twoFolds(correct.length, seed);
  if (folds.length !== correct.length) throw new RangeError(`one fold per clean-correct image (${correct.length}), got ${folds.length}`);
  const negatives = correct.map((im) => im.clean);
  const negativeFolds = folds;
  const successIdx = correct.map((im, j) => (im.success ? j : -1)).filter((j) => j >= 0);
  const positives = successIdx.map((j) => correct[j].adversarial);
  const positiveFolds = successIdx.map((j) => folds[j]);
  const canCalibrate = [0, 1].every((f) => negativeFolds.filter((x) => x !== f).length >= 2);
  const twoPos = new Map<string, number[]>();
  const twoNeg = new Map<string, number[]>();
  const onePos = new Map<string, number[]>();
  const oneNeg = new Map<string, number[]>();
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);
  const scores = DETECTION_SCORES.map((score): DetectionScoreResult => {
    const pos = positives.map(score.of);
    const neg = negatives.map(score.of);
    const oneSided = aurocInterval(pos, neg);
    if (pos.length > 0) {
      const flip = (oneSided.estimate ?? 0.5) < 0.5 ? -1 : 1;
      onePos.set(score.name, pos.map((v) => flip * v));
      oneNeg.set(score.name, neg.map((v) => flip * v));
    }
    let twoSided: Interval = { estimate: null, lo: null, hi: null };
    if (canCalibrate && pos.length > 0) {
      const t = crossFittedTwoSided(pos, neg, positiveFolds, negativeFolds);
      twoPos.set(score.name, t.positives);
      twoNeg.set(score.name, t.negatives);
      twoSided = aurocInterval(t.positives, t.negatives);
    }
    return { name: score.name, label: score.label, family: score.family, meanClean: mean(neg), meanAdversarial: mean(pos), oneSided, twoSided };
  });
  const bestOf = (family: DetectionFamily) =>
    scores.filter((s) => s.family === family).reduce((best, s) => ((s.twoSided.estimate ?? -1) > (best.twoSided.estimate ?? -1) ? s : best)).name;
  return {
    negatives: negatives.length,
    positives: positives.length,
    scores,
    primary: compare(scores, twoPos, twoNeg, PRIMARY_CE, PRIMARY_BASELINE, false),
    oneSidedPrimary: compare(scores, onePos, oneNeg, PRIMARY_CE, PRIMARY_BASELINE, false, 'oneSided'),
    best: compare(scores, twoPos, twoNeg, bestOf('causal-effect'), bestOf('baseline'), true),
  };
}
