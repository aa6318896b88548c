/**
 * Everything S3 computes for a batch of images, in one place: clean prediction, pixel CE/ECE maps,
 * Grad-CAM on a node layer, their rank agreement, optionally deletion/insertion curves of both maps
 * and feature-level CE of the layer's channels, and the CE-map statistics. Plain numbers out
 * (rounded to 6 significant digits), ready to cache and send.
 */
import { mulberry32 } from '../data/seeded-random.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { causalEffectMapScales } from './ce-map.js';
import { type Curves, faithfulnessCurves } from './faithfulness.js';
import { featureEffects } from './feature-effects.js';
import { type FillSetup, fillImage } from './fills.js';
import { gradCams } from './grad-cam.js';
import type { Grid } from './grid.js';
import { type MapStatistics, mapStatistics } from './map-statistics.js';
import { type ImageSet, logitsOf, softmaxRows } from './masked-probabilities.js';
import { spearman } from './rank-correlation.js';

export interface AnalysisOptions {
  grid: Grid;
  fill: FillSetup;
  /** Node layer for Grad-CAM and feature-level CE. */
  layer: string;
  faithfulness: boolean;
  /** With faithfulness: one seed per image for the random-order baseline curves. */
  randomSeeds?: number[];
  featureEffects: boolean;
  /** Most model inputs per forward pass. */
  maxBatch?: number;
  signal?: AbortSignal;
}

export interface CurvePair {
  deletion: number[];
  insertion: number[];
  deletionAuc: number;
  insertionAuc: number;
}

export interface ImageAnalysis {
  predicted: number;
  /** Clean class probabilities. */
  probabilities: number[];
  /** g×g row-major maps for the predicted class. */
  ce: number[];
  ece: number[];
  gradcam: number[];
  /** Grad-CAM channel weights w_k. */
  gradcamWeights: number[];
  /** Spearman between the CE map and Grad-CAM on the grid (null when either is constant). */
  gradcamSpearman: number | null;
  statistics: MapStatistics;
  /** The CE map on the log-probability and logit scales (ce-map.ts), and their statistics. */
  ceLog: number[];
  ceLogit: number[];
  statisticsLog: MapStatistics;
  statisticsLogit: MapStatistics;
  /** Curves of the CE order, the Grad-CAM order and a seeded random order (the chance baseline). */
  faithfulness?: { ce: CurvePair; gradcam: CurvePair; random: CurvePair };
  /** Per channel of the layer: CE of zeroing it, and its Spearman with the Grad-CAM weights. */
  feature?: { ce: number[]; ece: number[]; gradcamSpearman: number | null };
}

export const round6 = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);
const list = (xs: ArrayLike<number>) => Array.from(xs, round6);
const curves = (c: Curves): CurvePair => ({
  deletion: list(c.deletion),
  insertion: list(c.insertion),
  deletionAuc: round6(c.deletionAuc),
  insertionAuc: round6(c.insertionAuc),
});

export function argmaxRow(values: ArrayLike<number>, row: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[row * width + k] > values[row * width + best]) best = k;
  return best;
}

/** Fill images for a batch [n, H, W, C]. */
export function fillsFor(images: Float32Array, n: number, grid: Grid, channels: number, fill: FillSetup): Float32Array {
  const size = images.length / n;
  const out = new Float32Array(images.length);
  for (let i = 0; i < n; i++) out.set(fillImage(images.subarray(i * size, (i + 1) * size), grid, channels, fill), i * size);
  return out;
}

export async function analyzeImages(model: LoadedModel, images: Float32Array, n: number, options: AnalysisOptions): Promise<ImageAnalysis[]> {
  const { grid, layer, signal } = options;
  const maxBatch = options.maxBatch ?? 256;
  const channels = model.inputShape[2];
  const C = model.numClasses;
  const set: ImageSet = { images, fills: fillsFor(images, n, grid, channels, options.fill), grid, channels };
  const cleanLogits = await logitsOf(model, images, n, maxBatch);
  const clean = softmaxRows(cleanLogits, n, C);
  const predicted = Array.from({ length: n }, (_, i) => argmaxRow(clean, i, C));
  const maps = await causalEffectMapScales(model, set, n, cleanLogits, predicted, maxBatch, signal);
  const cams = await gradCams(model, images, n, layer, predicted, grid, 32, signal);
  const cells = grid.g * grid.g;
  const randomMap = (i: number) => {
    const rng = mulberry32(options.randomSeeds?.[i] ?? i);
    return Array.from({ length: cells }, () => rng());
  };
  const curvesOf = options.faithfulness
    ? await faithfulnessCurves(model, set, n, clean, predicted, maps.map((m, i) => [m.ce, cams[i].grid, randomMap(i)]), maxBatch, signal)
    : undefined;
  const features = options.featureEffects ? await featureEffects(model, images, n, layer, clean, predicted, maxBatch, signal) : undefined;
  return maps.map((m, i) => {
    const result: ImageAnalysis = {
      predicted: predicted[i],
      probabilities: list(clean.subarray(i * C, (i + 1) * C)),
      ce: list(m.ce),
      ece: list(m.ece),
      gradcam: list(cams[i].grid),
      gradcamWeights: list(cams[i].weights),
      gradcamSpearman: roundOrNull(spearman(m.ce, cams[i].grid)),
      statistics: roundStats(mapStatistics(m.ce)),
      ceLog: list(m.ceLog),
      ceLogit: list(m.ceLogit),
      statisticsLog: roundStats(mapStatistics(m.ceLog)),
      statisticsLogit: roundStats(mapStatistics(m.ceLogit)),
    };
    if (curvesOf) result.faithfulness = { ce: curves(curvesOf[i][0]), gradcam: curves(curvesOf[i][1]), random: curves(curvesOf[i][2]) };
    if (features) {
      const f = features[i];
      result.feature = { ce: list(f.ce), ece: list(f.ece), gradcamSpearman: roundOrNull(spearman(f.ce, cams[i].weights)) };
    }
    return result;
  });
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : round6(x);
}

function roundStats(s: MapStatistics): MapStatistics {
  return { mass: round6(s.mass), max: round6(s.max), entropy: round6(s.entropy) };
}
