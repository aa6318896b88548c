/** What an evaluation depends on besides the project's SCM build; every field enters its cache key. */
import { z } from 'zod';
import { defaultFractions } from './ablation-curves.js';

export const evaluationSettingsSchema = z.object({
  /** Seeds of the random criterion (its fidelity is reported as mean ± sd over them) and of the curves' random band. */
  seeds: z.number().int().min(1).max(100).default(5),
  /** Ablation curves run on a stratified subset of the held-out images of at most this size (cost grows with curves × fractions). */
  curveImages: z.number().int().min(1).default(128),
  /** Shares of a layer's (or the pool's) filters removed along a curve. */
  fractions: z.array(z.number().min(0).lt(1)).min(2).default(defaultFractions),
  /** Bootstrap resamples for the intervals of mean ρ and τ-b. */
  resamples: z.number().int().min(0).default(1000),
  /** Sizes k of the random multi-filter interventions (SCM vs real accuracy), and draws per size. */
  multiFilterK: z.array(z.number().int().min(1)).default([1, 2, 4, 8, 16]),
  multiFilterSeeds: z.number().int().min(1).default(3),
  seed: z.number().int().min(0).default(0),
  /** Class-stratified image groups whose half splits give the truth's split-half reliability (even). */
  reliabilityGroups: z.number().int().min(2).max(16).multipleOf(2).default(8),
  /** Taylor criterion: Molchanov et al. 2017 (per image |mean over positions|, then mean) or the pooled variant. */
  taylor: z.enum(['per-image', 'pooled']).default('per-image'),
  batchSize: z.number().int().positive().default(64),
  /**
   * Masks per suffix pass (the image batch repeated). Absent: the engine picks
   * (LoadedModel.masksPerPass: several on ONNX Runtime where they pay, i.e. small nets; 1 on TensorFlow.js).
   * Speed only: the results do not depend on it (BENCHMARKS.md §ablation, §engines).
   */
  masksPerPass: z.number().int().min(1).optional(),
});

export type EvaluationSettingsInput = z.input<typeof evaluationSettingsSchema>;
export type EvaluationSettings = z.output<typeof evaluationSettingsSchema>;

export function resolveEvaluationSettings(input: EvaluationSettingsInput = {}): EvaluationSettings {
  return evaluationSettingsSchema.parse(input);
}
