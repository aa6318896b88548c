/**
 * The g×g grid of image cells that CE maps are computed on. Cell boundaries are round(i·H/g), so
 * sizes differ by at most one pixel when g does not divide the image; every pixel is in one cell.
 * Cells are numbered row-major (cell = row·g + col).
 */
export interface Grid {
  g: number;
  height: number;
  width: number;
  /** Boundaries, g + 1 each: row r spans [rowStarts[r], rowStarts[r+1]). */
  rowStarts: number[];
  colStarts: number[];
  /** For each pixel (y·W + x), its cell. */
  cellOfPixel: Int32Array;
}

export function makeGrid(height: number, width: number, g: number): Grid {
  if (!Number.isInteger(g) || g < 1 || g > Math.min(height, width)) {
    throw new RangeError(`grid size must be an integer from 1 to ${Math.min(height, width)} for ${height}×${width} images, got ${g}`);
  }
  const rowStarts = Array.from({ length: g + 1 }, (_, i) => Math.round((i * height) / g));
  const colStarts = Array.from({ length: g + 1 }, (_, i) => Math.round((i * width) / g));
  const cellOfPixel = new Int32Array(height * width);
  for (let r = 0; r < g; r++)
    for (let y = rowStarts[r]; y < rowStarts[r + 1]; y++)
      for (let c = 0; c < g; c++) for (let x = colStarts[c]; x < colStarts[c + 1]; x++) cellOfPixel[y * width + x] = r * g + c;
  return { g, height, width, rowStarts, colStarts, cellOfPixel };
}

/** Mean of a single-channel H×W map over each cell → g·g values. */
export function cellMeans(map: ArrayLike<number>, grid: Grid): Float64Array {
  const n = grid.g * grid.g;
  const sums = new Float64Array(n);
  const counts = new Float64Array(n);
  for (let p = 0; p < grid.cellOfPixel.length; p++) {
    sums[grid.cellOfPixel[p]] += map[p];
    counts[grid.cellOfPixel[p]]++;
  }
  for (let i = 0; i < n; i++) sums[i] /= counts[i];
  return sums;
}
