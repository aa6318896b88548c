/** Several projects side by side (their stored builds and evaluations). */
import { z } from 'zod';
import type { CompareRow } from '../dto.js';
import { method } from '../feature.js';
import { path } from './common.js';

export const compareMethods = {
  'compare.get': method<CompareRow[]>()(z.object({ dirs: z.array(path).min(1).max(12) }).strict()),
};
