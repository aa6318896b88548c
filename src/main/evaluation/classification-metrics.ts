/**
 * Accuracy, mean cross-entropy loss and per-class accuracy from logits, accumulated batch by batch
 * in float64 (log-sum-exp for a stable softmax).
 */
export interface ClassMetrics {
  class: number;
  name: string;
  n: number;
  accuracy: number;
}

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  loss: number;
  perClass: ClassMetrics[];
}

export class MetricsAccumulator {
  private n = 0;
  private correct = 0;
  private lossSum = 0;
  private readonly classN: number[];
  private readonly classCorrect: number[];

  constructor(private readonly classNames: string[]) {
    this.classN = classNames.map(() => 0);
    this.classCorrect = classNames.map(() => 0);
  }

  /** `logits` is [labels.length, C] row-major. */
  add(logits: ArrayLike<number>, labels: ArrayLike<number>): void {
    const c = this.classNames.length;
    if (logits.length !== labels.length * c) {
      throw new RangeError(`${logits.length} logits for ${labels.length} labels and ${c} classes`);
    }
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i];
      const { argmax, logSumExp } = rowStats(logits, i * c, c);
      this.n++;
      this.lossSum += logSumExp - logits[i * c + label];
      this.classN[label]++;
      if (argmax === label) {
        this.correct++;
        this.classCorrect[label]++;
      }
    }
  }

  result(): ClassificationMetrics {
    return {
      n: this.n,
      accuracy: this.n ? this.correct / this.n : Number.NaN,
      loss: this.n ? this.lossSum / this.n : Number.NaN,
      perClass: this.classNames.map((name, k) => ({
        class: k,
        name,
        n: this.classN[k],
        accuracy: this.classN[k] ? this.classCorrect[k] / this.classN[k] : Number.NaN,
      })),
    };
  }
}

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
