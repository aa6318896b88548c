/** Colours of the S3 map overlays: a diverging blue–white–red scale on [-1, 1] (CE can be negative). */
export function heatColour(t: number, alpha = 0.55): string {
  const x = Math.max(-1, Math.min(1, t));
  const [r, g, b] = x >= 0 ? [255, Math.round(255 * (1 - x)), Math.round(255 * (1 - x))] : [Math.round(255 * (1 + x)), Math.round(255 * (1 + x)), 255];
  return `rgba(${r}, ${g}, ${b}, ${alpha * Math.abs(x)})`;
}

/** The largest |value| (1 when all are 0), to scale a map to [-1, 1]. */
export function absMax(values: number[]): number {
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
}
