/**
 * Input checks shared by every regressor: shapes, finite values (the error names the matrix, row and
 * column), enough rows, 0/1 targets for the binary models.
 */
import type { DenseMatrix, RegressorKind } from './types.js';

export function checkMatrix(name: string, M: DenseMatrix): void {
  if (typeof M !== 'object' || M === null) throw new TypeError(`${name} must be a { rows, cols, data } matrix`);
  if (!Number.isInteger(M.rows) || M.rows < 0 || !Number.isInteger(M.cols) || M.cols < 1) {
    throw new RangeError(`${name} has a bad shape ${String(M.rows)}×${String(M.cols)}`);
  }
  if (!(M.data instanceof Float64Array || M.data instanceof Float32Array)) {
    throw new TypeError(`${name}.data must be a Float64Array or Float32Array`);
  }
  if (M.data.length !== M.rows * M.cols) {
    throw new RangeError(`${name} has ${M.data.length} values for its ${M.rows}×${M.cols} shape`);
  }
  const d = M.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const row = Math.floor(i / M.cols);
      const col = i % M.cols;
      throw new RangeError(`${name} has a non-finite value (${d[i]}) at row ${row}, column ${col}`);
    }
  }
}

/** Checks a training pair; returns n, p, q. */
export function checkFitInput(X: DenseMatrix, Y: DenseMatrix, kind: RegressorKind): { n: number; p: number; q: number } {
  checkMatrix('X', X);
  checkMatrix('Y', Y);
  if (X.rows !== Y.rows) throw new RangeError(`X has ${X.rows} rows but Y has ${Y.rows}`);
  if (X.rows < 2) throw new RangeError(`fitting needs at least 2 rows, got ${X.rows}`);
  if (kind === 'binary') {
    const d = Y.data;
    for (let i = 0; i < d.length; i++) {
      if (d[i] !== 0 && d[i] !== 1) {
        throw new RangeError(`Y must hold 0/1 labels for a binary regressor; row ${Math.floor(i / Y.cols)}, column ${i % Y.cols} is ${d[i]}`);
      }
    }
  }
  return { n: X.rows, p: X.cols, q: Y.cols };
}

export function checkPredictInput(X: DenseMatrix, p: number): void {
  checkMatrix('X', X);
  if (X.cols !== p) throw new RangeError(`X has ${X.cols} columns but the model was fitted on ${p}`);
}

/** Per-column constant value (0/1) of a binary Y, or null where the column has both labels. */
export function constantColumns(Y: DenseMatrix): (0 | 1 | null)[] {
  const { rows: n, cols: q, data } = Y;
  const out: (0 | 1 | null)[] = [];
  for (let k = 0; k < q; k++) {
    const first = data[k];
    let constant = true;
    for (let i = 1; i < n && constant; i++) if (data[i * q + k] !== first) constant = false;
    out.push(constant ? (first === 1 ? 1 : 0) : null);
  }
  return out;
}

export function notFitted(name: string): Error {
  return new Error(`the ${name} regressor is not fitted yet: call fit() or restoreRegressor() first`);
}
