/**
 * Accuracy, mean cross-entropy loss and per-class accuracy from logits, accumulated batch by batch
 * in float64 (log-sum-exp for a stable softmax).
 */
import { rowStats } from '../util/logit-rows.js';

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
