/**
 * Pixel effects (S3, METHODS §4): causal-effect maps of single images beside Grad-CAM, and the
 * detection of adversarial examples. The long methods run as worker jobs whose id the renderer
 * chooses, so it can follow them (`job.progress`) and cancel them (`jobs.cancel`).
 * The methods carry the feature's name (`pixelEffects.*`, the tab's "Pixel effects"); the CLI's
 * commands are `pixel-effects` (alias of its first name, `cemap`) and `adversarial`.
 */
import { z } from 'zod';
import { attackKinds, fillKinds } from '../choices.js';
import type { AdversarialResult, CemapImageResult, ImageThumbs } from '../analysis.js';
import { method } from '../feature.js';
import { jobId } from './common.js';

export const attackSchema = z.object({ attack: z.enum(attackKinds), eps: z.number().gt(0).max(255), steps: z.number().int().min(1).max(100).optional() }).strict();
export const cemapSettingsSchema = z
  .object({
    grid: z.number().int().min(2).max(64).optional(),
    fill: z.enum(fillKinds).optional(),
    images: z.number().int().min(1).max(10_000).optional(),
    seed: z.number().int().min(0).optional(),
  })
  .strict();

export type CemapSettingsArgs = z.input<typeof cemapSettingsSchema>;
export type AttackArgs = z.input<typeof attackSchema>;

export const pixelEffectMethods = {
  'pixelEffects.images': method<ImageThumbs>()(z.object({ offset: z.number().int().min(0), count: z.number().int().min(1).max(200) }).strict()),
  'pixelEffects.image': method<CemapImageResult>()(z.object({ jobId, index: z.number().int().min(0), settings: cemapSettingsSchema.optional(), attack: attackSchema.optional() }).strict()),
  'pixelEffects.adversarial': method<AdversarialResult>()(z.object({ jobId, settings: cemapSettingsSchema.optional(), attack: attackSchema }).strict()),
};
