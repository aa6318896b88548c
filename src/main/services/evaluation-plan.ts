/**
 * What evaluating a build's rankings will do (METHODS §2), in forward passes of one image — the
 * build plan's unit — for the evaluation's one bar and ETA and the estimate shown before it starts.
 * Rough costs [ours]: a gradient pass ≈ 3 units; an ablation run re-runs only the suffix after the
 * layer, ≈ ½ unit per mask and image. Curves: per criterion (≈ 7, plus the reference, both
 * directions, plus one random order per seed) and removal fraction.
 */
import type { BuildEstimate, EvaluationSettingsDto } from '../../shared/dto.js';
import { resolveEvaluationSettings } from '../evaluation/evaluation-settings.js';
import type { PlannedStage } from '../jobs/overall-progress.js';
import { planUnits } from './build-plan.js';

const suffixShare = 0.5;
const gradientCost = 3;
const namedCriteria = 7;

export function evaluationPlan(layers: readonly { kind: string; channels: number }[], evaluationImages: number, input: EvaluationSettingsDto = {}): PlannedStage[] {
  const s = resolveEvaluationSettings(input);
  const inner = layers.filter((l) => l.kind !== 'logits');
  const filters = inner.reduce((sum, l) => sum + l.channels, 0);
  const curveImages = Math.min(s.curveImages, evaluationImages);
  const ordersPerCurve = 2 * (namedCriteria + 1) + s.seeds;
  const draws = inner.reduce((sum, l) => sum + s.multiFilterK.filter((k) => k <= l.channels).length, 0) * s.multiFilterSeeds;
  return [
    { prefix: 'evaluation: loading', units: 0 },
    // The build's φ and augmentation rows, read back from the project store: no forward passes.
    { prefix: 'φ extraction', units: 0 },
    { prefix: 'augmentation', units: 0 },
    { prefix: 'activation statistics', units: evaluationImages },
    { prefix: 'Taylor criterion', units: gradientCost * evaluationImages },
    { prefix: 'true single-filter ablation', units: suffixShare * evaluationImages * filters },
    { prefix: 'ablation curves (per layer)', units: suffixShare * curveImages * inner.length * ordersPerCurve * s.fractions.length },
    { prefix: 'ablation curves (global)', units: suffixShare * curveImages * ordersPerCurve * s.fractions.length },
    { prefix: 'multi-filter interventions', units: suffixShare * evaluationImages * draws },
  ];
}

/** The plan's seconds at a measured pace (units per second), after one load of the model and data in the worker. */
export function evaluationEstimate(plan: readonly PlannedStage[], pace: { unitsPerSecond: number; loadSeconds: number }, basis: BuildEstimate['basis']): BuildEstimate {
  return { seconds: pace.loadSeconds + planUnits(plan) / pace.unitsPerSecond, basis };
}
