/** One row of logits: its argmax and log Σ exp (the SCM's outcome, the evaluation's metrics and the preview share it). */
/** argmax (first on ties) and log Σ exp of one row of logits. */
export function rowStats(logits: ArrayLike<number>, offset: number, c: number): { argmax: number; logSumExp: number } {
  let argmax = 0;
  let max = logits[offset];
  for (let k = 1; k < c; k++) {
    if (logits[offset + k] > max) {
      max = logits[offset + k];
      argmax = k;
    }
  }
  let sum = 0;
  for (let k = 0; k < c; k++) sum += Math.exp(logits[offset + k] - max);
  return { argmax, logSumExp: max + Math.log(sum) };
}
