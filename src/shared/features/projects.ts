/** Projects: preview a model and dataset, create, open (or the demo), close, change preprocessing. */
import { z } from 'zod';
import { nodeLayerFamilies } from '../choices.js';
import type { CreateProjectResult, ProjectInfo, ProjectPreview, RecentProject } from '../dto.js';
import { event, method } from '../feature.js';
import { finite, noArgs, path } from './common.js';

export const preprocessingSchema = z
  .object({
    scale: finite.refine((v) => v > 0, 'must be positive'),
    mean: z.array(finite).min(1).max(4).optional(),
    std: z.array(finite.refine((v) => v > 0, 'must be positive')).min(1).max(4).optional(),
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    resize: z.tuple([z.number().int().positive().max(4096), z.number().int().positive().max(4096)]).optional(),
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
    nodeLayers: z.array(z.enum(nodeLayerFamilies)).min(1).max(2).optional(),
  })
  .strict();

export const previewSchema = newProjectSchema.omit({ dir: true, name: true, nodeLayers: true });

export const projectMethods = {
  /** Changes the open project's preprocessing; its build is set aside (build again). */
  'projects.setPreprocessing': method<ProjectInfo>()(z.object({ preprocessing: preprocessingSchema }).strict()),
  'projects.preview': method<ProjectPreview>()(previewSchema),
  'projects.create': method<CreateProjectResult>()(newProjectSchema),
  'projects.open': method<ProjectInfo>()(z.object({ dir: path }).strict()),
  'projects.openDemo': method<ProjectInfo>()(z.object({ name: z.string().min(1).max(100).optional() }).strict().optional()),
  'projects.recent': method<RecentProject[]>()(noArgs),
  'projects.current': method<ProjectInfo | null>()(noArgs),
  'projects.close': method<null>()(noArgs),
};

export const projectEvents = {
  /** The open project changed (opened, closed, rebuilt), possibly from another window. */
  'project.changed': event<ProjectInfo | null>(),
};
