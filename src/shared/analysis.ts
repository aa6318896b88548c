/**
 * The result shapes of the pixel-effects (S3) and explanatory-graph (S2) features; the methods are declared in features/pixel-effects.ts and features/explain.ts. Result types
 * name only what the renderer reads (the services return supersets of them).
 */
export interface ImageThumbs {
  /** Held-out images of the project's build (all images before any build). */
  total: number;
  heldOut: boolean;
  classNames: string[];
  /** Each image with its true class and the network's prediction. */
  images: { index: number; label: number; predicted: number; png: string }[];
}

export interface CemapVariantDto {
  png: string;
  predicted: number;
  probabilities: number[];
  ce: number[];
  gradcam: number[];
  gradcamSpearman: number | null;
  statistics: Record<string, number>;
}

export interface CurveDto {
  fractions?: number[];
  deletion: number[];
  insertion: number[];
  deletionAuc: number;
  insertionAuc: number;
}

export interface CemapImageResult {
  index: number;
  label: number;
  classNames: string[];
  height: number;
  width: number;
  settings: { grid: number; fill: string; layer: string };
  clean: CemapVariantDto & { curves: { ce: CurveDto; gradcam: CurveDto; random: CurveDto; fractions?: number[] } };
  adversarial?: CemapVariantDto & { success: boolean; linf: number; attack: { attack: string; eps: number } };
}

export interface AdversarialResult {
  n: number;
  cleanCorrect: number;
  successes: number;
  attackSuccess: number | null;
  auroc: Record<string, number | null>;
  roc: Record<string, { fpr: number; tpr: number }[]>;
  /** CE statistics beside the confidence baselines, with the plain-words verdict (issue 16). */
  detection?: {
    scores: { name: string; label: string; family: 'causal-effect' | 'baseline'; oneSided: { estimate: number | null } }[];
    primary: { verdict: string; sentence: string };
    oneSidedPrimary: { verdict: string; sentence: string };
  };
  seconds: number;
}

export interface ExplainGraphResult {
  class: number;
  className: string;
  classNode: string;
  nodes: { layer: string; channel: number; effect: number }[];
  edges: { from: string; to: string; effect: number }[];
  images: number;
  stability: { jaccard: number | null; spearman: number | null; baselines: { name: string; jaccard: number | null; spearman: number | null }[] };
  faithfulness: {
    sufficiency: number;
    necessity: number;
    base: { probability: number; accuracy: number };
    baselines: { name: string; sufficiency: number; necessity: number }[];
  };
  /** The graph beside Grad-CAM's channels in plain words (issue 16; absent in older stored graphs). */
  rivals?: { measure: string; verdict: string; sentence: string }[];
  seconds: number;
  cached: boolean;
}

/** An accuracy's change on the same images, after − before (METHODS §3, the repair). */
export interface PairedAccuracyChange {
  difference: number;
  /** Newcombe's paired 95% interval of the difference (method 10). */
  interval: [number, number];
  /** Exact McNemar p-value from the discordant images. */
  p: number;
  /** Images correct both times, only before, only after, neither time. */
  counts: { both: number; beforeOnly: number; afterOnly: number; neither: number };
}

export interface ExplainRepairResult {
  className: string;
  feature: string;
  removed: { id: string }[];
  before: { aligned: number; conflicting: number };
  after: { aligned: number; conflicting: number };
  /** Held-out images each accuracy is measured on. */
  images: number;
  /** Wilson 95% intervals of the four accuracies. */
  intervals: { before: { aligned: [number, number]; conflicting: [number, number] }; after: { aligned: [number, number]; conflicting: [number, number] } };
  /** The paired change of each accuracy (null for a repair stored before per-image outcomes were kept). */
  change: { aligned: PairedAccuracyChange; conflicting: PairedAccuracyChange } | null;
  /** The result in one sentence of plain words. */
  sentence: string;
}

export interface ExplainComparison {
  classes: [number, number];
  jaccard: number;
  shared: string[];
  onlyFirst: string[];
  onlySecond: string[];
}
