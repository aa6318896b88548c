/**
 * Explanatory graphs (S2): per class, the filters and paths whose interventions move its probability,
 * with stability, faithfulness and rivals; two classes compared; the repair experiment. `explain.run`
 * and `explain.repair` are worker jobs the
 * renderer names (progress: `job.progress`, cancel: `jobs.cancel`).
 */
import { z } from 'zod';
import type { ExplainComparison, ExplainGraphResult, ExplainRepairResult } from '../analysis.js';
import { method } from '../feature.js';
import { jobId } from './common.js';

export const graphSettingsSchema = z
  .object({
    k: z.number().int().min(1).max(64).optional(),
    images: z.number().int().min(1).max(10_000).optional(),
    bootstrap: z.number().int().min(0).max(100).optional(),
    noiseRepeats: z.number().int().min(0).max(100).optional(),
    randomSeeds: z.number().int().min(1).max(100).optional(),
    candidates: z.number().int().min(0).max(1024).optional(),
  })
  .strict();
const classRef = z.number().int().min(0).max(100_000);

export type GraphSettingsArgs = z.input<typeof graphSettingsSchema>;
export type ExplainGraph = ExplainGraphResult & { repair: ExplainRepairResult | null };

export const explainMethods = {
  'explain.run': method<ExplainGraph>()(z.object({ jobId, class: classRef, settings: graphSettingsSchema.optional() }).strict()),
  /** Null when this class's graph has not been computed with these settings. */
  'explain.cached': method<ExplainGraph | null>()(z.object({ class: classRef, settings: graphSettingsSchema.optional() }).strict()),
  /** Null unless both graphs are cached. */
  'explain.compare': method<ExplainComparison | null>()(z.object({ classes: z.tuple([classRef, classRef]), settings: graphSettingsSchema.optional() }).strict()),
  /** The repair experiment (METHODS §3) as a job: `feature` is a property spec at full strength (default the demo's patch). */
  'explain.repair': method<ExplainRepairResult>()(
    z.object({ jobId, class: classRef, feature: z.string().min(1).max(200).optional(), settings: graphSettingsSchema.optional() }).strict(),
  ),
};
