/**
 * Property audits (S4): gradual property interventions scored by EPGM with a shuffle test. The audit
 * is a worker job the renderer names (progress: `job.progress`, cancel: `jobs.cancel`).
 */
import { z } from 'zod';
import type { ProjectInfo } from '../dto.js';
import { method } from '../feature.js';
import type { PropertyAuditDto, PropertyCurveView, PropertyKindDto } from '../properties.js';
import { jobId, noArgs } from './common.js';

/** "brightness" or "patch:color=ff0000:size=0.25" (see properties.kinds). */
const propertySpec = z.string().min(1).max(200);
const run = { steps: z.number().int().min(2).max(1000).optional(), permutations: z.number().int().min(10).max(100_000).optional() };

export const propertyMethods = {
  'properties.kinds': method<PropertyKindDto[]>()(noArgs),
  'properties.run': method<PropertyAuditDto>()(z.object({ jobId, properties: z.array(propertySpec).min(1).max(8), indices: z.array(z.number().int().min(0)).min(1).max(200), ...run }).strict()),
  'properties.curve': method<PropertyCurveView>()(z.object({ property: propertySpec, index: z.number().int().min(0), ...run }).strict()),
  'properties.openBiasDemo': method<ProjectInfo>()(noArgs),
};
