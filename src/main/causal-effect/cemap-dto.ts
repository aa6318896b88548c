/**
 * Plain-JSON results of S3 (METHODS §4) as the app and the CLI receive them from
 * features/pixel-effects/pixel-effects-service.ts. Maps are g×g row-major arrays for the predicted class; images are
 * base64 PNGs; nothing here is a Map, Date or typed array.
 */
import type { AttackSettings, CemapSettings } from './cemap-settings.js';
import type { MapStatistics } from './map-statistics.js';
import type { RocPoint } from './roc.js';
import type { DetectionSummary } from './detection.js';

export type { AttackSettings, CemapSettings } from './cemap-settings.js';
export type { MapStatistics } from './map-statistics.js';
export type { RocPoint } from './roc.js';
export type { DetectionComparison, DetectionScoreResult, DetectionSummary, Verdict } from './detection.js';
export type { Interval } from './detection-statistics.js';

/** One image of a CE-map report. Maps are g×g row-major, for the predicted class. */
export interface CemapImageDto {
  index: number;
  label: number;
  predicted: number;
  /** p_c(x) of the predicted class. */
  probability: number;
  ce: number[];
  ece: number[];
  gradcam: number[];
  gradcamSpearman: number | null;
  /** Deletion/insertion AUC of the CE order, the Grad-CAM order and a seeded random order (chance). */
  deletionAuc: { ce: number; gradcam: number; random: number };
  insertionAuc: { ce: number; gradcam: number; random: number };
  statistics: MapStatistics;
  /** CE of zeroing each channel of the layer, and its Spearman with the Grad-CAM channel weights. */
  featureCe: number[];
  featureGradcamSpearman: number | null;
}

export interface CemapSummary {
  images: number;
  accuracy: number;
  medianGradcamSpearman: number | null;
  meanGradcamSpearman: number | null;
  /** Images whose CE map or Grad-CAM was constant (Spearman undefined). */
  undefinedSpearman: number;
  meanDeletionAuc: { ce: number | null; gradcam: number | null; random: number | null };
  meanInsertionAuc: { ce: number | null; gradcam: number | null; random: number | null };
  /** Share of images where the CE order deletes faster (lower deletion AUC) than Grad-CAM's. */
  ceWinsDeletion: number;
  medianFeatureGradcamSpearman: number | null;
}

export interface CemapReport {
  settings: CemapSettings & { blurSigma: number; layerShape: number[] };
  classNames: string[];
  images: CemapImageDto[];
  summary: CemapSummary;
  seconds: number;
}

export interface AdversarialImageDto {
  index: number;
  label: number;
  cleanPredicted: number;
  adversarialPredicted: number;
  /** The clean image was classified correctly (only these are attacked "successfully" or not). */
  cleanCorrect: boolean;
  success: boolean;
  /** max |x_adv − x| as a fraction of the input range. */
  linf: number;
  clean: AdversarialVariantDto;
  adversarial: AdversarialVariantDto;
}

/** One version of an attacked image: its maps and everything the detectors score. */
export interface AdversarialVariantDto {
  ce: number[];
  gradcam: number[];
  statistics: MapStatistics;
  /** Statistics of the CE map on the log-probability and logit scales. */
  statisticsLog: MapStatistics;
  statisticsLogit: MapStatistics;
  probabilities: number[];
}

export type StatisticName = keyof MapStatistics;

export interface AdversarialReport {
  settings: CemapSettings & AttackSettings;
  /** Images attacked. */
  n: number;
  cleanCorrect: number;
  successes: number;
  /** Successes / clean-correct images. */
  attackSuccess: number | null;
  cleanAccuracy: number;
  adversarialAccuracy: number;
  /** Successful adversarial images (positive) vs the clean correct images (negative), larger = adversarial. */
  auroc: Record<StatisticName, number | null>;
  roc: Record<StatisticName, RocPoint[]>;
  meanStatistics: { clean: MapStatistics; adversarial: MapStatistics };
  /** Every CE statistic beside the confidence baselines, one- and two-sided, with intervals. */
  detection: DetectionSummary;
  images: AdversarialImageDto[];
  seconds: number;
}

/** One image for the image browser: the picture and its maps, clean and (with an attack) adversarial. */
export interface CemapImageVariant {
  /** The image as a base64 PNG (H×W). */
  png: string;
  predicted: number;
  probabilities: number[];
  ce: number[];
  ece: number[];
  gradcam: number[];
  gradcamSpearman: number | null;
  statistics: MapStatistics;
}

export interface CemapImageView {
  index: number;
  label: number;
  classNames: string[];
  height: number;
  width: number;
  settings: CemapSettings;
  clean: CemapImageVariant & {
    /** Deletion/insertion curves (p_c at k = 0…g² cells) of both maps. */
    curves: { ce: CurveDto; gradcam: CurveDto; random: CurveDto };
    feature: { ce: number[]; gradcamSpearman: number | null };
  };
  adversarial?: CemapImageVariant & { attack: AttackSettings; success: boolean; linf: number };
}

export interface CurveDto {
  deletion: number[];
  insertion: number[];
  deletionAuc: number;
  insertionAuc: number;
}
