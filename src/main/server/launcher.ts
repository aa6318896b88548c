/**
 * `npm start`: the desktop app when the Electron binary is installed; otherwise one line saying so,
 * then web mode with its URL, so the same command works on every machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { serve } from './serve.js';
import { repoRoot } from './web-mode.js';

/**
 * The Electron binary's path, or why there is none. Read the way the electron package does it, but
 * without requiring the package: its index.js starts a download when the binary is missing.
 */
export function findElectron(packageDir: string | null = electronPackageDir(), env: NodeJS.ProcessEnv = process.env): { path: string } | { missing: string } {
  if (!packageDir) return { missing: 'the electron package is not installed' };
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const path = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron') : relative ? join(packageDir, 'dist', relative) : '';
  if (!path || !existsSync(path)) return { missing: "its binary was not downloaded; where downloads work, run `node node_modules/electron/install.js`" };
  return { path };
}

function electronPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

function desktopBuildIsFresh(): boolean {
  const main = join(repoRoot, 'out', 'main', 'index.js');
  const renderer = join(repoRoot, 'out', 'renderer', 'index.html');
  if (!existsSync(main) || !existsSync(renderer)) return false;
  const built = Math.min(statSync(main).mtimeMs, statSync(renderer).mtimeMs);
  const newest = (p: string): number => {
    const s = statSync(p);
    if (!s.isDirectory()) return s.mtimeMs;
    return Math.max(s.mtimeMs, ...readdirSync(p).map((e) => newest(join(p, e))));
  };
  return newest(join(repoRoot, 'src')) <= built;
}

export async function launch(argv: string[]): Promise<number> {
  const electron = findElectron();
  if ('missing' in electron) {
    await serve(argv, `Electron is not available here (${electron.missing}); starting Causeway in web mode instead.`);
    return -1; // keeps running until Ctrl+C
  }
  if (!desktopBuildIsFresh()) {
    process.stdout.write('building the desktop app once…\n');
    const { build } = await import('electron-vite');
    await build({ root: repoRoot, logLevel: 'warn' });
  }
  const child = spawn(electron.path, [repoRoot, ...argv], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}
