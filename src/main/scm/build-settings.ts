/**
 * What a SCM build depends on besides the model and data; every field enters the cache keys. The
 * schema (defaults and limits) is the app's and the CLI's too: shared/features/build.ts.
 */
import type { z } from 'zod';
import { defaultRegressor, type RegressorName } from '../../shared/choices.js';
import { buildSettingsSchema } from '../../shared/features/build.js';
import { resolveOptions } from './regressors/options.js';

export { buildSettingsSchema };

export type BuildSettingsInput = z.input<typeof buildSettingsSchema>;
export type BuildSettings = z.output<typeof buildSettingsSchema> & { regressor: RegressorName };

/** Validates and fills defaults; the regressor defaults to ridge for continuous φ, logistic for binary. */
export function resolveBuildSettings(input: BuildSettingsInput = {}): BuildSettings {
  const parsed = buildSettingsSchema.parse(input);
  const regressor = parsed.regressor ?? defaultRegressor(parsed.phi);
  // Options the regressor does not take are refused now, not after the φ extraction.
  if (parsed.regressorOptions) resolveOptions(regressor, parsed.regressorOptions);
  return { ...parsed, regressor };
}
