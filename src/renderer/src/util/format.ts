/** Readable numbers: percentages, percentage-point changes, durations, counts, significant digits. */

const dash = '—';
const minus = '−';

function signed(text: string, x: number): string {
  return x > 0 ? `+${text}` : x < 0 ? `${minus}${text}` : text;
}

/** 0.8125 → "81.3%" (fractions in, one decimal by default). */
export function percent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return dash;
  return `${(x * 100).toFixed(digits)}%`;
}

/** Change between two fractions in percentage points: "−12.5 pp", "+0.8 pp", "0.0 pp". */
export function points(after: number | null | undefined, before: number | null | undefined, digits = 1): string {
  if (after === null || after === undefined || before === null || before === undefined || !Number.isFinite(after - before)) return dash;
  const d = (after - before) * 100;
  const text = `${Math.abs(d).toFixed(digits)} pp`;
  return Number(Math.abs(d).toFixed(digits)) === 0 ? `${(0).toFixed(digits)} pp` : signed(text, d);
}

/** A fraction as signed percentage points: 0.04 → "+4.0 pp". */
export function pointsOf(x: number | null | undefined, digits = 1): string {
  return points(x, 0, digits);
}

/** A minute or more, roughly: "6 min", "1.5 h" (ETAs and the estimates before a build or an evaluation). */
export function roughly(seconds: number): string {
  return seconds < 3600 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;
}

/** An ETA as people say it: "a few seconds left", "about 40 s left", "about 6 min left". */
export function remaining(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return dash;
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 60) return `about ${Math.round(seconds / 5) * 5} s left`;
  return `about ${roughly(seconds)} left`;
}

/** Seconds as "45 s", "2 min 05 s", "1 h 02 min"; below 10 s one decimal. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return dash;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** 5514 → "5,514". */
export function count(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return dash;
  return Math.round(n).toLocaleString('en-US');
}

/** `digits` significant digits without exponent for everyday magnitudes: 0.0012345 → "0.00123". */
export function sig(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return dash;
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-4) return x.toExponential(digits - 1).replace('-', minus);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  const text = abs.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return x < 0 ? `${minus}${text}` : text;
}

/** A do-intervention as people write it: "conv2: 1, 4, 7 = 0", "conv2: 3 × 0.5", "conv2: 3 := 2". */
export function interventionLabel(iv: { layer: string; channels: number[]; kind: string; value?: number }): string {
  const channels = compactRanges(iv.channels);
  const v = iv.value ?? Number.NaN;
  // Values the user typed: shown as typed (0.5, not 0.500), negative with a real minus.
  const typed = Number.isFinite(v) ? String(Number(v.toPrecision(4))).replace('-', minus) : dash;
  const value = iv.kind === 'zero' ? '= 0' : iv.kind === 'scale' ? `× ${typed}` : `:= ${typed}`;
  return `${iv.layer}: ${channels} ${value}`;
}

/** [1,2,3,7,9,10] → "1–3, 7, 9–10". */
export function compactRanges(values: number[]): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i + 1 ? `${sorted[i]}–${sorted[j]}` : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * The model file as the header names it: "lenet.h5", "vgg_bn" (a tfjs folder), or the folder
 * beside a bare "model.json" ("lenet5/model.json"): the network's own name is often just "model".
 */
export function modelFileLabel(path: string): string {
  const parts = path.replace(/[\\/]+$/, '').split(/[\\/]/);
  const base = parts.at(-1) ?? path;
  return /^model\.json$/i.test(base) && parts.length > 1 ? `${parts.at(-2)}/${base}` : base;
}

/**
 * A permutation p-value: below the test's resolution (1 / permutations) it is "< 0.001", never "0"
 * (no shuffle was as extreme, which bounds p, it does not make it zero).
 */
export function pValue(p: number | null | undefined, permutations: number): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return dash;
  const floor = 1 / Math.max(1, permutations);
  return p < floor ? `< ${+floor.toPrecision(2)}` : sig(p);
}
