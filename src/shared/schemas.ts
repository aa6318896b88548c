/**
 * zod schemas of every method's arguments: each transport validates what arrives before a service
 * sees it (IPC in main, WebSocket in the server). Strict objects: unknown keys are refused.
 */
import { z } from 'zod';
import { analysisArgsSchemas } from './analysis.js';
import { propertiesArgsSchemas } from './properties.js';
import { reportArgsSchemas } from './report.js';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const path = z.string().min(1, 'must not be empty').max(4096);
const layerName = z.string().min(1).max(200);

export const noArgs = z.object({}).strict().optional();

export const preprocessingSchema = z
  .object({
    scale: finite.refine((v) => v > 0, 'must be positive'),
    mean: z.array(finite).min(1).max(4).optional(),
    std: z.array(finite.refine((v) => v > 0, 'must be positive')).min(1).max(4).optional(),
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    resize: z.tuple([z.number().int().positive().max(4096), z.number().int().positive().max(4096)]).optional(),
  })
  .strict();

export const buildSettingsSchema = z
  .object({
    phi: z.enum(['fro', 'binary', 'mean', 'max', 'std']).optional(),
    regressor: z.enum(['linear', 'ridge', 'lasso', 'lars', 'mlp', 'logistic', 'svm', 'random-forest']).optional(),
    augment: z.number().min(0).max(1).optional(),
    augmentImages: z.number().int().min(0).max(1_000_000).optional(),
    limit: z.number().int().positive().optional(),
    seed: z.number().int().min(0).optional(),
    evalFraction: z.number().gt(0).lt(1).optional(),
    batchSize: z.number().int().positive().max(4096).optional(),
  })
  .strict();

export const newProjectSchema = z
  .object({
    dir: path,
    modelPath: path,
    dataPath: path,
    preprocessing: preprocessingSchema,
    split: z.enum(['train', 'test']).optional(),
    name: z.string().max(200).optional(),
    /** Layer families whose channels become SCM variables (CLI --node-layers); default conv. */
    nodeLayers: z.array(z.enum(['conv', 'dense'])).min(1).max(2).optional(),
  })
  .strict();

export const previewSchema = newProjectSchema.omit({ dir: true, name: true, nodeLayers: true });

export const interventionSchema = z
  .object({
    layer: layerName,
    channels: z.array(z.number().int().min(0)).min(1).max(100_000),
    kind: z.enum(['zero', 'scale', 'constant']),
    value: finite.optional(),
  })
  .strict()
  .refine((iv) => iv.kind === 'zero' || iv.value !== undefined, { message: 'scale and constant need a value', path: ['value'] });

const evaluateArgs = z
  .object({
    settings: z
      .object({ seeds: z.number().int().min(1).max(100).optional(), curveImages: z.number().int().min(1).max(100_000).optional(), resamples: z.number().int().min(0).max(100_000).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .optional();

export const argsSchemas = {
  'app.info': noArgs,
  'app.pickPath': z.object({ kind: z.enum(['file', 'folder']), title: z.string().max(200).optional() }).strict(),
  'files.list': z.object({ dir: path.optional() }).strict().optional(),
  'projects.setPreprocessing': z.object({ preprocessing: preprocessingSchema }).strict(),
  'projects.preview': previewSchema,
  'projects.create': newProjectSchema,
  'projects.open': z.object({ dir: path }).strict(),
  'projects.openDemo': z.object({ name: z.string().min(1).max(100).optional() }).strict().optional(),
  'projects.recent': noArgs,
  'projects.current': noArgs,
  'projects.close': noArgs,
  'build.start': z.object({ settings: buildSettingsSchema.optional() }).strict().optional(),
  'build.cancel': z.object({ jobId: z.string().min(1).max(100) }).strict(),
  'build.estimate': z.object({ settings: buildSettingsSchema.optional() }).strict().optional(),
  'graph.get': z.object({ topK: z.number().int().min(1).max(64).optional() }).strict().optional(),
  'graph.channel': z.object({ layer: layerName, channel: z.number().int().min(0) }).strict(),
  'query.run': z.object({ interventions: z.array(interventionSchema).max(1000), save: z.boolean().optional(), mode: z.enum(['counterfactual', 'interventional']).optional() }).strict(),
  'query.verify': z.object({ id: z.number().int().positive() }).strict(),
  'interventions.list': noArgs,
  'interventions.undo': noArgs,
  'interventions.redo': noArgs,
  'interventions.apply': z.object({ id: z.number().int().positive().nullable() }).strict(),
  'interventions.delete': z.object({ id: z.number().int().positive() }).strict(),
  'rankings.get': noArgs,
  'rankings.evaluate': evaluateArgs,
  'rankings.estimate': evaluateArgs,
  'compare.get': z.object({ dirs: z.array(path).min(1).max(12) }).strict(),
  ...analysisArgsSchemas,
  ...reportArgsSchemas,
  ...propertiesArgsSchemas,
} as const;
