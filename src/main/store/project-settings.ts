/**
 * A project's settings: what the user chose when creating or editing the project. Validated when
 * written and again when read (the file may come from another version or have been edited by hand).
 */
import { z } from 'zod';
import type { Preprocessing } from '../data/preprocessing.js';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positive = finite.refine((v) => v > 0, 'must be positive');

export const preprocessingSchema = z.object({
  scale: positive,
  mean: z.array(finite).min(1).optional(),
  std: z.array(positive).min(1).optional(),
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  resize: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
});

export const projectSettingsSchema = z.object({
  /** A model file, a tfjs model.json, or the folder holding it. */
  modelPath: z.string().min(1),
  /** A dataset file or folder (CIFAR-10 binary, IDX, image folder). */
  dataPath: z.string().min(1),
  preprocessing: preprocessingSchema,
  split: z.enum(['train', 'test']).optional(),
  name: z.string().optional(),
  /** Layer families that become SCM node layers besides merges and logits (default ['conv']) [ours]. */
  nodeLayers: z.array(z.enum(['conv', 'dense'])).min(1).optional(),
  /** The Causeway version that created the project. */
  createdWith: z.string().min(1),
});

export type ProjectSettings = z.infer<typeof projectSettingsSchema>;

// The stored preprocessing must stay usable as the data layer's Preprocessing.
type Assignable<T extends U, U> = T;
export type _PreprocessingMatches = Assignable<ProjectSettings['preprocessing'], Preprocessing>;
