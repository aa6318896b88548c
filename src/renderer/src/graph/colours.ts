/** Colour scales for the graph: diverging around a neutral colour, read from the theme. */

export interface Palette {
  neutral: string;
  positive: string;
  negative: string;
  edgePositive: string;
  edgeNegative: string;
  text: string;
  muted: string;
  layerFill: string;
  layerBorder: string;
  accent: string;
  match: string;
  background: string;
}

export function hexToRgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '').trim();
  const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
  const n = Number.parseInt(full.slice(0, 6), 16);
  return Number.isFinite(n) ? [(n >> 16) & 255, (n >> 8) & 255, n & 255] : [128, 128, 128];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('')}`;
}

export function mix(a: string, b: string, t: number): string {
  const x = hexToRgb(a);
  const y = hexToRgb(b);
  const s = Math.max(0, Math.min(1, t));
  return toHex([x[0] + (y[0] - x[0]) * s, x[1] + (y[1] - x[1]) * s, x[2] + (y[2] - x[2]) * s]);
}

/** t in [−1, 1]: −1 → negative, 0 → neutral, 1 → positive (a square-root ramp shows small values). */
export function diverging(t: number, palette: Palette): string {
  if (!Number.isFinite(t) || t === 0) return palette.neutral;
  const s = Math.sqrt(Math.min(1, Math.abs(t)));
  return mix(palette.neutral, t > 0 ? palette.positive : palette.negative, s);
}

/** The largest |value| in a set of arrays (1 when all are zero, so the scale stays defined). */
export function maxAbs(values: Iterable<number[]>): number {
  let m = 0;
  for (const list of values) for (const v of list) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m || 1;
}

export const lightPalette: Palette = {
  neutral: '#ced4da',
  positive: '#d9480f',
  negative: '#1971c2',
  edgePositive: '#2f9e44',
  edgeNegative: '#c2255c',
  text: '#212529',
  muted: '#868e96',
  layerFill: '#f1f3f5',
  layerBorder: '#adb5bd',
  accent: '#7048e8',
  match: '#f59f00',
  background: '#ffffff',
};

export const darkPalette: Palette = {
  neutral: '#495057',
  positive: '#ff8787',
  negative: '#74c0fc',
  edgePositive: '#69db7c',
  edgeNegative: '#f783ac',
  text: '#e9ecef',
  muted: '#868e96',
  layerFill: '#212529',
  layerBorder: '#495057',
  accent: '#b197fc',
  match: '#ffd43b',
  background: '#141517',
};
