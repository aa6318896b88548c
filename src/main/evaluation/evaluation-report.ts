/** The plain-JSON result of a project evaluation (cached as an artifact; shown by the CLI and the app). */
import type { CriterionName } from './criteria.js';
import type { DropAgreementSummary, MultiFilterResult, MultiFilterSummary } from './surrogate-fidelity.js';
import type { Reliability } from './truth-reliability.js';

export interface MeanSd {
  mean: number;
  sd: number;
}

export interface CriterionSummary {
  name: CriterionName;
  label: string;
  /** Layers where the criterion exists. */
  layers: number;
  /** Mean over layers of the per-layer value. */
  spearman: number;
  kendall: number;
  precisionAt10: number;
  /** Bootstrap 95% percentile interval over channels; null for random (see sd). */
  spearmanInterval: [number, number] | null;
  kendallInterval: [number, number] | null;
  /** Mean over layers of the area under the per-layer curve (higher is better least-first, lower most-first). */
  aucLeastFirst: number;
  aucMostFirst: number;
  /** Area under the global curve (absent where the criterion does not cover the whole pool). */
  globalAucLeastFirst?: number;
  globalAucMostFirst?: number;
  /** Mean over the same layers of the truth's split-half reliability: the ceiling of `spearman`. */
  truthReliability: number;
  /** Random only: standard deviation over seeds of each number above (its most-first curve is its least-first one). */
  sd?: { spearman: number; kendall: number; precisionAt10: number; aucLeastFirst: number; globalAucLeastFirst?: number };
}

export interface LayerCriterion {
  name: CriterionName;
  spearman: number;
  kendall: number;
  precisionAt10: number;
  aucLeastFirst: number;
  aucMostFirst: number;
  /** Accuracy at each point of `removed`. */
  leastFirst: number[];
  mostFirst: number[];
  scores: number[];
}

export interface CurvePair {
  leastFirst: number[];
  mostFirst: number[];
  aucLeastFirst: number;
  aucMostFirst: number;
}

export interface RandomBand {
  spearman: MeanSd;
  kendall: MeanSd;
  precisionAt10: MeanSd;
  auc: MeanSd;
  /** Per point of the curve: mean and sd over seeds. */
  curveMean: number[];
  curveSd: number[];
  /** Per seed: fidelity and area under its (least-first) curve. */
  bySeed: { seed: number; spearman: number; kendall: number; precisionAt10: number; auc: number }[];
}

export interface LayerReport {
  name: string;
  kind: 'conv' | 'merge';
  channels: number;
  /** The ground truth: margin drop (the key), loss change and accuracy drop per channel, and its split-half reliability. */
  truth: { marginDrop: number[]; lossChange: number[]; accuracyDrop: number[]; reliability: Reliability; accuracyKeyReliability: Reliability };
  /** The SCM's predicted drops under do(r_{l,k} = 0). */
  scm: { accuracyDrop: number[]; marginDrop: number[] };
  removed: number[];
  fractionRemoved: number[];
  criteria: LayerCriterion[];
  random: RandomBand;
  /** Curves in the true-ablation order: a reference no single-filter criterion can be expected to beat by much. */
  reference: CurvePair;
}

export interface EvaluationReport {
  images: number;
  curveImages: number;
  groundTruth: string;
  /** Per layer: the truth's split-half reliability (Spearman–Brown corrected); the ceiling of every ρ on that layer. */
  truthReliability: Record<string, number>;
  /** Stratified image groups the reliability's half splits combine. */
  reliabilityGroups: number;
  /** Layers whose truth reliability is below 0.8, one line each. */
  warnings: string[];
  modelAccuracy: number;
  modelLoss: number;
  modelMargin: number;
  scmAccuracy: number;
  criteria: CriterionSummary[];
  reference: { name: 'true-ablation'; aucLeastFirst: number; aucMostFirst: number; globalAucLeastFirst?: number; globalAucMostFirst?: number };
  /**
   * The SCM as a stand-in for the network: its (counterfactual) margin drops against the truth, pooled
   * over filters and per layer, and random k-filter zeroings (SCM vs network) pooled and per layer.
   * Reports stored before issue 12 lack the optional fields and compared accuracy drops.
   */
  surrogate: {
    spearman: number;
    pearson: number;
    filters: number;
    key?: 'margin drop';
    mode?: 'counterfactual' | 'interventional';
    perLayer?: DropAgreementSummary;
    multiFilter: MultiFilterSummary[];
    multiFilterByLayer?: MultiFilterSummary[];
    draws: MultiFilterResult[];
  };
  layers: LayerReport[];
  global?: {
    pool: string;
    filters: number;
    removed: number[];
    fractionRemoved: number[];
    curves: { name: CriterionName | 'true-ablation'; leastFirst: number[]; mostFirst: number[] }[];
    random: { curveMean: number[]; curveSd: number[] };
  };
  notes: string[];
  computeSeconds: number;
}

export function meanSd(values: number[]): MeanSd {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  const sd = finite.length > 1 ? Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / (finite.length - 1)) : 0;
  return { mean, sd };
}
