import type { ScmFidelityDto } from './fidelity.js';

/**
 * The plain-JSON shapes that cross the API (no Map, Date, TypedArray). Numbers are raw: accuracies
 * are fractions in [0, 1], times are seconds; the renderer formats them.
 */
import type { z } from 'zod';
import type { BuildSettingsDto } from './features/build.js';
import type { appEvaluationSettingsSchema } from './features/rankings.js';

export interface PreprocessingDto {
  /** Multiplies the raw 0–255 pixel: 1/255 → [0, 1], 1 → raw. */
  scale: number;
  mean?: number[];
  std?: number[];
  channels?: 1 | 3;
  resize?: [number, number];
}

export interface DemoInfo {
  name: string;
  title: string;
}

export interface AppInfo {
  version: string;
  /** The TensorFlow.js backend that runs the network, and why (the faster ones that did not). */
  backend: string;
  backendReason: string;
  userDataDir: string;
  demos: DemoInfo[];
  /** The host can show native file pickers (Electron); otherwise the renderer asks for typed paths. */
  canPickPaths: boolean;
  /** The evaluation service (criteria, fidelity, ablation curves) is available to rankings.get. */
  evaluationAvailable: boolean;
}

export interface NodeLayerDto {
  name: string;
  kind: 'conv' | 'merge' | 'dense' | 'logits';
  channels: number;
  shape: number[];
  parents: string[];
}

export interface LayerFitDto {
  name: string;
  channels: number;
  regressor: string;
  trainRows: number;
  avgMse: number;
  maxMse: number;
  avgR2: number;
  minR2: number;
  avgAccuracy?: number;
  minAccuracy?: number;
}

export interface ValidationDto {
  /** The network's accuracy on the held-out evaluation images. */
  modelAccuracy: number;
  /** The SCM's accuracy by forward chaining from the exogenous layers. */
  scmAccuracy: number;
  scmAccuracyTeacherForced: number;
  evaluationImages: number;
}

export interface BuildInfo {
  /** Identifies this build (its equations' cache key): a new key means a new causal model. */
  key: string;
  settings: BuildSettingsDto;
  validation: ValidationDto;
  layers: LayerFitDto[];
  rankingsReady: boolean;
  /** The SCM's measured fidelity to the network, shown beside every SCM number (src/shared/fidelity.ts). */
  fidelity: ScmFidelityDto;
}

/** Build settings as the user gives them (every field optional; defaults filled in main). */
export type { BuildSettingsDto } from './features/build.js';

export type PipelineStep = 'load' | 'phi' | 'augmentation' | 'fitting' | 'validation' | 'evaluation';

export const pipelineSteps: readonly PipelineStep[] = ['load', 'phi', 'augmentation', 'fitting', 'validation', 'evaluation'];

/** The pipeline's jobs: one at a time, ended by job.done or job.failed. */
export type PipelineJobKind = 'build' | 'evaluate';
/** The lenses' jobs: named by the renderer, their result is the answer of the method that started them. */
export type LensJobKind = 'pixel-effects' | 'adversarial' | 'explain' | 'repair' | 'properties';
export type JobKind = PipelineJobKind | LensJobKind;

export interface JobInfo {
  jobId: string;
  kind: PipelineJobKind;
  startedAt: string;
  /** The latest progress (absent until the job reports). */
  progress: JobProgressEvent | null;
}

/**
 * Progress of any job (`job.progress`): a pipeline job's carries its pipeline step (the row it moves)
 * and, as `jobStep`, the job's own typed step (e.g. 'true ablation' under the row 'evaluation'); a
 * lens job's carries its job's typed step.
 */
export type JobProgressEvent = JobProgressFields & ({ kind: PipelineJobKind; step: PipelineStep; jobStep?: string } | { kind: LensJobKind; step?: string });

interface JobProgressFields {
  jobId: string;
  /** The stage in words, e.g. "augmentation (conv2)". */
  stage: string;
  done: number;
  total: number;
  etaSeconds?: number;
  /** Seconds in this stage. */
  elapsedSeconds: number;
  /** Seconds since the job started. */
  jobSeconds?: number;
  /** The whole job across its stages: one bar and one ETA (see src/main/jobs/overall-progress.ts). */
  overall?: OverallProgressDto;
}

export interface BuildEstimate {
  /** Expected seconds (every stage computed afresh: a resumed or cached build is quicker). */
  seconds: number;
  /** Where the pace comes from: this project's last build, or a forward pass timed now. */
  basis: 'last build' | 'last evaluation' | 'timed forward pass';
}

export interface OverallProgressDto {
  /** Share of the job's estimated work done, in [0, 1]; never decreases within a job. */
  fraction: number;
  etaSeconds?: number;
}

export interface JobDoneEvent {
  jobId: string;
  kind: PipelineJobKind;
  /** The project's build after the job (a build job's result; unchanged by an evaluation). */
  build: BuildInfo;
  seconds: number;
}

export interface JobFailedEvent {
  jobId: string;
  kind: PipelineJobKind;
  cancelled: boolean;
  message: string;
}

export interface ProjectInfo {
  dir: string;
  name: string;
  modelPath: string;
  dataPath: string;
  preprocessing: PreprocessingDto;
  modelName: string;
  inputShape: number[];
  params: number;
  numClasses: number;
  classNames: string[];
  datasetImages: number;
  nodeLayers: NodeLayerDto[];
  build: BuildInfo | null;
  job: JobInfo | null;
  interventionCount: number;
  /** Layer families whose channels are SCM variables besides merges and logits (conv; conv + dense). */
  nodeLayerFamilies: string[];
  /** Which forward engine computed the stored results (engine-use.ts), most used first. */
  engines: EngineUseDto[];
}

export interface EngineUseDto {
  /** 'ort', 'tfjs' or 'unrecorded' (results stored before engines were recorded). */
  engine: string;
  /** "ONNX Runtime", "TensorFlow.js", … */
  label: string;
  /** What it computed, e.g. "SCM build", "evaluation". */
  results: string[];
}

export interface RecentProject {
  dir: string;
  name: string;
  openedAt: string;
  exists: boolean;
}

export interface PreviewImage {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  /** A PNG data URL of the image as stored (before preprocessing). */
  png: string;
}

export interface PreprocessingSuggestion {
  label: string;
  preprocessing: PreprocessingDto;
  accuracy: number;
}

export interface ProjectPreview {
  modelName: string;
  datasetImages: number;
  classNames: string[];
  images: PreviewImage[];
  /** Accuracy of the model on a small stratified sample, with the chosen preprocessing. */
  sampleSize: number;
  sampleAccuracy: number;
  /** 1 / number of classes. */
  chance: number;
  /** Set when the sample accuracy is near chance: the preprocessing is probably wrong. */
  warning: string | null;
  /** Other common preprocessings that do clearly better on the same sample, best first. */
  suggestions: PreprocessingSuggestion[];
}

export interface CreateProjectResult {
  project: ProjectInfo;
  preview: ProjectPreview;
}

/** Edges in columns: edge i goes from (fromLayer[i], fromChannel[i]) to (toLayer[i], toChannel[i]). */
export interface GraphEdgesDto {
  fromLayer: number[];
  fromChannel: number[];
  toLayer: number[];
  toChannel: number[];
  /** The structural-equation coefficient in φ units. */
  weight: number[];
  /** |coefficient| · σ(parent) / σ(child): comparable across layers (standardized effect). */
  strength: number[];
}

export interface GraphLayerDto extends NodeLayerDto {
  exogenous: boolean;
  fit: { avgR2: number; avgMse: number } | null;
}

export interface GraphDto {
  phi: string;
  regressor: string;
  layers: GraphLayerDto[];
  /** 'linear': edges are coefficients; 'none': the equations have no per-edge weight (random forest). */
  edgeKind: 'linear' | 'none';
  /** The strongest `topK` parents of every child channel. */
  topK: number;
  edges: GraphEdgesDto;
  /** SCM importance per layer and channel (counterfactual drop in mean true-class margin), when rankings are computed. */
  importance: Record<string, number[]> | null;
}

export interface EdgeRef {
  layer: string;
  channel: number;
  weight: number;
  strength: number;
}

export interface ChannelDetail {
  layer: string;
  channel: number;
  phi: { mean: number; std: number; min: number; max: number; histogram: number[] };
  importance: { importance: number; marginDrop: number; accuracyDrop: number; rank: number; of: number } | null;
  parents: EdgeRef[];
  children: EdgeRef[];
}

export interface InterventionDto {
  layer: string;
  channels: number[];
  kind: 'zero' | 'scale' | 'constant';
  value?: number;
}

export interface ClassResultDto {
  class: number;
  n: number;
  accuracy: number;
  baseline: number;
}

export interface ScmResultDto {
  /**
   * counterfactual (each image keeps its abducted noise; the default) or interventional (population
   * answer). Absent on history entries saved before counterfactuals existed: those were interventional.
   */
  mode?: 'counterfactual' | 'interventional';
  /** What the mode means, shown beside the numbers. */
  modeDescription?: string;
  n: number;
  accuracy: number;
  baselineAccuracy: number;
  perClass: ClassResultDto[];
  meanMargin: number;
  affectedLayers: string[];
  /** Per affected layer and channel: shift of the mean φ, in units of the channel's std. */
  channelEffects: Record<string, number[]>;
}

export interface RealResultDto {
  n: number;
  accuracy: number;
  baselineAccuracy: number;
  perClass: ClassResultDto[];
  meanMargin: number;
  seconds: number;
}

export interface HistoryEntry {
  id: number;
  createdAt: string;
  interventions: InterventionDto[];
  scm: ScmResultDto;
  real: RealResultDto | null;
}

export interface HistoryState {
  entries: HistoryEntry[];
  /** The intervention in effect (null: none, the observed network). */
  currentId: number | null;
  canUndo: boolean;
  canRedo: boolean;
}

export interface QueryResult {
  scm: ScmResultDto;
  /** The history after saving (null for a preview that was not saved). */
  history: HistoryState | null;
}

export interface RankedChannelDto {
  channel: number;
  /** The ordering key: the SCM's counterfactual drop in mean true-class margin under do(r = 0). */
  importance: number;
  marginDrop: number;
  /** The SCM's accuracy drop (a fraction), beside the key. */
  accuracyDrop: number;
  rank: number;
}

/** One criterion's fidelity to true single-filter ablation, averaged over layers (METHODS §2). */
export interface CriterionFidelityDto {
  name: string;
  label: string;
  layers: number;
  spearman: number;
  kendall: number;
  precisionAt10: number;
  spearmanInterval: [number, number] | null;
  aucLeastFirst: number;
  aucMostFirst: number;
  /** Random criterion only: standard deviation over seeds. */
  spearmanSd?: number;
  /** Mean over the same layers of the truth's split-half reliability: the ceiling of `spearman`. */
  truthReliability: number;
}

export interface LayerCurvesDto {
  name: string;
  fractionRemoved: number[];
  /** Accuracy after removing that share of filters, least important first, per criterion. */
  curves: { name: string; leastFirst: number[]; mostFirst: number[] }[];
  /** The true-ablation order (reference) and random (mean over seeds). */
  reference: number[];
  random: number[];
  /** Per criterion: Spearman ρ with the true ablation ranking in this layer. */
  spearman: { name: string; value: number }[];
  /** The truth's split-half reliability in this layer (Spearman–Brown): the ceiling of every ρ here. */
  truthReliability: number;
}

/** The evaluation service's report, as the rankings view shows it. */
export interface EvaluationDto {
  images: number;
  curveImages: number;
  groundTruth: string;
  modelAccuracy: number;
  scmAccuracy: number;
  criteria: CriterionFidelityDto[];
  surrogate: { spearman: number; pearson: number; filters: number; multiFilter: { k: number; scmAccuracy: number; realAccuracy: number; meanAbsoluteError: number }[] };
  layers: LayerCurvesDto[];
  /** Layers whose truth reliability is below 0.8, one line each. */
  warnings: string[];
  notes: string[];
  computeSeconds: number;
}

/** The settings the app's Evaluate button may give (declared in features/rankings.ts). */
export type EvaluationSettingsDto = z.input<typeof appEvaluationSettingsSchema>;

export interface RankingsDto {
  status: 'ready' | 'missing';
  layers: { name: string; channels: RankedChannelDto[] }[];
  /** The evaluation service's last report for this build (criteria, fidelity, ablation curves), if run. */
  evaluation: EvaluationDto | null;
  evaluationNote: string;
}

export interface CompareRow {
  dir: string;
  name: string;
  /** Set when the project could not be read or has no build; the other fields are then empty. */
  problem: string | null;
  modelName: string;
  nodeLayers: number;
  channels: number;
  phi: string;
  regressor: string;
  validation: ValidationDto | null;
  layers: { name: string; channels: number; avgR2: number; avgMse: number }[];
  /**
   * The stored evaluation of this build (null when not evaluated): each ranking criterion's mean
   * Spearman ρ with true single-filter ablation over layers, with its 95% bootstrap interval (random:
   * the sd over seeds instead).
   */
  fidelity: { images: number; criteria: { name: string; label: string; spearman: number; interval: [number, number] | null; sd: number | null }[] } | null;
}

export interface PickPathArgs {
  kind: 'file' | 'folder';
  title?: string;
}

/** A folder the web mode's file browser starts from. */
export interface FileRoot {
  label: string;
  path: string;
}

export interface FileEntry {
  name: string;
  path: string;
  kind: 'file' | 'folder';
  /** Bytes (files only). */
  size: number | null;
}

/** One folder as the web mode's file browser shows it. */
export interface FileListing {
  dir: string;
  /** The folder above, or null at a root. */
  parent: string | null;
  /** The root this folder is under. */
  root: string;
  roots: FileRoot[];
  entries: FileEntry[];
  truncated: boolean;
}
