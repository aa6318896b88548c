/**
 * Opens a project database without ever changing a file that is not a healthy Causeway database:
 * the header, application_id, schema version and (optionally) SQLite's quick_check are all verified
 * with reads only, before WAL mode is switched on or any migration runs. A new database is built
 * under a temporary name and linked into place complete, so a crash never leaves a half-made one.
 */
import Database from 'better-sqlite3';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync } from 'node:fs';
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
  /**
   * Open for reading only: no WAL switch, no migration, no write. Works in a read-only folder
   * (SQLite cannot make the WAL index there, so the file is then read into memory).
   */
  readonly?: boolean;
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
  if (options.readonly) return openReadOnly(file, options);

  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: options.busyTimeoutMs ?? 5000 });
  } catch (e) {
    throw asStoreError(file, e);
  }
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

function openReadOnly(file: string, options: OpenOptions): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: options.busyTimeoutMs ?? 5000 });
    db.pragma('schema_version');
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'SQLITE_CANTOPEN') throw asStoreError(file, e);
    // A WAL database in a folder we cannot write: SQLite cannot create its -shm index. With no
    // -wal holding unsaved pages the file alone is the whole database: read it into memory, marked
    // as a rollback-journal database (header bytes 18–19) since memory has no WAL.
    if ((statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) {
      throw new ProjectStoreError(file, 'read-only', `cannot be read here: its folder is read-only and ${file}-wal holds changes not yet merged; open it once where the folder is writable`);
    }
    const bytes = readFileSync(file);
    bytes[18] = 1;
    bytes[19] = 1;
    db = new Database(bytes, { readonly: true });
  }
  try {
    verify(db, file, options.verify ?? true);
    if (userVersion(db) < SCHEMA_VERSION) {
      throw new ProjectStoreError(file, 'read-only', `was written by an older Causeway (schema ${userVersion(db)}) and must be upgraded, which needs writing: open it once where it is writable`);
    }
    return db;
  } catch (e) {
    db.close();
    throw e instanceof ProjectStoreError ? e : asStoreError(file, e);
  }
}

/** A write that SQLite refused, as an error naming the file and saying what to do. */
export function asWriteError(file: string, e: unknown, what: string): unknown {
  const code = String((e as { code?: unknown }).code ?? '');
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new ProjectStoreError(file, 'read-only', `cannot be written (${what}): the file or its folder is read-only; make the folder writable, or copy the project to a writable folder and run again`, { cause: e });
  }
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return new ProjectStoreError(file, 'write-failed', `could not be written (${what}): ${(e as Error).message}; free disk space and run again (nothing stored before was lost)`, { cause: e });
  }
  return e;
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
  return asWriteError(file, e, 'opening it for writing');
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
