/**
 * One writer per project. SQLite serialises single transactions, but a build is thousands of them
 * over minutes: two builds of one project would interleave their batches and the second would die
 * half-way. So a long writer holds an advisory lock, `project.causeway.lock` beside the database,
 * made with O_EXCL and holding the holder's pid, host, command and start time. A second writer
 * either stops at once saying who holds it, or (--wait) waits for it. A lock whose process is gone
 * (kill -9, a crash) is taken over.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ProjectStoreError } from './project-store-error.js';
import { DB_FILE_NAME } from './schema.js';

export const LOCK_FILE_NAME = 'project.causeway.lock';

/** Tokens of the locks this process holds (locks are taken in the main thread only). */
const held = new Set<string>();

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  token: string;
}

export interface LockOptions {
  /** Wait for the holder to finish instead of failing at once. */
  wait?: boolean;
  /** Called once when waiting starts, with who holds the lock. */
  onWait?: (holder: LockHolder) => void;
  pollMs?: number;
  signal?: AbortSignal;
}

export interface ProjectLock {
  readonly file: string;
  release(): void;
}

/** Takes the project's writer lock for `command` (e.g. "build"), or says who holds it. */
export async function acquireProjectLock(dir: string, command: string, options: LockOptions = {}): Promise<ProjectLock> {
  const file = join(resolve(dir), LOCK_FILE_NAME);
  const me: LockHolder = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  let told = false;
  for (;;) {
    if (tryCreate(file, me)) {
      held.add(me.token);
      return { file, release: () => release(file, me.token) };
    }
    const holder = readHolder(file);
    if (holder && isStale(holder)) {
      removeStale(file, holder.token);
      continue;
    }
    if (!holder) {
      // Just created and not yet written, or removed meanwhile: look again shortly.
      await sleep(50);
      continue;
    }
    if (!options.wait) {
      throw new ProjectStoreError(
        file,
        'locked',
        `is held by ${describe(holder)}: another ${holder.command} is writing to this project. Wait for it to finish, or run again with --wait to start when it does`,
      );
    }
    if (!told) {
      options.onWait?.(holder);
      told = true;
    }
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('cancelled while waiting for the project lock');
    await sleep(options.pollMs ?? 500);
  }
}

export function describe(holder: LockHolder): string {
  return `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`;
}

function tryCreate(file: string, me: LockHolder): boolean {
  try {
    writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
      // The lock is a writer's first write: name the project's database, as every other write error does.
      throw new ProjectStoreError(
        join(dirname(file), DB_FILE_NAME),
        'read-only',
        `cannot be written (its lock ${file}: ${code}): the folder is read-only; make the folder writable, or copy the project to a writable folder and run again`,
        { cause: error },
      );
    }
    throw error;
  }
}

export function readHolder(file: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof value.pid === 'number' && typeof value.token === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A holder on this machine whose process no longer exists, or this process when it does not hold
 * that lock (left by a job that was stopped). Another host's lock is never broken.
 */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !held.has(holder.token);
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Moves the stale lock aside first, so two processes taking it over cannot delete each other's new lock. */
function removeStale(file: string, token: string): void {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else took it over
  }
  if (readHolder(aside)?.token !== token) {
    // Not the stale lock we looked at (it was replaced in between): put it back if the place is free.
    try {
      writeFileSync(file, readFileSync(aside), { flag: 'wx' });
    } catch {
      // a third process holds it now
    }
  }
  unlinkSync(aside);
}

function release(file: string, token: string): void {
  held.delete(token);
  if (readHolder(file)?.token !== token) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
