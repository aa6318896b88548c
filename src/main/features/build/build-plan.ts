/**
 * What a build will do, in forward passes of one image, for the pipeline's one bar and ETA (and the
 * estimate shown before it starts). Costs measured on VGG-BN and LeNet-5 (wasm, this project's
 * bench machine): φ extraction ≈ 1 unit per image; augmentation ≈ 1 unit per image and node layer
 * (prefix once, suffix once); fitting ≈ 25 units per fitted layer; the SCM ranking ≈ 1 unit per
 * filter, after its worker has loaded the model and data again (as long as the first load took).
 */
import type { BuildSettingsDto } from '../../../shared/dto.js';
import { modelBatches } from '../../data/model-batches.js';
import { selectIndices } from '../../data/sampling.js';
import type { StepOfJob } from '../../jobs/job-declaration.js';
import type { PlannedStage } from '../../jobs/overall-progress.js';
import { resolveBuildSettings } from '../../scm/build-settings.js';
import { artifactKind } from '../../store/artifact-kind.js';
import type { ProjectSession } from '../../project/project-session.js';
import type { rankJob } from '../rankings/ranking-job.js';
import type { buildJob } from './build-service.js';

/** Where a project keeps the pace of its last build, for the estimate before the next one. */
export const buildPaceArtifact = artifactKind<{ unitsPerSecond: number; loadSeconds: number }>()('job-pace', () => 'build');

/** What the pipeline says while the ranking's worker loads the model and data. */
export const rankingLoadStage = 'evaluation: loading the model and the dataset again';

/** A build's plan: the build job's steps, the validation, the ranking's worker loading, the ranking job's step. */
export type BuildPlanStep = StepOfJob<typeof buildJob> | 'validation' | 'loading' | StepOfJob<typeof rankJob>;
export type BuildPlanStage = PlannedStage<BuildPlanStep>;

export interface PlanLayer {
  name: string;
  kind: string;
  channels: number;
}

export function buildPlan(layers: readonly PlanLayer[], datasetImages: number, input: BuildSettingsDto = {}): BuildPlanStage[] {
  const settings = resolveBuildSettings(input);
  const images = Math.min(datasetImages, settings.limit ?? datasetImages);
  const evaluation = Math.round(settings.evalFraction * images);
  const train = images - evaluation;
  const augmentImages = settings.augment > 0 ? Math.min(settings.augmentImages, train) : 0;
  const inner = layers.filter((l) => l.kind !== 'logits');
  const filters = inner.reduce((s, l) => s + l.channels, 0);
  return [
    { step: 'phi', part: 'training', units: train },
    { step: 'phi', part: 'evaluation', units: evaluation },
    ...inner.map((l): BuildPlanStage => ({ step: 'augmentation', part: l.name, units: augmentImages })),
    { step: 'fitting', units: 25 * Math.max(1, layers.length - 1) },
    { step: 'validation', units: evaluation },
    { step: 'loading', units: 0, reloads: true },
    { step: 'ranking', units: filters },
  ];
}

/** Units of the plan: with a measured rate (units per second), the build's expected seconds. */
export function planUnits(plan: readonly PlannedStage[]): number {
  return plan.reduce((s, p) => s + p.units, 0);
}

/**
 * A project never built here: its pace from 16 images through the network now (the units are
 * forward passes of one image). Loading is not timed here (the session has the model loaded); a
 * worker's load is taken as 10 s (LeNet-5 took 10 s, VGG-BN 16–19 s on this 2-core machine).
 */
export async function timeForwardPass(session: ProjectSession, images = 16): Promise<{ unitsPerSecond: number; loadSeconds: number }> {
  const [height, width, channels] = session.model.inputShape;
  const indices = selectIndices(session.dataset.labels(), { limit: images, stratified: true, seed: 0 });
  // One warm-up batch first: the first call compiles kernels.
  let seconds = 0;
  for (const round of [0, 1]) {
    const started = performance.now();
    for await (const batch of modelBatches(session.dataset, indices, images, session.settings.preprocessing, { height, width, channels })) await session.model.forward(batch.input, batch.n);
    if (round === 1) seconds = (performance.now() - started) / 1000;
  }
  return { unitsPerSecond: indices.length / Math.max(seconds, 1e-3), loadSeconds: 10 };
}
