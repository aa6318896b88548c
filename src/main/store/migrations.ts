/**
 * Ordered schema migrations. `PRAGMA user_version` holds the last one applied; each runs in its own
 * IMMEDIATE transaction together with the version bump, so a crash or a failing step leaves the file
 * at the previous version with nothing half-applied.
 */
import type { Database } from 'better-sqlite3';
import { APPLICATION_ID, SCHEMA_V1 } from './schema.js';

export interface Migration {
  /** The user_version after this migration: 1, 2, 3, … in order. */
  version: number;
  description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'initial schema: project, builds, build_batches, phi_batches, artifacts, interventions',
    up(db) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.exec(SCHEMA_V1);
    },
  },
  {
    version: 2,
    description: 'which forward engine (ort, tfjs) produced each build and artifact; NULL for results stored before engines were recorded',
    up(db) {
      db.exec('ALTER TABLE builds ADD COLUMN engine TEXT; ALTER TABLE artifacts ADD COLUMN engine TEXT;');
    },
  },
];

/** The newest schema this build reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations newer than the file's user_version; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i} has version ${m.version}, expected ${i + 1}`);
  });
  const applied: number[] = [];
  for (const m of migrations) {
    const step = db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      if (userVersion(db) >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    });
    if (userVersion(db) < m.version) step.immediate();
  }
  return applied;
}
