/**
 * Building a project's SCM (METHODS §1): the one schema of build settings with its defaults and
 * limits, read by the app's arguments, the CLI's flags (cli/project-options.ts) and the build itself
 * (main/scm/build-settings.ts). Every field enters the build's cache keys.
 */
import { z } from 'zod';
import { phiKinds, regressorNames } from '../choices.js';
import type { BuildEstimate } from '../dto.js';
import { method } from '../feature.js';

const int = z.number().int();
const positive = z.number().refine(Number.isFinite, 'must be a finite number').positive();

/**
 * Options of the structural-equation regressor (alpha, trees, …). Which ones a regressor takes is
 * declared in choices.ts (`regressors[].options`) and checked when it is created.
 */
export const regressorOptionsSchema = z
  .object({
    precision: z.enum(['auto', 'float32', 'float64']).optional(),
    standardize: z.boolean().optional(),
    alpha: z.number().min(0).optional(),
    selection: z.enum(['gcv', 'kfold', 'fixed']).optional(),
    alphas: z.array(positive).min(1).max(1000).optional(),
    folds: int.min(2).max(100).optional(),
    seed: int.min(0).optional(),
    tol: positive.optional(),
    maxIter: int.min(1).max(1_000_000).optional(),
    maxFeatures: int.min(1).optional(),
    C: positive.optional(),
    solver: z.enum(['primal', 'dual']).optional(),
    nTrees: int.min(1).max(10_000).optional(),
    maxDepth: int.min(1).max(64).optional(),
    minSamplesLeaf: int.min(1).optional(),
    featuresPerSplit: z.union([z.literal('sqrt'), int.min(1)]).optional(),
    bootstrap: z.boolean().optional(),
    maxBins: int.min(2).max(65_536).optional(),
    hidden: int.min(1).max(4096).optional(),
    learningRate: positive.optional(),
    batchSize: int.min(1).max(65_536).optional(),
    maxEpochs: int.min(1).max(100_000).optional(),
    patience: int.min(1).optional(),
    l2: z.number().min(0).optional(),
    validationFraction: z.number().min(0).lt(0.5).optional(),
  })
  .strict();

export const buildSettingsSchema = z
  .object({
    phi: z.enum(phiKinds).default('fro'),
    /** Defaults to ridge for continuous φ, logistic for binary (choices.ts defaultRegressor). */
    regressor: z.enum(regressorNames).optional(),
    regressorOptions: regressorOptionsSchema.optional(),
    /** Share of a layer's channels zeroed per augmented row (METHODS §1: 10%, at least 1); 0 turns augmentation off. */
    augment: z.number().min(0).max(1).default(0.1),
    /** Training images per layer used for augmentation (the augmentation subset). */
    augmentImages: int.min(0).max(1_000_000).default(1000),
    /** Use at most this many images of the dataset (stratified, seeded); all when absent. */
    limit: int.positive().optional(),
    seed: int.min(0).default(0),
    /** Held-out share for the evaluation split (default 80/20). */
    evalFraction: z.number().gt(0).lt(1).default(0.2),
    batchSize: int.positive().max(4096).default(64),
  })
  .strict();

export type BuildSettingsDto = z.input<typeof buildSettingsSchema>;
export type RegressorOptionsDto = z.input<typeof regressorOptionsSchema>;

export const buildMethods = {
  'build.start': method<{ jobId: string }>()(z.object({ settings: buildSettingsSchema.optional() }).strict().optional()),
  /** About how long a build with these settings takes here, before it starts. */
  'build.estimate': method<BuildEstimate>()(z.object({ settings: buildSettingsSchema.optional() }).strict().optional()),
};
