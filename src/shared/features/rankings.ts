/** Filter rankings by the SCM's counterfactual importance, and their evaluation against true ablation. */
import { z } from 'zod';
import type { RankingsDto } from '../dto.js';
import { method } from '../feature.js';
import { noArgs } from './common.js';

export const evaluationSettingsSchema = z
  .object({ seeds: z.number().int().min(1).max(100).optional(), curveImages: z.number().int().min(1).max(100_000).optional(), resamples: z.number().int().min(0).max(100_000).optional() })
  .strict();

export const rankingMethods = {
  'rankings.get': method<RankingsDto>()(noArgs),
  /** Starts the evaluation job (true ablation, criteria, curves); progress as job events. */
  'rankings.evaluate': method<{ jobId: string }>()(z.object({ settings: evaluationSettingsSchema.optional() }).strict().optional()),
};
