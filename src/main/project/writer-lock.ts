/**
 * Runs a long write to a project under its writer lock (store/project-lock.ts), taken in the
 * calling (main) thread so that a worker terminated on cancel never leaves it behind. A project
 * folder that does not exist yet is made to hold the lock and removed again if the work fails and
 * left it empty, so a failed creation still leaves nothing.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { acquireProjectLock, describe, type LockHolder } from '../store/project-lock.js';

export interface WriterLockOptions {
  /** Make a missing project folder to hold the lock (a build that creates the project); otherwise a missing folder has nothing to protect. */
  create?: boolean;
  wait?: boolean;
  /** Told once when another writer holds the lock and we wait for it. */
  onWait?: (line: string) => void;
  signal?: AbortSignal;
}

export async function withWriterLock<T>(dir: string, command: string, options: WriterLockOptions, work: () => Promise<T>): Promise<T> {
  const abs = resolve(dir);
  const made = !existsSync(abs);
  if (made && !options.create) return work();
  if (made) mkdirSync(abs, { recursive: true });
  let lock;
  try {
    lock = await acquireProjectLock(abs, command, {
      wait: options.wait,
      signal: options.signal,
      onWait: (holder: LockHolder) => options.onWait?.(`waiting for ${describe(holder)} to finish with ${abs}…`),
    });
  } catch (error) {
    if (made) removeIfEmpty(abs);
    throw error;
  }
  try {
    return await work();
  } finally {
    lock.release();
    if (made) removeIfEmpty(abs);
  }
}

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // gone already, or not ours to remove
  }
}
