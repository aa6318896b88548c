/**
 * The per-project cache: one SQLite file in the project folder holding the settings, φ rows,
 * fitted equations and results (keyed by content hashes) and the user's intervention history.
 * Every write is one transaction; bad input is refused before anything is written.
 */
import type { Database } from 'better-sqlite3';
import { unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import * as builds from './builds.js';
import type { BuildSpec, BuildStatus, PhiBatch, PhiMatrix, RowTags } from './builds.js';
import { toBlob, type BlobArray } from './float-blob.js';
import { canonicalJson } from './hashing.js';
import { SCHEMA_VERSION } from './migrations.js';
import { asWriteError, openDatabase, type OpenOptions } from './open-database.js';
import { ProjectStoreError } from './project-store-error.js';
import { projectSettingsSchema, type ProjectSettings } from './project-settings.js';
import { DB_FILE_NAME } from './schema.js';

export interface Artifact<T> {
  kind: string;
  key: string;
  value: T;
  blob?: Buffer;
  createdAt: string;
  /** The forward engine that produced it; absent for results stored before engines were recorded. */
  engine?: string;
}

export interface InterventionRecord {
  id: number;
  createdAt: string;
  spec: unknown;
  scmResult?: unknown;
  realResult?: unknown;
}

export interface InterventionInput {
  spec: unknown;
  scmResult?: unknown;
  realResult?: unknown;
}

interface InterventionRow {
  id: number;
  created_at: string;
  spec: string;
  scm_result: string | null;
  real_result: string | null;
}

export class ProjectStore {
  private readonly ctx: builds.Ctx;

  private constructor(
    /** The project folder. */
    readonly dir: string,
    /** The database file inside it. */
    readonly file: string,
    private readonly db: Database,
    /** Opened for reading only: every write is refused with a message naming the file. */
    readonly readonly = false,
  ) {
    this.ctx = { db, file };
  }

  /**
   * The forward engine (ort, tfjs) producing what is written from now on: recorded with every new
   * build and artifact, so a report can say which engine computed each stored result.
   */
  get engine(): string | undefined {
    return this.ctx.engine;
  }

  set engine(name: string | undefined) {
    this.ctx.engine = name;
  }

  /** Opens `dir`/project.causeway.sqlite; with `create`, makes the folder and database if missing. */
  static open(dir: string, options: OpenOptions = {}): ProjectStore {
    const abs = resolve(dir);
    const file = join(abs, DB_FILE_NAME);
    return new ProjectStore(abs, file, openDatabase(file, options), options.readonly ?? false);
  }

  /** Deletes the database of `dir` (a creation that failed half-way); the folder stays. */
  static remove(dir: string): void {
    const file = join(resolve(dir), DB_FILE_NAME);
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
      try {
        unlinkSync(f);
      } catch {
        // never made
      }
    }
  }

  get schemaVersion(): number {
    return SCHEMA_VERSION;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs `fn` in one IMMEDIATE transaction (a savepoint when nested); a throw rolls all of it back. */
  transaction<T>(fn: () => T): T {
    return this.write('a transaction', () => this.db.transaction(fn).immediate());
  }

  /** Rewrites the file without free pages (after deleting builds); not inside a transaction. */
  vacuum(): void {
    this.write('compacting', () => this.db.exec('VACUUM'));
  }

  // ── settings ──────────────────────────────────────────────────────────────────────────────

  getSettings(): ProjectSettings | undefined {
    const row = this.db.prepare<[], { settings: string }>('SELECT settings FROM project WHERE id = 1').get();
    return row && this.parse(projectSettingsSchema, JSON.parse(row.settings), 'the project settings');
  }

  /** Validates and saves the settings; returns them as stored (unknown keys dropped). */
  setSettings(settings: ProjectSettings): ProjectSettings {
    const checked = projectSettingsSchema.safeParse(settings);
    if (!checked.success) {
      throw new ProjectStoreError(this.file, 'invalid-input', `refuses the project settings: ${prettify(checked.error)}`);
    }
    const now = new Date().toISOString();
    this.write('the project settings', () =>
      this.db
        .prepare(
          `INSERT INTO project (id, settings, created_at, updated_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
        )
        .run(JSON.stringify(checked.data), now, now),
    );
    return checked.data;
  }

  // ── builds and φ rows ─────────────────────────────────────────────────────────────────────

  /** Starts build `key`, or returns the stored one (check `doneBatches`/listDoneBatches to resume). */
  beginBuild(key: string, spec: BuildSpec): BuildStatus {
    if (this.readonly) {
      // Reading a stored build needs no write transaction (BEGIN IMMEDIATE fails on a read-only file).
      const old = builds.getBuild(this.ctx, key);
      if (old && old.kind === spec.kind && old.totalBatches === spec.totalBatches) return old;
    }
    return this.write(`build ${key}`, () => builds.beginBuild(this.ctx, key, spec));
  }

  getBuild(key: string): BuildStatus | undefined {
    return builds.getBuild(this.ctx, key);
  }

  listBuilds(kind?: string): BuildStatus[] {
    return builds.listBuilds(this.ctx, kind);
  }

  isBuildFinished(key: string): boolean {
    return this.getBuild(key)?.finished ?? false;
  }

  /** The indices of the batches already committed, ascending. */
  listDoneBatches(key: string): number[] {
    return builds.listDoneBatches(this.ctx, key);
  }

  /** Marks a batch done that has no φ rows (its results go elsewhere, e.g. in the same transaction). */
  markBatch(key: string, index: number, rows = 0): void {
    this.write(`batch ${index} of build ${key}`, () => builds.putBatch(this.ctx, key, index, { rows, blocks: [] }));
  }

  /** Stores one batch of φ rows (all its layers and transforms) and marks it done, atomically. */
  putPhiBatch(key: string, index: number, batch: PhiBatch): void {
    this.write(`batch ${index} of build ${key}`, () => builds.putBatch(this.ctx, key, index, batch));
  }

  readPhi(key: string, layer: string, phi: string): PhiMatrix | undefined {
    return builds.readPhi(this.ctx, key, layer, phi);
  }

  listPhi(key: string): { layer: string; phi: string; rows: number; cols: number }[] {
    return builds.listPhi(this.ctx, key);
  }

  readRowTags(key: string): RowTags {
    return builds.readRowTags(this.ctx, key);
  }

  /** Deletes a build with all its batches and φ rows. */
  deleteBuild(key: string): boolean {
    return this.write(`deleting build ${key}`, () => builds.deleteBuild(this.ctx, key));
  }

  // ── artifacts: fitted equations, rankings, results ────────────────────────────────────────

  /** Saves (or replaces) a JSON value, with an optional binary payload, under (kind, key). */
  putArtifact(kind: string, key: string, value: unknown, blob?: BlobArray | Buffer): void {
    const json = JSON.stringify(value);
    if (json === undefined) {
      throw new ProjectStoreError(this.file, 'invalid-input', `refuses artifact ${kind}/${key}: the value is not JSON`);
    }
    const bytes = blob === undefined ? null : Buffer.isBuffer(blob) ? blob : toBlob(blob);
    if (this.readonly && this.holds(kind, key, json, bytes)) return; // re-storing what is there changes nothing
    this.write(`${kind} ${key}`, () =>
      this.db
        .prepare(
          `INSERT INTO artifacts (kind, key, value, blob, created_at, engine) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, blob = excluded.blob, created_at = excluded.created_at,
             -- the same value written again (a pointer refreshed) keeps the engine that computed it
             engine = CASE WHEN artifacts.value = excluded.value THEN artifacts.engine ELSE excluded.engine END`,
        )
        .run(kind, key, json, bytes, new Date().toISOString(), this.ctx.engine ?? null),
    );
  }

  /** Reads an artifact; with a schema the value is validated (a mismatch is an 'invalid-data' error). */
  getArtifact<T = unknown>(kind: string, key: string, schema?: z.ZodType<T>): Artifact<T> | undefined {
    const row = this.db
      .prepare<[string, string], { value: string; blob: Buffer | null; created_at: string; engine: string | null }>(
        'SELECT value, blob, created_at, engine FROM artifacts WHERE kind = ? AND key = ?',
      )
      .get(kind, key);
    if (!row) return undefined;
    const raw = JSON.parse(row.value) as unknown;
    const value = schema ? this.parse(schema, raw, `artifact ${kind}/${key}`) : (raw as T);
    return { kind, key, value, ...(row.blob ? { blob: row.blob } : {}), createdAt: row.created_at, ...(row.engine ? { engine: row.engine } : {}) };
  }

  hasArtifact(kind: string, key: string): boolean {
    return this.db.prepare('SELECT 1 FROM artifacts WHERE kind = ? AND key = ?').get(kind, key) !== undefined;
  }

  listArtifacts(kind: string): { key: string; createdAt: string; engine?: string }[] {
    return this.db
      .prepare<[string], { key: string; created_at: string; engine: string | null }>('SELECT key, created_at, engine FROM artifacts WHERE kind = ? ORDER BY key')
      .all(kind)
      .map((r) => ({ key: r.key, createdAt: r.created_at, ...(r.engine ? { engine: r.engine } : {}) }));
  }

  /** How many stored builds and artifacts of each kind each forward engine produced ('unrecorded' before engines were recorded). */
  engineTally(): { what: 'build' | 'artifact'; kind: string; engine: string; count: number }[] {
    type Row = { what: 'build' | 'artifact'; kind: string; engine: string; count: number };
    return this.db
      .prepare<[], Row>(
        `SELECT 'build' AS what, kind, coalesce(engine, 'unrecorded') AS engine, count(*) AS count FROM builds GROUP BY kind, engine
         UNION ALL
         SELECT 'artifact' AS what, kind, coalesce(engine, 'unrecorded') AS engine, count(*) AS count FROM artifacts GROUP BY kind, engine
         ORDER BY what DESC, kind, engine`,
      )
      .all();
  }

  deleteArtifact(kind: string, key: string): boolean {
    return this.write(`deleting ${kind} ${key}`, () => this.db.prepare('DELETE FROM artifacts WHERE kind = ? AND key = ?').run(kind, key).changes > 0);
  }

  // ── intervention history ──────────────────────────────────────────────────────────────────

  /** Appends an intervention the user ran; returns its id (ids only grow, even after deletes). */
  addIntervention(input: InterventionInput): number {
    const result = this.write('an intervention', () =>
      this.db
        .prepare('INSERT INTO interventions (created_at, spec, scm_result, real_result) VALUES (?, ?, ?, ?)')
        .run(new Date().toISOString(), this.json(input.spec, 'spec'), this.optJson(input.scmResult), this.optJson(input.realResult)),
    );
    return Number(result.lastInsertRowid);
  }

  /** Fills in results computed later (the real network's answer takes longer than the SCM's). */
  updateIntervention(id: number, results: { scmResult?: unknown; realResult?: unknown }): void {
    const changes = this.write(`intervention ${id}`, () =>
      this.db
        .prepare('UPDATE interventions SET scm_result = coalesce(?, scm_result), real_result = coalesce(?, real_result) WHERE id = ?')
        .run(this.optJson(results.scmResult), this.optJson(results.realResult), id).changes,
    );
    if (changes === 0) throw new ProjectStoreError(this.file, 'invalid-input', `has no intervention ${id}`);
  }

  getIntervention(id: number): InterventionRecord | undefined {
    const row = this.db.prepare<[number], InterventionRow>('SELECT * FROM interventions WHERE id = ?').get(id);
    return row && toIntervention(row);
  }

  /** All interventions in the order they were run. */
  listInterventions(): InterventionRecord[] {
    return this.db.prepare<[], InterventionRow>('SELECT * FROM interventions ORDER BY id').all().map(toIntervention);
  }

  deleteIntervention(id: number): boolean {
    return this.write(`deleting intervention ${id}`, () => this.db.prepare('DELETE FROM interventions WHERE id = ?').run(id).changes > 0);
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────

  /** Runs a write; SQLite's refusals become errors naming the file and what to do. */
  private write<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (this.readonly && String((e as { code?: unknown }).code).startsWith('SQLITE_READONLY')) {
        throw new ProjectStoreError(this.file, 'read-only', `was opened for reading only and cannot store ${what}`, { cause: e });
      }
      throw asWriteError(this.file, e, what);
    }
  }

  private holds(kind: string, key: string, json: string, blob: Buffer | null): boolean {
    const row = this.db.prepare<[string, string], { value: string; blob: Buffer | null }>('SELECT value, blob FROM artifacts WHERE kind = ? AND key = ?').get(kind, key);
    return row !== undefined && canonicalJson(JSON.parse(row.value)) === canonicalJson(JSON.parse(json)) && (row.blob === null ? blob === null : blob !== null && row.blob.equals(blob));
  }

  private parse<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
    const checked = schema.safeParse(raw);
    if (!checked.success) {
      throw new ProjectStoreError(this.file, 'invalid-data', `holds ${what} in a form this version cannot read: ${prettify(checked.error)}`);
    }
    return checked.data;
  }

  private json(value: unknown, what: string): string {
    const json = JSON.stringify(value);
    if (json === undefined) throw new ProjectStoreError(this.file, 'invalid-input', `refuses an intervention whose ${what} is not JSON`);
    return json;
  }

  private optJson(value: unknown): string | null {
    return value === undefined ? null : this.json(value, 'result');
  }
}

function toIntervention(row: InterventionRow): InterventionRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    spec: JSON.parse(row.spec) as unknown,
    ...(row.scm_result !== null ? { scmResult: JSON.parse(row.scm_result) as unknown } : {}),
    ...(row.real_result !== null ? { realResult: JSON.parse(row.real_result) as unknown } : {}),
  };
}

function prettify(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
