/**
 * What electron-builder needs beyond node_modules, and whether this machine has it: Electron's
 * build for the target (the installed binary when the target is this machine, else a zip in the
 * Electron download cache, else a download) and, for installers, its packaging tools (downloaded).
 * Used by `npm run dist` to say in one line why it cannot package, before electron-builder retries.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PackagingInputs {
  electronVersion: string;
  target: string;
  /** Electron's unpacked build for the target, when it is on this machine (node_modules/electron/dist). */
  electronDist?: string;
  /** A cached Electron zip for the target. */
  electronZip?: string;
  /** What must be downloaded, each with the URL it comes from. */
  downloads: { what: string; from: string }[];
}

export interface InputsRequest {
  root: string;
  platform: string;
  arch: string;
  dirOnly: boolean;
  env?: NodeJS.ProcessEnv;
}

export function packagingInputs({ root, platform, arch, dirOnly, env = process.env }: InputsRequest): PackagingInputs {
  const electronDir = join(root, 'node_modules', 'electron');
  const electronVersion = (JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string }).version;
  const target = `${platform}-${arch}`;
  const inputs: PackagingInputs = { electronVersion, target, downloads: [] };
  const binary = installedElectron(electronDir);
  if (binary && platform === process.platform && arch === process.arch) inputs.electronDist = join(electronDir, 'dist');
  else {
    const zip = findFile(electronCacheDir(env), `electron-v${electronVersion}-${target}.zip`, 3);
    if (zip) inputs.electronZip = zip;
    else inputs.downloads.push({ what: `Electron ${electronVersion} for ${target}${binary ? '' : ' (the Electron binary is not installed here either)'}`, from: env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/' });
  }
  if (!dirOnly) inputs.downloads.push({ what: 'its installer tools (AppImage, fpm, NSIS)', from: env.ELECTRON_BUILDER_BINARIES_MIRROR || 'https://github.com/electron-userland/electron-builder-binaries/releases/' });
  return inputs;
}

/** The electron package's binary, as its index.js finds it (path.txt), if it was downloaded. */
export function installedElectron(electronDir: string): string | null {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** @electron/get's cache folder (electron-builder reads Electron zips from there). */
export function electronCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ELECTRON_CACHE) return env.ELECTRON_CACHE;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'electron');
}

function findFile(dir: string, name: string, depth: number): string | null {
  if (depth < 0 || !existsSync(dir)) return null;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === name) return join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(join(dir, entry.name), name, depth - 1);
      if (found) return found;
    }
  }
  return null;
}

/** Whether a host answers HTTPS at all (any status), within the timeout; else the error's code. */
export async function probe(url: string, timeoutMs = 5000): Promise<string | null> {
  try {
    await fetch(new URL(url).origin, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    return null;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).name ?? 'unreachable';
  }
}

/** One sentence saying what cannot be downloaded and why, or null when packaging can go ahead. */
export async function unavailableReason(inputs: PackagingInputs, reach: (url: string) => Promise<string | null> = probe): Promise<string | null> {
  const failed: string[] = [];
  for (const { what, from } of inputs.downloads) {
    const why = await reach(from);
    if (why) failed.push(`${what} from ${new URL(from).host} (${why})`);
  }
  return failed.length ? `electron-builder must download ${failed.join(' and ')}, which this machine cannot reach` : null;
}
