/**
 * Gradual property interventions (METHODS §5) for the CLI and the app: a whole audit (local scores
 * per image, global summary per property and tracked class), one image's curve with its shuffle band
 * for plotting, a few edited frames for thumbnails, and the list of built-in edits. Every scored
 * curve is cached in the project store (artifact kind `property-curve`), keyed by the model, data
 * and preprocessing (the session's dataKey), the property spec, the image and the run settings.
 * All results are plain JSON.
 */
import { resolve } from 'node:path';
import { describeEditKinds, parsePropertySpec } from '../../properties/edit-registry.js';
import { editFrames, imageSeed, strengths } from '../../properties/edit-sequence.js';
import { listSequences, readSequenceFrames } from '../../properties/imported-sequences.js';
import { prepareEdit } from '../../properties/property-edit.js';
import {
  type CurveCache,
  type CurveKeyParts,
  type PropertyAuditResult,
  type PropertyContext,
  type PropertyRunRequest,
  type RunHooks,
  resolveRun,
  runPropertyAudit,
  scoreFrames,
} from '../../properties/run-properties.js';
import type { CurveScore } from '../../properties/score-curve.js';
import { artifactKind, readArtifact, writeArtifact } from '../../store/artifact-kind.js';
import { combineHashes, hashFile, hashJson } from '../../store/hashing.js';
import { defineJob } from '../../jobs/job-declaration.js';
import { type NewProject, ProjectSession, withProjectSession } from '../../project/project-session.js';

export type { PropertyAuditResult, PropertyGroupResult, PropertyImageResult, PropertyRunRequest } from '../../properties/run-properties.js';
export type { PropertySummary } from '../../properties/property-summary.js';

/** Bump when a change alters cached curve scores. */
const CACHE_VERSION = 1;
/** Each image's scored curve (its key is made in cacheFor: data, run settings, the imported frames). */
export const curveArtifact = artifactKind<CurveScore>()('property-curve', (key: string) => key);
export const CURVE_ARTIFACT = curveArtifact.name;

export interface PropertiesJobRequest extends PropertyRunRequest {
  project: string;
  create?: NewProject;
}

/** One image's curve for the panel: y_t with the shuffle band, and its local scores. */
export interface PropertyCurveDto extends CurveScore {
  property: string;
  index: number;
  label?: number;
  source?: string;
  className: string;
  /** t_i = i/T for each frame. */
  t: number[];
  /** Significant at α = 0.05 (EPGM shuffle test). */
  significant: boolean;
}

export interface PropertyCurveRequest {
  property: string;
  index: number;
  targetClass?: number;
  steps?: number;
  seed?: number;
  permutations?: number;
  /** For `imported:<folder>` properties: the folder. */
  sequences?: string;
}

export interface PropertyFramesDto {
  height: number;
  width: number;
  channels: number;
  /** Each requested frame, HWC bytes (rounded, clipped). */
  frames: { t: number; pixels: number[] }[];
}

/** The built-in edits with their parameters and defaults (for the picker). */
export function propertyKinds() {
  return describeEditKinds();
}

/** The "bias audit" demo: two models that differ only in a planted patch → cat tie. */
export const BIAS_AUDIT_DEMO = {
  models: { biased: 'resources/models/bias-audit-biased', clean: 'resources/models/bias-audit-clean' },
  data: 'resources/data/cifar10-test-sample.bin',
  preprocessing: { scale: 1 / 255 },
  property: 'patch',
  biasClass: 3,
  biasClassName: 'cat',
} as const;

async function cacheFor(session: ProjectSession, request: { sequences?: string }): Promise<CurveCache> {
  const sequencesHash = request.sequences ? await hashFile(resolve(request.sequences)) : '';
  const key = (parts: CurveKeyParts) =>
    combineHashes(session.dataKey, hashJson({ v: CACHE_VERSION, ...parts, frames: parts.property.startsWith('imported:') ? sequencesHash : '' }));
  return {
    get: (parts) => readArtifact(session.store, curveArtifact, key(parts)),
    put: (parts, score) => writeArtifact(session.store, curveArtifact, score, key(parts)),
  };
}

async function contextOf(session: ProjectSession, request: { sequences?: string }): Promise<PropertyContext> {
  return { model: session.model, dataset: session.dataset, preprocessing: session.settings.preprocessing, cache: await cacheFor(session, request) };
}

/** Stored summary of each audit run (what the report's S4 section prints). */
export const auditArtifact = artifactKind<StoredPropertyAudit>()('property-audit', (key: string) => key);
export const AUDIT_ARTIFACT = auditArtifact.name;

export interface StoredPropertyAudit {
  steps: number;
  seed: number;
  permutations: number;
  alpha: number;
  groups: { name: string; class: number; className: string; summary: Omit<PropertyAuditResult['properties'][number]['summary'], 'histogram' | 'epgmQuantiles'> }[];
}

/** The audit on an open project (the CLI's path); its summary is stored for reports. */
export async function runPropertiesOn(session: ProjectSession, request: PropertyRunRequest, hooks: RunHooks = {}): Promise<PropertyAuditResult> {
  const result = await runPropertyAudit(await contextOf(session, request), request, hooks);
  const groups = result.properties.map((g) => {
    const { histogram: _h, epgmQuantiles: _q, ...summary } = g.summary;
    return { name: g.name, class: g.class, className: g.className, summary };
  });
  const identity = result.properties.map((g) => ({ name: g.name, class: g.class, images: g.images.map((i) => i.source ?? i.index) }));
  const key = combineHashes(session.dataKey, hashJson({ identity, steps: result.steps, seed: result.seed, permutations: result.permutations }));
  const stored: StoredPropertyAudit = { steps: result.steps, seed: result.seed, permutations: result.permutations, alpha: result.alpha, groups };
  writeArtifact(session.store, auditArtifact, stored, key);
  return result;
}

/** The audit as a job: opens (or creates) the project, runs, closes. */
export function runProperties(request: PropertiesJobRequest, hooks: RunHooks = {}): Promise<PropertyAuditResult> {
  return withProjectSession(request.project, (session) => runPropertiesOn(session, request, hooks), request.create);
}

export const propertiesJob = defineJob<PropertiesJobRequest, PropertyAuditResult>()('properties');

/** One image's full curve (cached like the audit's, so a panel click after an audit is instant). */
export async function propertyCurve(session: ProjectSession, request: PropertyCurveRequest): Promise<PropertyCurveDto> {
  const run = resolveRun(request);
  const ctx = await contextOf(session, request);
  const imported = request.property.startsWith('imported:');
  const edit = imported ? undefined : parsePropertySpec(request.property);
  const property = edit?.spec ?? request.property;
  const parts: CurveKeyParts = { property, index: request.index, steps: run.steps, seed: run.seed, permutations: run.permutations, class: run.targetClass ?? null };
  let score = ctx.cache!.get(parts);
  let label: number | undefined;
  let source: string | undefined;
  if (!edit) {
    if (!request.sequences) throw new Error(`property ${property}: give the sequences folder`);
    const sequence = (await listSequences(request.sequences)).sequences[request.index];
    if (!sequence) throw new Error(`${request.sequences}: no sequence number ${request.index}`);
    source = sequence.name;
    if (!score) {
      const f = await readSequenceFrames(sequence, session.model.inputShape[2] === 1 ? 1 : 3);
      score = await scoreFrames(ctx, f.data, f.count, f, run);
    }
  } else {
    const { dataset } = session;
    checkIndex(request.index, dataset.info.count);
    label = dataset.labels()[request.index];
    if (!score) {
      const shape = { height: dataset.info.height, width: dataset.info.width, channels: dataset.info.channels };
      const raw = await dataset.read([request.index]);
      const frames = editFrames(edit, { data: raw.pixels, ...shape }, run.steps, imageSeed(run.seed, request.index));
      score = await scoreFrames(ctx, frames, run.steps + 1, shape, run);
    }
  }
  ctx.cache!.put(parts, score);
  const n = score.y.length;
  return {
    ...score,
    property,
    index: request.index,
    ...(label !== undefined ? { label } : {}),
    ...(source !== undefined ? { source } : {}),
    className: session.dataset.info.classNames[score.class] ?? String(score.class),
    t: Array.from({ length: n }, (_, i) => i / (n - 1)),
    significant: score.p < 0.05,
  };
}

/** A few frames x_t of a built-in edit on one dataset image, as bytes (thumbnails). */
export async function propertyFrames(
  session: ProjectSession,
  request: { property: string; index: number; steps?: number; seed?: number; frames: number[] },
): Promise<PropertyFramesDto> {
  const edit = parsePropertySpec(request.property);
  const run = resolveRun(request);
  const { dataset } = session;
  checkIndex(request.index, dataset.info.count);
  const shape = { height: dataset.info.height, width: dataset.info.width, channels: dataset.info.channels };
  const ts = strengths(run.steps);
  for (const f of request.frames) if (!(Number.isInteger(f) && f >= 0 && f <= run.steps)) throw new Error(`frame ${f} is out of range 0…${run.steps}`);
  const raw = await dataset.read([request.index]);
  const frameAt = prepareEdit(edit, { data: raw.pixels, ...shape }, imageSeed(run.seed, request.index));
  return {
    ...shape,
    frames: request.frames.map((f) => ({ t: ts[f], pixels: Array.from(frameAt(ts[f]), (v) => Math.round(v)) })),
  };
}

function checkIndex(index: number, count: number): void {
  if (!(Number.isInteger(index) && index >= 0 && index < count)) throw new Error(`image index ${index} is out of range: the dataset has ${count} images`);
}
