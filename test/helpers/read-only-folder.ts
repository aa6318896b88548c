/**
 * A read-only view of a folder for tests. File modes do not stop root, so as root the folder is
 * bind-mounted read-only (the kernel then refuses every write, root's too); as another user the
 * folder's write bits are removed. Returns null where neither works (the caller skips, saying why).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ReadOnlyView {
  /** The path to use: every write under it fails. */
  path: string;
  release(): void;
}

export function readOnlyView(dir: string, mountPoint: string): ReadOnlyView | null {
  if (process.getuid?.() !== 0) {
    const modes = new Map<string, number>();
    const walk = (p: string) => {
      modes.set(p, statSync(p).mode);
      if (statSync(p).isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    };
    walk(dir);
    for (const [p, mode] of modes) chmodSync(p, mode & ~0o222);
    return { path: dir, release: () => [...modes].reverse().forEach(([p, mode]) => chmodSync(p, mode)) };
  }
  try {
    mkdirSync(mountPoint, { recursive: true });
    execFileSync('mount', ['--bind', dir, mountPoint], { stdio: 'ignore' });
    try {
      execFileSync('mount', ['-o', 'remount,bind,ro', mountPoint], { stdio: 'ignore' });
    } catch (e) {
      execFileSync('umount', [mountPoint], { stdio: 'ignore' });
      throw e;
    }
    return { path: mountPoint, release: () => execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' }) };
  } catch {
    return null;
  }
}
