/**
 * S2 for the app and the CLI (METHODS §3): a class's causal explanatory graph with its stability and
 * faithfulness checks, the comparison of two classes' graphs, and the repair of a planted spurious
 * feature. Every result is plain JSON (numbers rounded to 6 digits, undefined statistics as null),
 * cached as a project-store artifact keyed by the session's dataKey (model bytes, data,
 * preprocessing), the project's split and the settings: a second request is answered from the store.
 * Long work takes { onProgress, signal } (progress per pass, cancel at the next pass).
 */
import type { ExplainComparison } from '../../../shared/analysis.js';
import { type RemovedNode, type BiasAccuracy, type RepairResult, repairClass } from '../../explanatory-graph/repair.js';
import { projectSplit, propertyEdit, type SplitSettings } from '../../explanatory-graph/class-images.js';
import { type ClassExplanation, type ExplainHooks, type FaithfulnessReport, explainClass } from '../../explanatory-graph/explain-class.js';
import { type RivalComparison, compareWithRival } from '../../explanatory-graph/rival-comparison.js';

export type { RivalComparison } from '../../explanatory-graph/rival-comparison.js';
import { type GraphSettingsInput, resolveGraphSettings } from '../../explanatory-graph/graph-settings.js';
import { nodeId } from '../../explanatory-graph/graph-builder.js';
import { jaccard } from '../../explanatory-graph/stability.js';
import { latestBuildArtifact } from '../../scm/artifacts.js';
import { resolveBuildSettings } from '../../scm/build-settings.js';
import { artifactKind, readArtifact, writeArtifact } from '../../store/artifact-kind.js';
import { combineHashes, hashJson } from '../../store/hashing.js';
import { ProjectSession, withProjectSession } from '../../project/project-session.js';
import { defineJob, type JobHooks } from '../../jobs/job-declaration.js';
import type { GraphStep } from '../../explanatory-graph/intervention-effects.js';

/** Bump when a change alters cached results. */
const CACHE_VERSION = 2;
/** Repairs only: 3 keeps the per-image outcomes before and after (the paired change). */
const REPAIR_CACHE_VERSION = 3;
/** Stored graphs and repairs (their keys are made below, from data, class, settings and split). */
export const graphArtifact = artifactKind<Omit<ExplanatoryGraphDto, 'seconds' | 'cached'>>()('explanatory-graph', (key: string) => key);
export const repairArtifact = artifactKind<Omit<RepairDto, 'seconds' | 'cached'>>()('explanatory-repair', (key: string) => key);
export const GRAPH_ARTIFACT = graphArtifact.name;
export const REPAIR_ARTIFACT = repairArtifact.name;

export interface GraphNodeDto {
  layer: string;
  channel: number;
  /** E_{x∈D_c}[p_c(x) − p_c(x | do(A = 0))]. */
  effect: number;
}

export interface GraphEdgeDto {
  /** "layer:channel" (the class node is "<logits layer>:<class>"). */
  from: string;
  to: string;
  /** Class effect of blocking this path alone. */
  effect: number;
}

export interface AgreementDto {
  jaccard: number | null;
  spearman: number | null;
  /** Per layer (the top layer is chosen unconditioned by the graph too, so it compares like with like). */
  layers?: Record<string, { jaccard: number | null; spearman: number | null }>;
}

export interface FaithfulnessDto {
  sufficiency: number;
  necessity: number;
  sufficiencyAccuracy: number;
  necessityAccuracy: number;
  joint: { sufficiency: number; necessity: number; sufficiencyAccuracy: number; necessityAccuracy: number };
}

export type FaithfulnessSummaryDto = FaithfulnessDto & {
  base: { probability: number; accuracy: number };
  baselines: ({ name: string } & FaithfulnessDto)[];
  randomSd: { sufficiency: number; necessity: number };
};

export interface ExplanatoryGraphDto {
  class: number;
  className: string;
  /** Id of the class node, the sink of the graph. */
  classNode: string;
  /** Node layers of the model in order (for laying the graph out), and those holding graph nodes. */
  layers: string[];
  graphLayers: string[];
  nodes: GraphNodeDto[];
  edges: GraphEdgeDto[];
  /** Held-out images of the class the graph was built on. */
  images: number;
  indices: number[];
  tested: { nodes: number; paths: number };
  notes: string[];
  stability: AgreementDto & {
    bootstrap: AgreementDto;
    noise: AgreementDto;
    baselines: ({ name: string; bootstrap: AgreementDto; noise: AgreementDto } & AgreementDto)[];
    topLayer: { layer: string; graph: number[]; baselines: Record<string, number[]> };
  };
  /** On the images the graph was built on. */
  faithfulness: FaithfulnessSummaryDto;
  /** On images of the class from the training split, disjoint from those the sets were chosen on. */
  heldOutFaithfulness?: FaithfulnessSummaryDto & { indices: number[] };
  /** The graph beside its strongest simple rival (Grad-CAM channels), in plain words with intervals. */
  rivals: RivalComparison[];
  settings: ReturnType<typeof resolveGraphSettings>;
  /** Seconds of the computation (graph alone, stability, faithfulness, total). */
  computeSeconds: { graph: number; stability: number; faithfulness: number; total: number };
  /** Wall time of this call; `cached` when it came from the store. */
  seconds: number;
  cached: boolean;
}

export interface RepairDto {
  class: number;
  className: string;
  feature: string;
  threshold: number;
  removed: (RemovedNode & { id: string })[];
  candidates: RemovedNode[];
  before: BiasAccuracy;
  after: BiasAccuracy;
  /** Correctness before against after on the same held-out images (absent in repairs stored before it was kept). */
  paired?: RepairResult['paired'];
  probability: { withFeature: number; clean: number };
  /** p̄_c with the feature minus without, on the search images, before and after the removal. */
  lift: { before: number; after: number };
  graph: { nodes: GraphNodeDto[]; edges: GraphEdgeDto[] };
  images: { search: number; evaluation: number; evaluationClass: number };
  computeSeconds: number;
  seconds: number;
  cached: boolean;
}

/** Rounds every number to 6 significant digits and turns NaN/±∞ into null (plain JSON). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? (Number.isFinite(v) ? Number(v.toPrecision(6)) : null) : v))) as T;
}

/** The split the project's SCM build uses (its latest settings, or the defaults before any build). */
function splitOf(session: ProjectSession): SplitSettings {
  const latest = readArtifact(session.store, latestBuildArtifact);
  const s = resolveBuildSettings(latest?.settings ?? {});
  return { limit: s.limit, seed: s.seed, evalFraction: s.evalFraction };
}

export function parseClass(session: ProjectSession, value: number | string): number {
  const names = session.dataset.info.classNames;
  const byName = typeof value === 'string' ? names.indexOf(value) : -1;
  const cls = byName >= 0 ? byName : Number(value);
  if (!Number.isInteger(cls) || cls < 0 || cls >= session.model.numClasses) {
    throw new Error(`class "${value}" is neither a class index 0…${session.model.numClasses - 1} nor a class name (${names.join(', ')})`);
  }
  return cls;
}

function toDto(session: ProjectSession, cls: number, r: ClassExplanation, settings: ReturnType<typeof resolveGraphSettings>): Omit<ExplanatoryGraphDto, 'seconds' | 'cached'> {
  const graphLayers = session.model.nodeLayers.filter((l) => r.graph.nodes.some((n) => n.layer === l.name)).map((l) => l.name);
  const summary = (f: FaithfulnessReport): FaithfulnessSummaryDto => {
    const { base, baselines, randomSd, perImage: _p, ...graphFaith } = f;
    return { ...graphFaith, base: { probability: base.probability, accuracy: base.accuracy }, baselines: baselines.map(({ perImage: _q, ...b }) => b), randomSd };
  };
  return plain({
    class: cls,
    className: session.dataset.info.classNames[cls] ?? String(cls),
    classNode: nodeId(r.graph.classLayer, cls),
    layers: session.model.nodeLayers.map((l) => l.name),
    graphLayers,
    nodes: r.graph.nodes,
    edges: r.graph.edges,
    images: r.indices.length,
    indices: r.indices,
    tested: r.graph.tested,
    notes: r.graph.notes,
    stability: r.stability,
    faithfulness: summary(r.faithfulness),
    ...(r.heldOutFaithfulness ? { heldOutFaithfulness: { ...summary(r.heldOutFaithfulness), indices: r.heldOutFaithfulness.indices } } : {}),
    rivals: compareWithRival(r),
    settings,
    computeSeconds: r.seconds,
  });
}

function graphKey(session: ProjectSession, cls: number, settings: object): string {
  return combineHashes(session.dataKey, hashJson({ v: CACHE_VERSION, cls, settings, split: splitOf(session) }));
}

/** A class's explanatory graph on an open project (cached). */
export async function explanatoryGraphOn(session: ProjectSession, cls: number | string, input: GraphSettingsInput = {}, hooks: ExplainHooks = {}): Promise<ExplanatoryGraphDto> {
  const started = performance.now();
  const classIndex = parseClass(session, cls);
  const settings = resolveGraphSettings(input);
  const key = graphKey(session, classIndex, settings);
  const hit = readArtifact(session.store, graphArtifact, key);
  if (hit) return { ...hit, seconds: (performance.now() - started) / 1000, cached: true };
  const split = projectSplit(session.dataset.labels(), splitOf(session));
  const ctx = { model: session.model, dataset: session.dataset, preprocessing: session.settings.preprocessing, heldOut: split.evaluation, disjoint: split.train };
  const dto = toDto(session, classIndex, await explainClass(ctx, classIndex, settings, hooks), settings);
  writeArtifact(session.store, graphArtifact, dto, key);
  return { ...dto, seconds: (performance.now() - started) / 1000, cached: false };
}

/** The same as a job: opens the project, computes (or reads) the graph, closes. */
export async function explanatoryGraph(request: { project: string; class: number | string; settings?: GraphSettingsInput }, hooks: ExplainHooks = {}): Promise<ExplanatoryGraphDto> {
  const session = await ProjectSession.open(request.project);
  try {
    return await explanatoryGraphOn(session, request.class, request.settings, hooks);
  } finally {
    session.close();
  }
}

/** A cached graph, or undefined when it has not been computed with these settings (no computation). */
export function cachedExplanatoryGraph(session: ProjectSession, cls: number | string, input: GraphSettingsInput = {}): ExplanatoryGraphDto | undefined {
  const classIndex = parseClass(session, cls);
  const hit = readArtifact(session.store, graphArtifact, graphKey(session, classIndex, resolveGraphSettings(input)));
  return hit && { ...hit, seconds: 0, cached: true };
}

/** Which nodes two classes' graphs share (for the app's class switcher). */
export function compareGraphs(a: ExplanatoryGraphDto, b: ExplanatoryGraphDto): ExplainComparison {
  const ids = (g: ExplanatoryGraphDto) => g.nodes.map((n) => nodeId(n.layer, n.channel));
  const [sa, sb] = [ids(a), ids(b)];
  return {
    classes: [a.class, b.class],
    jaccard: Number(jaccard(sa, sb).toPrecision(6)),
    shared: sa.filter((x) => sb.includes(x)),
    onlyFirst: sa.filter((x) => !sb.includes(x)),
    onlySecond: sb.filter((x) => !sa.includes(x)),
  };
}

export interface RepairRequest {
  class: number | string;
  /** The spurious feature as a property edit at full strength (default `patch`: magenta 6×6 corner). */
  feature?: string;
  /** Minimum growth of a node's share of p_c with the feature (default 0.25). */
  threshold?: number;
  settings?: GraphSettingsInput;
}

/** Finds the channels carrying a planted feature through the class graph, removes them, reports accuracy (cached). */
export async function repairOn(session: ProjectSession, request: RepairRequest, hooks: ExplainHooks = {}): Promise<RepairDto> {
  const started = performance.now();
  const cls = parseClass(session, request.class);
  const settings = resolveGraphSettings(request.settings ?? {});
  const feature = request.feature ?? 'patch';
  const threshold = request.threshold ?? 0.25;
  const edit = propertyEdit(feature);
  const key = combineHashes(session.dataKey, hashJson({ v: REPAIR_CACHE_VERSION, repair: true, cls, feature, threshold, settings, split: splitOf(session) }));
  const hit = readArtifact(session.store, repairArtifact, key);
  if (hit) return { ...hit, seconds: (performance.now() - started) / 1000, cached: true };
  const split = projectSplit(session.dataset.labels(), splitOf(session));
  const ctx = { model: session.model, dataset: session.dataset, preprocessing: session.settings.preprocessing, heldOut: split.evaluation, train: split.train };
  const r = await repairClass(ctx, cls, settings, { feature: edit, threshold }, hooks);
  const dto: Omit<RepairDto, 'seconds' | 'cached'> = plain({
    class: cls,
    className: session.dataset.info.classNames[cls] ?? String(cls),
    feature,
    threshold,
    removed: r.removed.map((n) => ({ id: nodeId(n.layer, n.channel), ...n })),
    candidates: r.candidates,
    before: r.before,
    after: r.after,
    paired: r.paired,
    probability: r.probability,
    lift: r.lift,
    graph: { nodes: r.graph.nodes, edges: r.graph.edges },
    images: r.images,
    computeSeconds: r.seconds,
  });
  writeArtifact(session.store, repairArtifact, dto, key);
  return { ...dto, seconds: (performance.now() - started) / 1000, cached: false };
}

type ExplainJobArgs = { project: string; class: number; settings?: GraphSettingsInput };
type RepairJobArgs = { project: string; class: number; feature?: string; settings?: GraphSettingsInput };

/** The worker's entry points: plain arguments, a session of their own. */
export function runExplain(args: ExplainJobArgs, hooks: JobHooks<GraphStep> = {}) {
  return withProjectSession(args.project, (s) => explanatoryGraphOn(s, args.class, args.settings, hooks));
}

export function runRepair(args: RepairJobArgs, hooks: JobHooks<GraphStep> = {}) {
  return withProjectSession(args.project, (s) => repairOn(s, { class: args.class, feature: args.feature, settings: args.settings }, hooks));
}

const graphSteps = ['node effects', 'path effects'] as const satisfies readonly GraphStep[];
export const explainJob = defineJob<ExplainJobArgs, Awaited<ReturnType<typeof runExplain>>>()('explain', graphSteps);
export const repairJob = defineJob<RepairJobArgs, Awaited<ReturnType<typeof runRepair>>>()('repair', graphSteps);
