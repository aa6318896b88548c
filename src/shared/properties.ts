/**
 * The contract of the S4 properties panel: the property kinds, an audit of chosen images as a worker
 * job (the renderer names the job so it can cancel it and follow `properties.progress`), one image's
 * curve with its band of shuffled curves, and the "bias audit" demo. Merged into contract.ts/schemas.ts.
 */
import { z } from 'zod';
import type { ProjectInfo } from './dto.js';

const jobId = z.string().min(1).max(100);
/** "brightness" or "patch:color=ff0000:size=0.25" (see propertyKinds). */
const propertySpec = z.string().min(1).max(200);
const run = { steps: z.number().int().min(2).max(1000).optional(), permutations: z.number().int().min(10).max(100_000).optional() };

export const propertiesArgsSchemas = {
  'properties.kinds': z.object({}).strict().optional(),
  'properties.run': z.object({ jobId, properties: z.array(propertySpec).min(1).max(8), indices: z.array(z.number().int().min(0)).min(1).max(200), ...run }).strict(),
  'properties.cancel': z.object({ jobId }).strict(),
  'properties.curve': z.object({ property: propertySpec, index: z.number().int().min(0), ...run }).strict(),
  'properties.openBiasDemo': z.object({}).strict().optional(),
} as const;

export interface PropertyParamDto {
  name: string;
  type: 'number' | 'color' | 'choice';
  default: number | string;
  description: string;
  min?: number;
  max?: number;
  integer?: boolean;
  choices?: string[];
}

export interface PropertyKindDto {
  name: string;
  description: string;
  params: PropertyParamDto[];
}

export interface PropertyImageDto {
  index: number;
  label?: number;
  class: number;
  epgm: number;
  p: number;
  rho: number;
  flips: number;
}

export interface PropertyGroupDto {
  name: string;
  class: number;
  className: string;
  summary: { n: number; alpha: number; medianEpgm: number; shareSignificant: number; shareLarge: number; largeCutoff: number };
  images: PropertyImageDto[];
}

export interface PropertyAuditDto {
  properties: PropertyGroupDto[];
  steps: number;
  permutations: number;
  alpha: number;
  classNames: string[];
  seconds: number;
}

export interface PropertyCurveView {
  property: string;
  index: number;
  className: string;
  t: number[];
  y: number[];
  band: { lower: number[]; upper: number[] };
  epgm: number;
  p: number;
  rho: number;
  flips: number;
  significant: boolean;
}

export interface PropertiesProgressEvent {
  jobId: string;
  stage: string;
  done: number;
  total: number;
}

export interface PropertiesResults {
  'properties.kinds': PropertyKindDto[];
  'properties.run': PropertyAuditDto;
  'properties.cancel': { cancelled: boolean };
  'properties.curve': PropertyCurveView;
  'properties.openBiasDemo': ProjectInfo;
}
