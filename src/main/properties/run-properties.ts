/**
 * A property audit: for each property (a built-in edit, or a folder of imported sequences) and each
 * image, the T + 1 frames go through the model in one batch, then the curve is scored (local), and
 * images are grouped by their tracked class for the global summary. Store-agnostic: a cache can be
 * passed in (the service keeps it in the project store).
 */
import type { Dataset } from '../data/dataset.js';
import type { ImageShape, Preprocessing } from '../data/preprocessing.js';
import { selectIndices } from '../data/sampling.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { checkpoint, type ProgressListener, ProgressReporter } from '../util/progress.js';
import { parsePropertySpec } from './edit-registry.js';
import { DEFAULT_STEPS, editFrames, imageSeed } from './edit-sequence.js';
import { framesToModelInput } from './frames-to-input.js';
import { listSequences, readSequenceFrames } from './imported-sequences.js';
import { type PropertySummary, summarize } from './property-summary.js';
import { type CurveScore, scoreCurve } from './score-curve.js';
import { DEFAULT_PERMUTATIONS, seededPermutations } from './shuffle-test.js';

export interface PropertyRunRequest {
  /** Built-in edits as specs: `brightness`, `blur:sigma=3`, `patch:color=00ff00:at=tl`… */
  properties?: string[];
  /** A folder of imported sequences (one subfolder per source image); scored as property `imported:<folder>`. */
  sequences?: string;
  /** Dataset images to edit; without it a stratified seeded sample of `images`. */
  indices?: number[];
  /** How many dataset images (default 20). */
  images?: number;
  /** Only dataset images with this true label. */
  label?: number;
  /** Tracked class c for every image; default: each image's predicted class on x_0. */
  targetClass?: number;
  /** T: frames x_0…x_T (default 100). */
  steps?: number;
  /** Seed of the image sample, the permutations and the noise fields (default 0). */
  seed?: number;
  permutations?: number;
  alpha?: number;
}

export interface PropertyImageResult {
  /** Dataset index (built-in edits) or position in the sequences folder (imported). */
  index: number;
  /** True label (dataset images only). */
  label?: number;
  /** Sequence subfolder name (imported only). */
  source?: string;
  class: number;
  epgm: number;
  p: number;
  rho: number;
  rhoP: number;
  flips: number;
  /** y_T − y_0. */
  change: number;
  /** Frames in the curve (T + 1). */
  frames: number;
  predictedStart: number;
  predictedEnd: number;
}

export interface PropertyGroupResult {
  name: string;
  class: number;
  className: string;
  summary: PropertySummary;
  images: PropertyImageResult[];
}

export interface PropertyAuditResult {
  properties: PropertyGroupResult[];
  steps: number;
  seed: number;
  permutations: number;
  alpha: number;
  classNames: string[];
  seconds: number;
}

/** Where scored curves may be kept between runs; `parts` identify the curve (JSON). */
export interface CurveCache {
  get(parts: CurveKeyParts): CurveScore | undefined;
  put(parts: CurveKeyParts, score: CurveScore): void;
}

export interface CurveKeyParts {
  property: string;
  index: number;
  steps: number;
  seed: number;
  permutations: number;
  class: number | null;
}

export interface PropertyContext {
  model: LoadedModel;
  dataset: Dataset;
  preprocessing: Preprocessing;
  cache?: CurveCache;
}

export interface RunHooks {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface ResolvedRun {
  steps: number;
  seed: number;
  permutations: number;
  alpha: number;
  targetClass?: number;
}

export function resolveRun(request: PropertyRunRequest): ResolvedRun {
  // imported sequences bring their own frame count; steps only shapes the built-in edits
  const steps = request.steps ?? DEFAULT_STEPS;
  const seed = request.seed ?? 0;
  const permutations = request.permutations ?? DEFAULT_PERMUTATIONS;
  const alpha = request.alpha ?? 0.05;
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got ${seed}`);
  if (!Number.isInteger(permutations) || permutations < 1) throw new Error(`permutations must be a positive integer, got ${permutations}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`alpha must be in (0, 1), got ${alpha}`);
  return { steps, seed, permutations, alpha, targetClass: request.targetClass };
}

/** The dataset images a request names: explicit indices, or a stratified seeded sample. */
export function chooseImages(dataset: Dataset, request: PropertyRunRequest): number[] {
  const { count } = dataset.info;
  if (request.indices) {
    for (const i of request.indices) if (!Number.isInteger(i) || i < 0 || i >= count) throw new Error(`image index ${i} is out of range: the dataset has ${count} images`);
    return request.indices;
  }
  const labels = dataset.labels();
  if (request.label === undefined) return selectIndices(labels, { limit: request.images ?? 20, stratified: true, seed: request.seed ?? 0 });
  const ofLabel = [...labels.keys()].filter((i) => labels[i] === request.label);
  if (ofLabel.length === 0) throw new Error(`no image in ${dataset.info.name} has label ${request.label}`);
  return selectIndices(Int32Array.from(ofLabel, () => 0), { limit: request.images ?? 20, stratified: true, seed: request.seed ?? 0 }).map((i) => ofLabel[i]);
}

/** Scores one sequence of frames (HWC, 0–255): one forward pass over all its frames. */
export async function scoreFrames(ctx: PropertyContext, frames: Float32Array, count: number, shape: ImageShape, run: ResolvedRun): Promise<CurveScore> {
  const [height, width, channels] = ctx.model.inputShape;
  const input = framesToModelInput(frames, count, shape, ctx.preprocessing, { height, width, channels });
  const { logits, numClasses } = await ctx.model.forward(input, count);
  return scoreCurve(logits, count, numClasses, seededPermutations(count, run.permutations, run.seed), run.targetClass);
}

interface Job {
  property: string;
  index: number;
  label?: number;
  source?: string;
  score: () => Promise<CurveScore>;
}

function jobsFor(ctx: PropertyContext, request: PropertyRunRequest, run: ResolvedRun): Promise<Job[]> | Job[] {
  const { dataset } = ctx;
  const shape = { height: dataset.info.height, width: dataset.info.width, channels: dataset.info.channels };
  const edits = (request.properties ?? []).map(parsePropertySpec);
  const indices = edits.length ? chooseImages(dataset, request) : [];
  const labels = dataset.labels();
  const jobs: Job[] = edits.flatMap((edit) =>
    indices.map((index) => ({
      property: edit.spec,
      index,
      label: labels[index],
      score: async () => {
        const raw = await dataset.read([index]);
        const frames = editFrames(edit, { data: raw.pixels, ...shape }, run.steps, imageSeed(run.seed, index));
        return scoreFrames(ctx, frames, run.steps + 1, shape, run);
      },
    })),
  );
  if (!request.sequences) return jobs;
  const channels = ctx.model.inputShape[2] === 1 ? 1 : 3;
  return listSequences(request.sequences).then((set) => [
    ...jobs,
    ...set.sequences.map((sequence) => ({
      property: `imported:${set.name}`,
      index: sequence.index,
      source: sequence.name,
      score: async () => {
        const f = await readSequenceFrames(sequence, channels);
        return scoreFrames(ctx, f.data, f.count, f, run);
      },
    })),
  ]);
}

export async function runPropertyAudit(ctx: PropertyContext, request: PropertyRunRequest, hooks: RunHooks = {}): Promise<PropertyAuditResult> {
  const started = performance.now();
  const run = resolveRun(request);
  if (!request.properties?.length && !request.sequences) throw new Error('name at least one property (or a folder of imported sequences)');
  if (run.targetClass !== undefined && !(Number.isInteger(run.targetClass) && run.targetClass >= 0 && run.targetClass < ctx.model.numClasses)) {
    throw new Error(`class ${run.targetClass} is out of range: the model has ${ctx.model.numClasses} classes`);
  }
  const jobs = await jobsFor(ctx, request, run);
  const progress = new ProgressReporter('properties', jobs.length, hooks.onProgress);
  const groups = new Map<string, { name: string; class: number; images: PropertyImageResult[] }>();
  for (const job of jobs) {
    await checkpoint(hooks.signal, 'the property audit');
    const parts: CurveKeyParts = { property: job.property, index: job.index, steps: run.steps, seed: run.seed, permutations: run.permutations, class: run.targetClass ?? null };
    let score = ctx.cache?.get(parts);
    if (!score) {
      score = await job.score();
      ctx.cache?.put(parts, score);
    }
    const key = `${job.property}\0${score.class}`;
    if (!groups.has(key)) groups.set(key, { name: job.property, class: score.class, images: [] });
    groups.get(key)!.images.push({
      index: job.index,
      ...(job.label !== undefined ? { label: job.label } : {}),
      ...(job.source !== undefined ? { source: job.source } : {}),
      class: score.class,
      epgm: score.epgm,
      p: score.p,
      rho: score.rho,
      rhoP: score.rhoP,
      flips: score.flips,
      change: score.change,
      frames: score.y.length,
      predictedStart: score.predicted[0],
      predictedEnd: score.predicted[score.predicted.length - 1],
    });
    progress.advance();
  }
  const classNames = ctx.dataset.info.classNames;
  const order = [...new Set(jobs.map((j) => j.property))];
  const properties = [...groups.values()]
    .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name) || a.class - b.class)
    .map((g) => ({ ...g, className: classNames[g.class] ?? String(g.class), summary: summarize(g.images, run.alpha) }));
  return { properties, steps: run.steps, seed: run.seed, permutations: run.permutations, alpha: run.alpha, classNames, seconds: (performance.now() - started) / 1000 };
}
