/**
 * The contract of the S3 (pixel causal effect) and S2 (explanatory graph) panels: argument schemas,
 * results and the progress event. Merged into contract.ts/schemas.ts; the long methods run as worker
 * jobs whose id the renderer chooses, so it can cancel them and follow `analysis.progress`.
 * Result types name only what the renderer reads (the services return supersets of them).
 */
import { z } from 'zod';

const jobId = z.string().min(1).max(100);
const attack = z.object({ attack: z.enum(['fgsm', 'pgd']), eps: z.number().gt(0).max(255), steps: z.number().int().min(1).max(100).optional() }).strict();
const cemapSettings = z
  .object({
    grid: z.number().int().min(2).max(64).optional(),
    fill: z.enum(['zero', 'mean', 'blur']).optional(),
    images: z.number().int().min(1).max(10_000).optional(),
    seed: z.number().int().min(0).optional(),
  })
  .strict();
const graphSettings = z
  .object({
    k: z.number().int().min(1).max(64).optional(),
    images: z.number().int().min(1).max(10_000).optional(),
    bootstrap: z.number().int().min(0).max(100).optional(),
    noiseRepeats: z.number().int().min(0).max(100).optional(),
    randomSeeds: z.number().int().min(1).max(100).optional(),
    candidates: z.number().int().min(0).max(1024).optional(),
  })
  .strict();
const classRef = z.number().int().min(0).max(100_000);

export const analysisArgsSchemas = {
  'cemap.images': z.object({ offset: z.number().int().min(0), count: z.number().int().min(1).max(200) }).strict(),
  'cemap.image': z.object({ jobId, index: z.number().int().min(0), settings: cemapSettings.optional(), attack: attack.optional() }).strict(),
  'cemap.adversarial': z.object({ jobId, settings: cemapSettings.optional(), attack }).strict(),
  'explain.run': z.object({ jobId, class: classRef, settings: graphSettings.optional() }).strict(),
  'explain.cached': z.object({ class: classRef, settings: graphSettings.optional() }).strict(),
  'explain.compare': z.object({ classes: z.tuple([classRef, classRef]), settings: graphSettings.optional() }).strict(),
  /** The repair experiment (METHODS §3) as a job: `feature` is a property spec at full strength (default the demo's patch). */
  'explain.repair': z.object({ jobId, class: classRef, feature: z.string().min(1).max(200).optional(), settings: graphSettings.optional() }).strict(),
  'analysis.cancel': z.object({ jobId }).strict(),
} as const;

export type CemapSettingsArgs = z.input<typeof cemapSettings>;
export type AttackArgs = z.input<typeof attack>;
export type GraphSettingsArgs = z.input<typeof graphSettings>;

export interface AnalysisProgressEvent {
  jobId: string;
  stage: string;
  done: number;
  total: number;
  elapsedSeconds: number;
  /** The whole job across its stages (one bar that never goes back), when its stages are known. */
  overall?: { fraction: number; etaSeconds?: number };
}

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

export interface AnalysisResults {
  'cemap.images': ImageThumbs;
  'cemap.image': CemapImageResult;
  'cemap.adversarial': AdversarialResult;
  'explain.run': ExplainGraphResult & { repair: ExplainRepairResult | null };
  /** Null when this class's graph has not been computed with these settings. */
  'explain.cached': (ExplainGraphResult & { repair: ExplainRepairResult | null }) | null;
  /** Null unless both graphs are cached. */
  'explain.compare': ExplainComparison | null;
  'explain.repair': ExplainRepairResult;
  'analysis.cancel': { cancelled: boolean };
}
