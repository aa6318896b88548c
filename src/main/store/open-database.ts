/**
 * Opens a project database without ever changing a file that is not a healthy Causeway database:
 * the header, application_id, schema version and (optionally) SQLite's quick_check are all verified
 * with reads only, before WAL mode is switched on or any migration runs. A new database is built
 * under a temporary name and linked into place complete, so a crash never leaves a half-made one.
 */
import Database from 'better-sqlite3';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, SCHEMA_VERSION, userVersion } from './migrations.js';
import { ProjectStoreError } from './project-store-error.js';
import { APPLICATION_ID, SQLITE_MAGIC } from './schema.js';

export interface OpenOptions {
  /** Create the folder and the database when missing (default false). */
  create?: boolean;
  /** Run SQLite's quick_check on open (default true; reads every page, about a second per GB). */
  verify?: boolean;
  /** How long to wait for another process's write lock, in ms (default 5000). */
  busyTimeoutMs?: number;
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const info = statSync(file, { throwIfNoEntry: false });
  if (!info) {
    if (!options.create) {
      const folder = statSync(dirname(file), { throwIfNoEntry: false });
      throw new ProjectStoreError(file, 'not-found', folder ? 'does not exist' : 'does not exist (nor does its folder)');
    }
    createDatabase(file);
  } else if (!info.isFile()) {
    throw new ProjectStoreError(file, 'not-sqlite', 'is not a Causeway project database (not a regular file)');
  }
  checkHeader(file);

  const db = new Database(file, { fileMustExist: true, timeout: options.busyTimeoutMs ?? 5000 });
  try {
    verify(db, file, options.verify ?? true);
    db.pragma('journal_mode = WAL');
    // NORMAL under WAL: a power loss may drop the last commits but never corrupts the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e instanceof ProjectStoreError ? e : asStoreError(file, e);
  }
}

function checkHeader(file: string): void {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (n === 0) throw new ProjectStoreError(file, 'not-sqlite', 'is not a Causeway project database (an empty file)');
  if (n < head.length || !head.equals(SQLITE_MAGIC)) {
    throw new ProjectStoreError(file, 'not-sqlite', 'is not a Causeway project database (not an SQLite file)');
  }
}

/** Read-only checks, in the order that gives the most useful message. */
function verify(db: Database.Database, file: string, quickCheck: boolean): void {
  const appId = (db.pragma('application_id', { simple: true }) as number) >>> 0;
  if (appId !== APPLICATION_ID) {
    const hex = `0x${appId.toString(16).padStart(8, '0')}`;
    throw new ProjectStoreError(file, 'foreign', `belongs to another application (application_id ${hex})`);
  }
  const version = userVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new ProjectStoreError(
      file,
      'newer-schema',
      `was written by a newer Causeway (schema ${version}, this version reads up to ${SCHEMA_VERSION})`,
    );
  }
  if (!quickCheck) return;
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  const problems = rows
    .flatMap((r) => r.quick_check.split('\n'))
    .map((m) => m.trim())
    .filter((m) => m !== 'ok' && m !== '' && !m.startsWith('***'));
  if (problems.length > 0) {
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
    throw corrupt(file, `integrity check: ${problems.slice(0, 3).join('; ')}${more}`);
  }
}

function corrupt(file: string, detail: string, cause?: unknown): ProjectStoreError {
  return new ProjectStoreError(
    file,
    'corrupt',
    `is a corrupt Causeway project database (${detail}); it was left as it is — restore it from a backup or move it away`,
    { cause },
  );
}

function asStoreError(file: string, e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  // The header already passed as SQLite's, so "not a database" now means damaged header fields.
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) {
    return corrupt(file, (e as Error).message, e);
  }
  return e;
}

/**
 * Builds the schema in `<file>.<pid>.<random>.tmp`, then hard-links it to `file`: link fails if a
 * file appeared there meanwhile (another process, or the user), which is then opened and verified
 * instead of being replaced.
 */
function createDatabase(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const db = new Database(tmp);
    try {
      migrate(db);
      db.pragma('journal_mode = WAL');
    } finally {
      db.close(); // checkpoints the WAL into the file and removes it
    }
    fsyncFile(tmp);
    try {
      linkSync(tmp, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return;
      // File systems without hard links (FAT, some network shares): check, then rename.
      if (statSync(file, { throwIfNoEntry: false })) return;
      renameSync(tmp, file);
    }
    fsyncDir(dirname(file));
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) {
      try {
        unlinkSync(f);
      } catch {
        // already gone (renamed, or never made)
      }
    }
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot fsync a directory; NTFS journals the link itself.
  }
}
