/** Schema pieces several features share. */
import { z } from 'zod';

export const finite = z.number().refine(Number.isFinite, 'must be a finite number');
export const path = z.string().min(1, 'must not be empty').max(4096);
export const layerName = z.string().min(1).max(200);
/** A job id the renderer chooses, so it can follow and cancel the job before the call returns. */
export const jobId = z.string().min(1).max(100);
export const noArgs = z.object({}).strict().optional();
