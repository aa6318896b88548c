/**
 * S3 for the app and the CLI (METHODS §4): CE maps vs Grad-CAM over a sample of the project's images,
 * attacks with CE-map-based detection, and one image's maps for the image browser. Results are plain
 * JSON; every image's analysis is cached as a project-store artifact as soon as its batch is done, so
 * a cancelled run resumes where it stopped and the image browser reuses what the reports computed.
 */
import { toModelInput } from '../../data/preprocessing.js';
import { selectIndices } from '../../data/sampling.js';
import { type ImageAnalysis, analyzeImages, round6 } from '../../causal-effect/analysis.js';
import { attack, inputRange } from '../../causal-effect/attacks.js';
import { type AttackRequest, type AttackSettings, type CemapRequest, type CemapSettings, resolveAttackSettings, resolveCemapSettings } from '../../causal-effect/cemap-settings.js';
import type { AdversarialImageDto, AdversarialReport, CemapImageDto, CemapImageVariant, CemapImageView, CemapReport, CemapSummary } from '../../causal-effect/cemap-dto.js';
import { blurSigma } from '../../causal-effect/fills.js';
import { makeGrid } from '../../causal-effect/grid.js';
import { toPngBase64 } from '../../causal-effect/image-png.js';
import { type MapStatistics, STATISTICS } from '../../causal-effect/map-statistics.js';
import { mean, median } from '../../causal-effect/rank-correlation.js';
import { auroc, rocCurve } from '../../causal-effect/roc.js';
import { type DetectionSummary, detectionSummary } from '../../causal-effect/detection.js';
import type { Interval } from '../../causal-effect/detection-statistics.js';
import { ProgressReporter, type ProgressListener, checkpoint } from '../../util/progress.js';
import { type ArtifactKind, artifactKind, readArtifact, writeArtifact } from '../../store/artifact-kind.js';
import { combineHashes, hashJson } from '../../store/hashing.js';
import { ProjectSession, withProjectSession } from '../../project/project-session.js';
import { defineJob, type JobHooks } from '../../jobs/job-declaration.js';

export type { AttackRequest, CemapRequest } from '../../causal-effect/cemap-settings.js';
export type * from '../../causal-effect/cemap-dto.js';

/** The typed steps of the pixel-effects jobs: the clean images' CE maps, then the attacked images'. */
export type PixelEffectsStep = 'ce maps' | 'attack';

export interface CemapHooks {
  onProgress?: ProgressListener<PixelEffectsStep>;
  signal?: AbortSignal;
}

interface AdversarialEntry {
  analysis: ImageAnalysis;
  linf: number;
  png: string;
}

const IMAGE_BATCH = 8;
/** Per-image analyses, cached as each batch finishes: keyed by data, the analysis setup hash and the image. */
const imageKey = (dataKey: string, setup: string, index: number) => combineHashes(dataKey, setup, String(index));
const cleanImageArtifact = artifactKind<ImageAnalysis>()('cemap-image', imageKey);
const adversarialImageArtifact = artifactKind<AdversarialEntry>()('cemap-adversarial-image', imageKey);
/** Per-channel dataset mean in model-input space, for the `mean` fill. */
const channelMeanArtifact = artifactKind<number[]>()('cemap-channel-mean', (dataKey: string) => combineHashes(dataKey, 'channel-mean-v1'));

/** Stored summaries of each CE-map and detection run (what the report's S3 section prints), keyed by data and settings. */
export const cemapRunArtifact = artifactKind<StoredCemapRun>()('cemap-run', (dataKey: string, settings: object) => combineHashes(dataKey, hashJson(settings)));
export const adversarialRunArtifact = artifactKind<StoredAdversarialRun>()('adversarial-run', (dataKey: string, settings: object) => combineHashes(dataKey, hashJson(settings)));
export const CEMAP_RUN_ARTIFACT = cemapRunArtifact.name;
export const ADVERSARIAL_RUN_ARTIFACT = adversarialRunArtifact.name;

export interface StoredCemapRun {
  settings: CemapReport['settings'];
  summary: CemapReport['summary'];
}

export interface StoredAdversarialRun {
  settings: AdversarialReport['settings'];
  n: number;
  attackSuccess: number | null;
  cleanAccuracy: number;
  adversarialAccuracy: number;
  auroc: AdversarialReport['auroc'];
  /** Absent in runs stored before issue 16. */
  detection?: DetectionSummary;
}

export async function cemapReport(session: ProjectSession, request: CemapRequest = {}, hooks: CemapHooks = {}): Promise<CemapReport> {
  const started = performance.now();
  const settings = resolveCemapSettings(session.model, session.dataset.info.count, request);
  const indices = sampleIndices(session, settings);
  const labels = session.dataset.labels();
  const analyses = await cleanAnalyses(session, settings, indices, hooks);
  const images = indices.map((index, i) => imageDto(index, labels[index], analyses[i]));
  const or = (x: number | null) => (x === null ? null : round6(x));
  const summary: CemapSummary = {
    images: images.length,
    accuracy: round6(images.filter((im) => im.predicted === im.label).length / images.length),
    medianGradcamSpearman: or(median(images.map((im) => im.gradcamSpearman))),
    meanGradcamSpearman: or(mean(images.map((im) => im.gradcamSpearman))),
    undefinedSpearman: images.filter((im) => im.gradcamSpearman === null).length,
    meanDeletionAuc: meanOf(images.map((im) => im.deletionAuc)),
    meanInsertionAuc: meanOf(images.map((im) => im.insertionAuc)),
    ceWinsDeletion: round6(images.filter((im) => im.deletionAuc.ce < im.deletionAuc.gradcam).length / images.length),
    medianFeatureGradcamSpearman: or(median(images.map((im) => im.featureGradcamSpearman))),
  };
  const layerShape = session.model.nodeLayers.find((l) => l.name === settings.layer)!.shape;
  const grid = makeGrid(session.model.inputShape[0], session.model.inputShape[1], settings.grid);
  const report: CemapReport = {
    settings: { ...settings, blurSigma: blurSigma(grid), layerShape },
    classNames: session.dataset.info.classNames,
    images,
    summary,
    seconds: round6((performance.now() - started) / 1000),
  };
  const stored: StoredCemapRun = { settings: report.settings, summary };
  writeArtifact(session.store, cemapRunArtifact, stored, session.dataKey, settings);
  return report;
}

export async function adversarialReport(
  session: ProjectSession,
  request: CemapRequest & AttackRequest,
  hooks: CemapHooks = {},
): Promise<AdversarialReport> {
  const started = performance.now();
  const settings = resolveCemapSettings(session.model, session.dataset.info.count, request);
  const attackSettings = resolveAttackSettings(request);
  const indices = sampleIndices(session, settings);
  const labels = session.dataset.labels();
  const clean = await cleanAnalyses(session, settings, indices, hooks);
  const adversarial = await adversarialAnalyses(session, settings, attackSettings, indices, hooks);
  const images: AdversarialImageDto[] = indices.map((index, i) => {
    const label = labels[index];
    const a = adversarial[i].analysis;
    const cleanCorrect = clean[i].predicted === label;
    return {
      index,
      label,
      cleanPredicted: clean[i].predicted,
      adversarialPredicted: a.predicted,
      cleanCorrect,
      success: cleanCorrect && a.predicted !== label,
      linf: adversarial[i].linf,
      clean: detectionView(clean[i]),
      adversarial: detectionView(a),
    };
  });
  const detection = roundDetection(detectionSummary(images, settings.seed));
  const negatives = images.filter((im) => im.cleanCorrect).map((im) => im.clean.statistics);
  const positives = images.filter((im) => im.success).map((im) => im.adversarial.statistics);
  const auc = {} as AdversarialReport['auroc'];
  const roc = {} as AdversarialReport['roc'];
  for (const s of STATISTICS) {
    const pos = positives.map((p) => p[s]);
    const neg = negatives.map((p) => p[s]);
    const value = auroc(pos, neg);
    auc[s] = value === null ? null : round6(value);
    roc[s] = rocCurve(pos, neg).map((p) => ({ threshold: p.threshold === null ? null : round6(p.threshold), fpr: round6(p.fpr), tpr: round6(p.tpr) }));
  }
  const meanStats = (xs: MapStatistics[]) =>
    Object.fromEntries(STATISTICS.map((s) => [s, xs.length ? round6(xs.reduce((t, x) => t + x[s], 0) / xs.length) : NaN])) as unknown as MapStatistics;
  const n = images.length;
  const report: AdversarialReport = {
    settings: { ...settings, ...attackSettings },
    n,
    cleanCorrect: negatives.length,
    successes: positives.length,
    attackSuccess: negatives.length ? round6(positives.length / negatives.length) : null,
    cleanAccuracy: round6(negatives.length / n),
    adversarialAccuracy: round6(images.filter((im) => im.adversarialPredicted === im.label).length / n),
    auroc: auc,
    roc,
    meanStatistics: { clean: meanStats(negatives), adversarial: meanStats(positives) },
    detection,
    images,
    seconds: round6((performance.now() - started) / 1000),
  };
  const { auroc: aurocs, attackSuccess, cleanAccuracy, adversarialAccuracy } = report;
  const stored: StoredAdversarialRun = { settings: report.settings, n, attackSuccess, cleanAccuracy, adversarialAccuracy, auroc: aurocs, detection };
  writeArtifact(session.store, adversarialRunArtifact, stored, session.dataKey, report.settings);
  return report;
}

/** One image (any index of the dataset) for the image browser; with `attack`, its adversarial twin too. */
export async function cemapImage(
  session: ProjectSession,
  index: number,
  request: CemapRequest = {},
  attackRequest?: AttackRequest,
  hooks: CemapHooks = {},
): Promise<CemapImageView> {
  const { info } = session.dataset;
  if (!Number.isInteger(index) || index < 0 || index >= info.count) throw new RangeError(`image index must be 0…${info.count - 1}, got ${index}`);
  const settings = resolveCemapSettings(session.model, info.count, { ...request, images: request.images ?? 1 });
  const [h, w, c] = session.model.inputShape;
  const input = await readInputs(session, [index]);
  const [clean] = await cleanAnalyses(session, settings, [index], hooks);
  const label = session.dataset.labels()[index];
  const variant = (a: ImageAnalysis, png: string): CemapImageVariant => ({
    png,
    predicted: a.predicted,
    probabilities: a.probabilities,
    ce: a.ce,
    ece: a.ece,
    gradcam: a.gradcam,
    gradcamSpearman: a.gradcamSpearman,
    statistics: a.statistics,
  });
  const view: CemapImageView = {
    index,
    label,
    classNames: info.classNames,
    height: h,
    width: w,
    settings,
    clean: {
      ...variant(clean, toPngBase64(input, h, w, c, session.settings.preprocessing)),
      curves: clean.faithfulness!,
      feature: { ce: clean.feature!.ce, gradcamSpearman: clean.feature!.gradcamSpearman },
    },
  };
  if (attackRequest) {
    const attackSettings = resolveAttackSettings(attackRequest);
    const [adv] = await adversarialAnalyses(session, settings, attackSettings, [index], hooks);
    view.adversarial = {
      ...variant(adv.analysis, adv.png),
      attack: attackSettings,
      success: clean.predicted === label && adv.analysis.predicted !== label,
      linf: adv.linf,
    };
  }
  return view;
}

function detectionView(a: ImageAnalysis) {
  const { ce, gradcam, statistics, statisticsLog, statisticsLogit, probabilities } = a;
  return { ce, gradcam, statistics, statisticsLog, statisticsLogit, probabilities };
}

function roundInterval(i: Interval): Interval {
  const r = (x: number | null) => (x === null ? null : round6(x));
  return { estimate: r(i.estimate), lo: r(i.lo), hi: r(i.hi) };
}

function roundDetection(d: DetectionSummary): DetectionSummary {
  const r = (x: number | null) => (x === null ? null : round6(x));
  return {
    ...d,
    scores: d.scores.map((s) => ({ ...s, meanClean: r(s.meanClean), meanAdversarial: r(s.meanAdversarial), oneSided: roundInterval(s.oneSided), twoSided: roundInterval(s.twoSided) })),
    primary: { ...d.primary, difference: roundInterval(d.primary.difference) },
    oneSidedPrimary: { ...d.oneSidedPrimary, difference: roundInterval(d.oneSidedPrimary.difference) },
    best: { ...d.best, difference: roundInterval(d.best.difference) },
  };
}

function meanOf(aucs: { ce: number; gradcam: number; random: number }[]) {
  const of = (key: 'ce' | 'gradcam' | 'random') => {
    const m = mean(aucs.map((a) => a[key]));
    return m === null ? null : round6(m);
  };
  return { ce: of('ce'), gradcam: of('gradcam'), random: of('random') };
}

function imageDto(index: number, label: number, a: ImageAnalysis): CemapImageDto {
  return {
    index,
    label,
    predicted: a.predicted,
    probability: a.probabilities[a.predicted],
    ce: a.ce,
    ece: a.ece,
    gradcam: a.gradcam,
    gradcamSpearman: a.gradcamSpearman,
    deletionAuc: { ce: a.faithfulness!.ce.deletionAuc, gradcam: a.faithfulness!.gradcam.deletionAuc, random: a.faithfulness!.random.deletionAuc },
    insertionAuc: { ce: a.faithfulness!.ce.insertionAuc, gradcam: a.faithfulness!.gradcam.insertionAuc, random: a.faithfulness!.random.insertionAuc },
    statistics: a.statistics,
    featureCe: a.feature!.ce,
    featureGradcamSpearman: a.feature!.gradcamSpearman,
  };
}

/** One seed per (run seed, image): PGD starts and random baselines do not depend on batching. */
function imageSeed(seed: number, index: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) + index) >>> 0;
}

/** The report's images: a stratified sample of the dataset, seeded. */
export function sampleIndices(session: ProjectSession, settings: CemapSettings): number[] {
  return selectIndices(session.dataset.labels(), { limit: settings.images, stratified: true, seed: settings.seed });
}

async function readInputs(session: ProjectSession, indices: number[]): Promise<Float32Array> {
  const { info } = session.dataset;
  const [height, width, channels] = session.model.inputShape;
  const raw = await session.dataset.read(indices);
  return toModelInput(raw, { height: info.height, width: info.width, channels: info.channels }, session.settings.preprocessing, { height, width, channels });
}

/** Per-channel dataset mean in model-input space (for the `mean` fill), over ≤ 1,000 images. */
async function channelMean(session: ProjectSession): Promise<number[]> {
  const cached = readArtifact(session.store, channelMeanArtifact, session.dataKey);
  if (cached) return cached;
  const indices = selectIndices(session.dataset.labels(), { limit: 1000, stratified: true, seed: 0 });
  const channels = session.model.inputShape[2];
  const sums = new Float64Array(channels);
  let count = 0;
  for (let start = 0; start < indices.length; start += 250) {
    const input = await readInputs(session, indices.slice(start, start + 250));
    for (let i = 0; i < input.length; i++) sums[i % channels] += input[i];
    count += input.length / channels;
  }
  const result = Array.from(sums, (s) => s / count);
  writeArtifact(session.store, channelMeanArtifact, result, session.dataKey);
  return result;
}

async function analysisOptions(session: ProjectSession, settings: CemapSettings, signal?: AbortSignal) {
  const [h, w] = session.model.inputShape;
  return {
    grid: makeGrid(h, w, settings.grid),
    fill: { kind: settings.fill, channelMean: settings.fill === 'mean' ? await channelMean(session) : undefined },
    layer: settings.layer,
    signal,
  };
}

/** Cached per image; computes the missing ones in batches, storing each batch as it finishes. */
async function cached<T>(
  session: ProjectSession,
  kind: ArtifactKind<T, [string, string, number]>,
  setup: string,
  indices: number[],
  step: PixelEffectsStep,
  stage: string,
  hooks: CemapHooks,
  compute: (missing: number[]) => Promise<T[]>,
): Promise<T[]> {
  const found = new Map<number, T>();
  for (const index of indices) {
    const hit = readArtifact(session.store, kind, session.dataKey, setup, index);
    if (hit !== undefined) found.set(index, hit);
  }
  const missing = [...new Set(indices.filter((i) => !found.has(i)))];
  // Report every batch: a batch of 8 images takes ≥ 0.3 s even on LeNet-5, so this does not flood.
  const progress = new ProgressReporter(stage, indices.length, hooks.onProgress, 0, { step });
  progress.advance(indices.length - missing.length);
  for (let start = 0; start < missing.length; start += IMAGE_BATCH) {
    const batch = missing.slice(start, start + IMAGE_BATCH);
    const values = await compute(batch);
    session.store.transaction(() => batch.forEach((index, j) => writeArtifact(session.store, kind, values[j], session.dataKey, setup, index)));
    batch.forEach((index, j) => found.set(index, values[j]));
    progress.advance(batch.length);
    await checkpoint(hooks.signal, stage);
  }
  return indices.map((i) => found.get(i)!);
}

function cleanAnalyses(session: ProjectSession, settings: CemapSettings, indices: number[], hooks: CemapHooks): Promise<ImageAnalysis[]> {
  const setup = hashJson({ grid: settings.grid, fill: settings.fill, layer: settings.layer, seed: settings.seed, version: 3 });
  return cached(session, cleanImageArtifact, setup, indices, 'ce maps', 'CE maps', hooks, async (batch) => {
    const options = await analysisOptions(session, settings, hooks.signal);
    const input = await readInputs(session, batch);
    const randomSeeds = batch.map((index) => imageSeed(settings.seed, index));
    return analyzeImages(session.model, input, batch.length, { ...options, faithfulness: true, randomSeeds, featureEffects: true });
  });
}

function adversarialAnalyses(
  session: ProjectSession,
  settings: CemapSettings,
  attackSettings: AttackSettings,
  indices: number[],
  hooks: CemapHooks,
): Promise<AdversarialEntry[]> {
  const setup = hashJson({ grid: settings.grid, fill: settings.fill, layer: settings.layer, seed: settings.seed, attack: attackSettings, version: 2 });
  const stage = `${attackSettings.attack.toUpperCase()} ε=${attackSettings.eps}/255`;
  return cached(session, adversarialImageArtifact, setup, indices, 'attack', stage, hooks, async (batch) => {
    const options = await analysisOptions(session, settings, hooks.signal);
    const [h, w, c] = session.model.inputShape;
    const pre = session.settings.preprocessing;
    const range = inputRange(pre, c);
    const input = await readInputs(session, batch);
    const labels = session.dataset.labels();
    const seeds = batch.map((index) => imageSeed(settings.seed, index));
    const adv = await attack(session.model, input, batch.length, batch.map((i) => labels[i]), {
      kind: attackSettings.attack,
      epsilon: attackSettings.epsilon,
      range,
      steps: attackSettings.steps,
      stepFraction: attackSettings.stepFraction,
      seeds,
    });
    const analyses = await analyzeImages(session.model, adv, batch.length, { ...options, faithfulness: false, featureEffects: false });
    const size = h * w * c;
    return batch.map((_, j) => {
      let linf = 0;
      for (let i = j * size; i < (j + 1) * size; i++) linf = Math.max(linf, Math.abs(adv[i] - input[i]) / (range.hi[i % c] - range.lo[i % c]));
      return { analysis: analyses[j], linf: round6(linf), png: toPngBase64(adv.subarray(j * size, (j + 1) * size), h, w, c, pre) };
    });
  });
}

type ImageJobArgs = { project: string; index: number; request?: CemapRequest; attack?: AttackRequest };
type AdversarialJobArgs = { project: string; request: CemapRequest & AttackRequest };

/** The worker's entry points: plain arguments, a session of their own. */
export function runPixelEffectsImage(args: ImageJobArgs, hooks: JobHooks<PixelEffectsStep> = {}) {
  return withProjectSession(args.project, (s) => cemapImage(s, args.index, args.request, args.attack, hooks));
}

export function runAdversarial(args: AdversarialJobArgs, hooks: JobHooks<PixelEffectsStep> = {}) {
  return withProjectSession(args.project, (s) => adversarialReport(s, args.request, hooks));
}

const pixelEffectsSteps = ['ce maps', 'attack'] as const satisfies readonly PixelEffectsStep[];
export const pixelEffectsImageJob = defineJob<ImageJobArgs, Awaited<ReturnType<typeof runPixelEffectsImage>>>()('pixel-effects-image', pixelEffectsSteps);
export const adversarialJob = defineJob<AdversarialJobArgs, Awaited<ReturnType<typeof runAdversarial>>>()('adversarial', pixelEffectsSteps);
