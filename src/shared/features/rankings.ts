/** Filter rankings by the SCM's counterfactual importance, and their evaluation against true ablation. */
import { z } from 'zod';
import type { BuildEstimate, RankingsDto } from '../dto.js';
import { method } from '../feature.js';
import { noArgs } from './common.js';

/** Shares of a layer's filters removed along an ablation curve (METHODS §2). */
export const defaultFractions = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * What an evaluation depends on besides the project's SCM build; every field enters its cache key
 * (main/evaluation/artifacts.ts). One schema, one set of limits: the app's `rankings.evaluate` takes
 * three of its fields, the CLI's `evaluate` five (cli/commands/evaluate.ts), the job all of them.
 */
export const evaluationSettingsSchema = z
  .object({
    /** Seeds of the random criterion (its fidelity is reported as mean ± sd over them) and of the curves' random band. */
    seeds: z.number().int().min(1).max(100).default(5),
    /** Ablation curves run on a stratified subset of the held-out images of at most this size (cost grows with curves × fractions). */
    curveImages: z.number().int().min(1).max(100_000).default(128),
    /** Shares of a layer's (or the pool's) filters removed along a curve. */
    fractions: z.array(z.number().min(0).lt(1)).min(2).default(defaultFractions),
    /** Bootstrap resamples for the intervals of mean ρ and τ-b. */
    resamples: z.number().int().min(0).max(100_000).default(1000),
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
  })
  .strict();

/** The settings the app's Evaluate button may give. */
export const appEvaluationSettingsSchema = evaluationSettingsSchema.pick({ seeds: true, curveImages: true, resamples: true });

const appEvaluateArgs = z.object({ settings: appEvaluationSettingsSchema.optional() }).strict().optional();

export const rankingMethods = {
  'rankings.get': method<RankingsDto>()(noArgs),
  /** Starts the evaluation job (true ablation, criteria, curves); progress as job events. */
  'rankings.evaluate': method<{ jobId: string }>()(appEvaluateArgs),
  /** About how long the evaluation takes here with these settings, before it starts. */
  'rankings.estimate': method<BuildEstimate>()(appEvaluateArgs),
};
