/**
 * What a do-query reports about the class logits of n rows: accuracy, per-class accuracy, mean
 * softmax probability per class, mean true-class margin (true logit − best other logit).
 */
import { rowStats } from '../util/logit-rows.js';

export interface Outcome {
  n: number;
  accuracy: number;
  perClass: { class: number; n: number; accuracy: number }[];
  meanProbabilities: number[];
  meanMargin: number;
}

export function outcomeOf(logits: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): Outcome {
  const n = labels.length;
  const classN = new Array(numClasses).fill(0);
  const classCorrect = new Array(numClasses).fill(0);
  const probSum = new Array(numClasses).fill(0);
  let correct = 0;
  let marginSum = 0;
  for (let i = 0; i < n; i++) {
    const o = i * numClasses;
    const { argmax, logSumExp } = rowStats(logits, o, numClasses);
    const y = labels[i];
    classN[y]++;
    if (argmax === y) {
      correct++;
      classCorrect[y]++;
    }
    let bestOther = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < numClasses; k++) {
      probSum[k] += Math.exp(logits[o + k] - logSumExp);
      if (k !== y) bestOther = Math.max(bestOther, logits[o + k]);
    }
    marginSum += logits[o + y] - bestOther;
  }
  return {
    n,
    accuracy: n ? correct / n : Number.NaN,
    perClass: classN.map((count, k) => ({ class: k, n: count, accuracy: count ? classCorrect[k] / count : Number.NaN })),
    meanProbabilities: probSum.map((s) => s / n),
    meanMargin: marginSum / n,
  };
}

/** Per-row prediction and probabilities (for per-sample queries). */
export function predictionsOf(logits: ArrayLike<number>, n: number, numClasses: number): { predicted: number; probabilities: number[] }[] {
  return Array.from({ length: n }, (_, i) => {
    const { argmax, logSumExp } = rowStats(logits, i * numClasses, numClasses);
    return {
      predicted: argmax,
      probabilities: Array.from({ length: numClasses }, (_, k) => Math.exp(logits[i * numClasses + k] - logSumExp)),
    };
  });
}
