/**
 * How the report writes numbers. Tests format the stored results with these same functions and look
 * for the text in the PDF, so a number reads the same wherever it appears. ASCII minus signs keep
 * the PDF's text searchable and copyable.
 */

const dash = '—';

/** An accuracy (share in [0, 1]) as a percentage: 0.7333 → "73.3%". */
export function pct(x: number | undefined | null, digits = 1): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : dash;
}

/** A difference of accuracies in percentage points: 0.0333 → "3.33 pt". */
export function pts(x: number | undefined | null, digits = 2): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(digits)} pt` : dash;
}

/** Fixed decimals: correlations, areas, R². */
export function fixed(x: number | undefined | null, digits = 3): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : dash;
}

/** Four significant digits, for values of any size (MSE, margins). */
export function sig(x: number | undefined | null, digits = 4): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return dash;
  if (x === 0) return '0';
  const abs = Math.abs(x);
  return abs >= 1e-3 && abs < 1e6 ? Number(x.toPrecision(digits)).toString() : x.toExponential(digits - 1);
}

/** A whole number with thousands separators: 288746 → "288,746". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** An interval: "[0.120, 0.480]". */
export function interval(ci: [number, number] | null | undefined, digits = 3): string {
  return ci ? `[${fixed(ci[0], digits)}, ${fixed(ci[1], digits)}]` : '';
}

/** ISO time as "2025-01-31 14:05 UTC" (a report's readers sit in any time zone). */
export function utc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}
