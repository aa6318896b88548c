/**
 * Resumable, batched computations ("builds") and the φ rows they produce. A batch's data and its
 * `build_batches` row are committed in one transaction, so after a crash a build holds whole
 * batches only, and the next run asks listDoneBatches which ones to skip.
 */
import type { Database } from 'better-sqlite3';
import { fromBlobI32, toBlob } from './float-blob.js';
import { canonicalJson } from './hashing.js';
import { ProjectStoreError } from './project-store-error.js';

export interface Ctx {
  db: Database;
  file: string;
  /** The forward engine that produces what is written now (recorded with each new build). */
  engine?: string;
}

export interface BuildSpec {
  /** What is computed, e.g. 'phi' or 'ablation'. */
  kind: string;
  /** The inputs the key was hashed from, kept for display and for checking a reused key. */
  settings: unknown;
  totalBatches: number;
}

export interface BuildStatus {
  key: string;
  kind: string;
  settings: unknown;
  totalBatches: number;
  doneBatches: number;
  finished: boolean;
  createdAt: string;
  finishedAt?: string;
  /** The forward engine that started the build; absent for builds stored before engines were recorded. */
  engine?: string;
}

/** Which channels of which layer were zeroed for one intervention-augmented row. */
export interface RowIntervention {
  layer: string;
  channels: number[];
}

export interface PhiBlock {
  layer: string;
  /** The transform: 'fro', 'binary', 'mean', … */
  phi: string;
  cols: number;
  /** rows × cols, row-major. */
  data: Float32Array;
}

export interface PhiBatch {
  rows: number;
  /** Dataset image index of each row. */
  images?: Int32Array;
  /** One entry per row: null for an observational row; omit when all rows are observational. */
  interventions?: (RowIntervention | null)[];
  blocks: PhiBlock[];
}

export interface PhiMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export interface RowTags {
  /** Dataset image index per row, -1 where a batch stored none. */
  images: Int32Array;
  interventions: (RowIntervention | null)[];
}

interface BuildRow {
  build_key: string;
  kind: string;
  settings: string;
  total_batches: number;
  created_at: string;
  finished_at: string | null;
  engine: string | null;
  done: number;
}

const SELECT_BUILD = `SELECT b.*, (SELECT count(*) FROM build_batches d WHERE d.build_key = b.build_key) AS done FROM builds b`;

/** Starts a build, or returns the stored one with the same key so the caller can resume it. */
export function beginBuild(ctx: Ctx, key: string, spec: BuildSpec): BuildStatus {
  if (!Number.isInteger(spec.totalBatches) || spec.totalBatches < 0) {
    throw new ProjectStoreError(ctx.file, 'invalid-input', `refuses build ${key}: totalBatches ${spec.totalBatches} is not a count`);
  }
  const settings = canonicalJson(spec.settings);
  return ctx.db
    .transaction(() => {
      const old = getBuild(ctx, key);
      if (old) {
        if (old.kind !== spec.kind || old.totalBatches !== spec.totalBatches || canonicalJson(old.settings) !== settings) {
          throw new ProjectStoreError(
            ctx.file,
            'conflict',
            `holds build ${key} as ${old.kind} with ${old.totalBatches} batches and other settings; the key must hash all inputs`,
          );
        }
        return old;
      }
      const now = new Date().toISOString();
      ctx.db
        .prepare('INSERT INTO builds (build_key, kind, settings, total_batches, created_at, finished_at, engine) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(key, spec.kind, settings, spec.totalBatches, now, spec.totalBatches === 0 ? now : null, ctx.engine ?? null);
      return getBuild(ctx, key)!;
    })
    .immediate();
}

export function getBuild(ctx: Ctx, key: string): BuildStatus | undefined {
  const row = ctx.db.prepare<[string], BuildRow>(`${SELECT_BUILD} WHERE b.build_key = ?`).get(key);
  return row && toStatus(row);
}

export function listBuilds(ctx: Ctx, kind?: string): BuildStatus[] {
  const rows =
    kind === undefined
      ? ctx.db.prepare<[], BuildRow>(`${SELECT_BUILD} ORDER BY b.created_at, b.build_key`).all()
      : ctx.db.prepare<[string], BuildRow>(`${SELECT_BUILD} WHERE b.kind = ? ORDER BY b.created_at, b.build_key`).all(kind);
  return rows.map(toStatus);
}

export function listDoneBatches(ctx: Ctx, key: string): number[] {
  return ctx.db
    .prepare<[string], { batch_index: number }>('SELECT batch_index FROM build_batches WHERE build_key = ? ORDER BY batch_index')
    .all(key)
    .map((r) => r.batch_index);
}

/**
 * Records batch `index` as done, with its row tags and any φ blocks, in one transaction (a savepoint
 * inside a caller's transaction, so results written beside it commit or vanish together).
 */
export function putBatch(ctx: Ctx, key: string, index: number, batch: PhiBatch): void {
  const { file } = ctx;
  const where = `batch ${index} of build ${key}`;
  const bad = (problem: string) => new ProjectStoreError(file, 'invalid-input', `refuses ${where}: ${problem}`);
  if (!Number.isInteger(batch.rows) || batch.rows < 0) throw bad(`rows ${batch.rows} is not a count`);
  if (batch.images && batch.images.length !== batch.rows) throw bad(`${batch.images.length} image indices for ${batch.rows} rows`);
  if (batch.interventions && batch.interventions.length !== batch.rows) {
    throw bad(`${batch.interventions.length} row interventions for ${batch.rows} rows`);
  }
  batch.interventions?.forEach((t, i) => {
    if (t !== null && (typeof t?.layer !== 'string' || !Array.isArray(t.channels) || !t.channels.every(Number.isInteger))) {
      throw bad(`row ${i}'s intervention is not {layer, channels: integers}`);
    }
  });
  const seen = new Set<string>();
  for (const b of batch.blocks) {
    const id = JSON.stringify([b.layer, b.phi]);
    if (seen.has(id)) throw bad(`φ ${b.phi} of layer ${b.layer} given twice`);
    seen.add(id);
    if (!Number.isInteger(b.cols) || b.cols < 0 || b.data.length !== batch.rows * b.cols) {
      throw bad(`φ ${b.phi} of layer ${b.layer} has ${b.data.length} values, expected ${batch.rows}×${b.cols}`);
    }
  }
  const tags = batch.interventions?.some((t) => t !== null) ? JSON.stringify(batch.interventions) : null;

  ctx.db
    .transaction(() => {
      const build = getBuild(ctx, key);
      if (!build) throw new ProjectStoreError(file, 'invalid-input', `has no build ${key}; call beginBuild first`);
      if (!Number.isInteger(index) || index < 0 || index >= build.totalBatches) {
        throw bad(`the build has batches 0…${build.totalBatches - 1}`);
      }
      const inserted = ctx.db
        .prepare(
          `INSERT INTO build_batches (build_key, batch_index, row_count, images, interventions, done_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(key, index, batch.rows, batch.images ? toBlob(batch.images) : null, tags, new Date().toISOString());
      if (inserted.changes === 0) throw new ProjectStoreError(file, 'conflict', `already holds ${where}`);
      const insertPhi = ctx.db.prepare(
        'INSERT INTO phi_batches (build_key, layer, phi, batch_index, row_count, col_count, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const b of batch.blocks) insertPhi.run(key, b.layer, b.phi, index, batch.rows, b.cols, toBlob(b.data));
      if (build.doneBatches + 1 === build.totalBatches) {
        ctx.db.prepare('UPDATE builds SET finished_at = ? WHERE build_key = ?').run(new Date().toISOString(), key);
      }
    })
    .immediate();
}

/** φ of one (layer, transform) over all stored batches, concatenated in batch order; undefined if none. */
export function readPhi(ctx: Ctx, key: string, layer: string, phi: string): PhiMatrix | undefined {
  const meta = ctx.db
    .prepare<[string, string, string], { n: number; rows: number | null; c0: number | null; c1: number | null }>(
      `SELECT count(*) AS n, sum(row_count) AS rows, min(col_count) AS c0, max(col_count) AS c1
       FROM phi_batches WHERE build_key = ? AND layer = ? AND phi = ?`,
    )
    .get(key, layer, phi)!;
  if (meta.n === 0) return undefined;
  if (meta.c0 !== meta.c1) {
    throw new ProjectStoreError(ctx.file, 'invalid-data', `holds φ ${phi} of layer ${layer} in build ${key} with ${meta.c0} and ${meta.c1} columns`);
  }
  const rows = meta.rows ?? 0;
  const cols = meta.c0 ?? 0;
  const data = new Float32Array(rows * cols);
  const bytes = new Uint8Array(data.buffer);
  let offset = 0;
  const blobs = ctx.db
    .prepare<[string, string, string], { data: Buffer }>(
      'SELECT data FROM phi_batches WHERE build_key = ? AND layer = ? AND phi = ? ORDER BY batch_index',
    )
    .iterate(key, layer, phi);
  for (const { data: blob } of blobs) {
    bytes.set(blob, offset); // a plain byte copy; the target is aligned
    offset += blob.byteLength;
  }
  return { rows, cols, data };
}

/** The (layer, φ) pairs a build holds, with their total row counts. */
export function listPhi(ctx: Ctx, key: string): { layer: string; phi: string; rows: number; cols: number }[] {
  return ctx.db
    .prepare<[string], { layer: string; phi: string; rows: number; cols: number }>(
      `SELECT layer, phi, sum(row_count) AS rows, max(col_count) AS cols
       FROM phi_batches WHERE build_key = ? GROUP BY layer, phi ORDER BY layer, phi`,
    )
    .all(key);
}

/** The row tags of all stored batches, in the same row order as readPhi. */
export function readRowTags(ctx: Ctx, key: string): RowTags {
  const batches = ctx.db
    .prepare<[string], { row_count: number; images: Buffer | null; interventions: string | null }>(
      'SELECT row_count, images, interventions FROM build_batches WHERE build_key = ? ORDER BY batch_index',
    )
    .all(key);
  const total = batches.reduce((s, b) => s + b.row_count, 0);
  const images = new Int32Array(total).fill(-1);
  const interventions: (RowIntervention | null)[] = [];
  let offset = 0;
  for (const b of batches) {
    if (b.images) images.set(fromBlobI32(b.images), offset);
    const tags = b.interventions ? (JSON.parse(b.interventions) as (RowIntervention | null)[]) : [];
    for (let i = 0; i < b.row_count; i++) interventions.push(tags[i] ?? null);
    offset += b.row_count;
  }
  return { images, interventions };
}

export function deleteBuild(ctx: Ctx, key: string): boolean {
  return ctx.db.prepare('DELETE FROM builds WHERE build_key = ?').run(key).changes > 0;
}

function toStatus(row: BuildRow): BuildStatus {
  return {
    key: row.build_key,
    kind: row.kind,
    settings: JSON.parse(row.settings) as unknown,
    totalBatches: row.total_batches,
    doneBatches: row.done,
    finished: row.finished_at !== null,
    createdAt: row.created_at,
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    ...(row.engine !== null ? { engine: row.engine } : {}),
  };
}
