/**
 * φ values of a set of rows: one n×C float32 matrix per node layer (row-major), the rows' image
 * indices and labels. The logits layer's "φ" is the logits themselves.
 */
export interface PhiTable {
  n: number;
  /** Dataset index of each row's image. */
  indices: number[];
  labels: Int32Array;
  layers: Record<string, Float32Array>;
}

/** Rows of an intervention-augmented pass: the intervened layer, and per row which channels were zeroed. */
export interface AugmentedRows extends PhiTable {
  intervenedLayer: string;
  masks: number[][];
}

/** Concatenates the given layers' columns, row by row: [n, ΣC] row-major float64. */
export function concatColumns(parts: { values: Float32Array | Float64Array; cols: number }[], n: number): Float64Array {
  const total = parts.reduce((s, p) => s + p.cols, 0);
  const out = new Float64Array(n * total);
  let offset = 0;
  for (const part of parts) {
    for (let i = 0; i < n; i++) {
      const src = i * part.cols;
      const dst = i * total + offset;
      for (let k = 0; k < part.cols; k++) out[dst + k] = part.values[src + k];
    }
    offset += part.cols;
  }
  return out;
}

/** Rows `rows` of an n×C matrix. */
export function selectRows(values: Float32Array, cols: number, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => out.set(values.subarray(r * cols, (r + 1) * cols), i * cols));
  return out;
}

/** Appends row blocks of equal width. */
export function stackRows<T extends Float32Array | Float64Array>(blocks: T[], kind: 'f32' | 'f64' = 'f32'): T {
  const length = blocks.reduce((s, b) => s + b.length, 0);
  const out = (kind === 'f64' ? new Float64Array(length) : new Float32Array(length)) as T;
  let offset = 0;
  for (const b of blocks) {
    out.set(b, offset);
    offset += b.length;
  }
  return out;
}
