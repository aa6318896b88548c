/**
 * What evaluating a build's rankings will do (METHODS §2), in forward passes of one image — the
 * build plan's unit — for the evaluation's one bar and ETA and the estimate shown before it starts.
 * Costs [ours], measured on VGG-BN (ONNX Runtime, 100 held-out images, 448 filters; a build's pace
 * of 160 units/s): a gradient pass ≈ 3 units (115 units/s seen); an ablation run re-runs only the
 * suffix after the layer, several masks per pass, ≈ 0.1 unit per mask and image (true ablation ran
 * at ≈ 970, the curves at ≈ 800, the multi-filter draws at ≈ 690 half-units/s). With them the first
 * estimate, from the build's pace, said 44 s for a 65 s VGG-BN evaluation on this shared 2-core
 * machine (LeNet-5: 7.5 s for 2.8 s); after one evaluation the project's own pace is used. Curves: per criterion (≈ 7, plus the reference, both directions, plus
 * one random order per seed) and removal fraction.
 */
import type { BuildEstimate, EvaluationSettingsDto } from '../../../shared/dto.js';
import { resolveEvaluationSettings } from '../../evaluation/evaluation-settings.js';
import type { StepOfJob } from '../../jobs/job-declaration.js';
import type { PlannedStage } from '../../jobs/overall-progress.js';
import { artifactKind } from '../../store/artifact-kind.js';
import { buildPaceArtifact, planUnits } from '../build/build-plan.js';
import type { evaluateJob } from './evaluation-service.js';

/** An evaluation's plan: its worker loading, then the evaluate job's steps. */
export type EvaluationPlanStep = 'loading' | StepOfJob<typeof evaluateJob>;

/** Where a project keeps the pace of its last evaluation (beside the build's), for the estimate before the next. */
export const evaluationPaceArtifact = artifactKind<{ unitsPerSecond: number; loadSeconds: number }>()(buildPaceArtifact.name, () => 'evaluate');

const suffixShare = 0.1;
const gradientCost = 3;
const namedCriteria = 7;

export function evaluationPlan(layers: readonly { kind: string; channels: number }[], evaluationImages: number, input: EvaluationSettingsDto = {}): PlannedStage<EvaluationPlanStep>[] {
  const s = resolveEvaluationSettings(input);
  const inner = layers.filter((l) => l.kind !== 'logits');
  const filters = inner.reduce((sum, l) => sum + l.channels, 0);
  const curveImages = Math.min(s.curveImages, evaluationImages);
  const ordersPerCurve = 2 * (namedCriteria + 1) + s.seeds;
  const draws = inner.reduce((sum, l) => sum + s.multiFilterK.filter((k) => k <= l.channels).length, 0) * s.multiFilterSeeds;
  return [
    { step: 'loading', units: 0 },
    // The build's φ and augmentation rows, read back from the project store: no forward passes.
    { step: 'phi', units: 0 },
    { step: 'augmentation', units: 0 },
    { step: 'statistics', units: evaluationImages },
    { step: 'taylor', units: gradientCost * evaluationImages },
    { step: 'true ablation', units: suffixShare * evaluationImages * filters },
    { step: 'layer curves', units: suffixShare * curveImages * inner.length * ordersPerCurve * s.fractions.length },
    { step: 'global curves', units: suffixShare * curveImages * ordersPerCurve * s.fractions.length },
    { step: 'multi-filter', units: suffixShare * evaluationImages * draws },
  ];
}

/** The plan's seconds at a measured pace (units per second), after one load of the model and data in the worker. */
export function evaluationEstimate(plan: readonly PlannedStage[], pace: { unitsPerSecond: number; loadSeconds: number }, basis: BuildEstimate['basis']): BuildEstimate {
  return { seconds: pace.loadSeconds + planUnits(plan) / pace.unitsPerSecond, basis };
}
