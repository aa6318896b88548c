/** What a SCM build depends on besides the model and data; every field enters the cache keys. */
import { z } from 'zod';

export const buildSettingsSchema = z.object({
  phi: z.enum(['fro', 'binary', 'mean', 'max', 'std']).default('fro'),
  regressor: z.enum(['linear', 'ridge', 'lasso', 'lars', 'mlp', 'logistic', 'svm', 'random-forest']).optional(),
  /** Share of a layer's channels zeroed per augmented row (METHODS §1: 10%, at least 1); 0 turns augmentation off. */
  augment: z.number().min(0).max(1).default(0.1),
  /** Training images per layer used for augmentation (the augmentation subset). */
  augmentImages: z.number().int().min(0).default(1000),
  /** Use at most this many images of the dataset (stratified, seeded); all when absent. */
  limit: z.number().int().positive().optional(),
  seed: z.number().int().min(0).default(0),
  /** Held-out share for the evaluation split (default 80/20). */
  evalFraction: z.number().gt(0).lt(1).default(0.2),
  batchSize: z.number().int().positive().default(64),
});

export type BuildSettingsInput = z.input<typeof buildSettingsSchema>;
export type BuildSettings = z.output<typeof buildSettingsSchema> & { regressor: NonNullable<z.output<typeof buildSettingsSchema>['regressor']> };

/** Validates and fills defaults; the regressor defaults to ridge for continuous φ, logistic for binary. */
export function resolveBuildSettings(input: BuildSettingsInput = {}): BuildSettings {
  const parsed = buildSettingsSchema.parse(input);
  return { ...parsed, regressor: parsed.regressor ?? (parsed.phi === 'binary' ? 'logistic' : 'ridge') };
}
