/** Interventions on filters: SCM queries, their check against the real network, and their history. */
import { z } from 'zod';
import { interventionKindNames, queryModeNames } from '../choices.js';
import type { HistoryEntry, HistoryState, QueryResult } from '../dto.js';
import { event, method } from '../feature.js';
import { finite, layerName, noArgs } from './common.js';

export const interventionSchema = z
  .object({
    layer: layerName,
    channels: z.array(z.number().int().min(0)).min(1).max(100_000),
    kind: z.enum(interventionKindNames),
    value: finite.optional(),
  })
  .strict()
  .refine((iv) => iv.kind === 'zero' || iv.value !== undefined, { message: 'scale and constant need a value', path: ['value'] });

const historyId = z.number().int().positive();

export const interventionMethods = {
  'query.run': method<QueryResult>()(z.object({ interventions: z.array(interventionSchema).max(1000), save: z.boolean().optional(), mode: z.enum(queryModeNames).optional() }).strict()),
  'query.verify': method<HistoryEntry>()(z.object({ id: historyId }).strict()),
  'interventions.list': method<HistoryState>()(noArgs),
  'interventions.undo': method<HistoryState>()(noArgs),
  'interventions.redo': method<HistoryState>()(noArgs),
  'interventions.apply': method<HistoryState>()(z.object({ id: historyId.nullable() }).strict()),
  'interventions.delete': method<HistoryState>()(z.object({ id: historyId }).strict()),
};

export const interventionEvents = {
  'history.changed': event<HistoryState>(),
};
