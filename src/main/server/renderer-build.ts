/**
 * Web mode serves out/renderer; this builds it (with the renderer part of electron.vite.config.ts,
 * the same config the desktop build uses) when it is missing or older than its sources.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function rendererDir(root: string): string {
  return join(root, 'out', 'renderer');
}

/** True when out/renderer/index.html is newer than every renderer, shared and config source. */
export function rendererIsFresh(root: string): boolean {
  const index = join(rendererDir(root), 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  const sources = [join(root, 'src', 'renderer'), join(root, 'src', 'shared'), join(root, 'electron.vite.config.ts')];
  return sources.every((s) => newestMtime(s) <= built);
}

export async function ensureRendererBuilt(root: string, say: (line: string) => void = () => undefined): Promise<string> {
  if (rendererIsFresh(root)) return rendererDir(root);
  say('building the app (renderer) once: a few seconds…');
  const { build } = await import('vite');
  const { rendererConfig } = (await import(pathToFileURL(join(root, 'electron.vite.config.ts')).href)) as { rendererConfig: object };
  await build({ ...rendererConfig, configFile: false, logLevel: 'warn', mode: 'production' });
  return rendererDir(root);
}
