/**
 * Observed φ as the SCM sees it: for binary φ the stored Frobenius norms are thresholded at the
 * training rows' μ + σ per channel; logits stay continuous.
 */
import { binarize } from '../engine/phi.js';
import type { PhiTable } from './phi-table.js';

export function toScmSpace<T extends PhiTable>(table: T, thresholds: Record<string, number[]> | undefined): T {
  if (!thresholds) return table;
  return {
    ...table,
    layers: Object.fromEntries(
      Object.entries(table.layers).map(([name, values]) => {
        const th = thresholds[name];
        return [name, th ? binarize(values, th.length, Float64Array.from(th), new Float64Array(th.length)) : values];
      }),
    ),
  };
}
