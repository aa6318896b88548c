/**
 * The desktop tooling around the app: the native-module check (run in Node here, in Electron by
 * desktop:setup), desktop:setup with and without an Electron binary (a stand-in that is Node), and
 * what `npm run dist` decides it must download.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { packagingInputs, unavailableReason } from '../../scripts/desktop/packaging-inputs.js';

const repo = join(import.meta.dirname, '../..');
const runNode = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

describe('native-check.cjs', () => {
  it('loads better-sqlite3 and onnxruntime-node and uses each once; optional tfjs-node is reported as absent or ok', () => {
    const run = runNode([join(repo, 'scripts/desktop/native-check.cjs')]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; status: string; detail: string });
    expect(lines.map((l) => l.name)).toEqual(['better-sqlite3', 'onnxruntime-node', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']);
    const sqliteVersion = (new Database(':memory:').prepare('select sqlite_version() as v').get() as { v: string }).v;
    expect(lines[0]).toEqual({ name: 'better-sqlite3', status: 'ok', detail: `SQLite ${sqliteVersion} in Node ${process.versions.node}` });
    expect(lines[1]).toMatchObject({ name: 'onnxruntime-node', status: 'ok' });
    expect(lines[1].detail).toMatch(/^backends .*cpu/);
    for (const l of lines.slice(2)) expect(['ok', 'absent']).toContain(l.status);
  });
});

describe('desktop:setup', () => {
  it('says in one line that it skipped, and succeeds, where the Electron binary is absent', () => {
    const electronDir = mkdtempSync(join(tmpdir(), 'causeway-no-electron-'));
    const run = runNode([join(repo, 'scripts/desktop/setup.mjs')], { CAUSEWAY_ELECTRON_DIR: electronDir });
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/^desktop:setup: Electron's binary is not installed .*skipped/);
  });

  it.skipIf(process.platform === 'win32')('runs the check inside the Electron binary (here a stand-in that is Node) and reports each module', () => {
    const electronDir = mkdtempSync(join(tmpdir(), 'causeway-stand-in-electron-'));
    mkdirSync(join(electronDir, 'dist'));
    writeFileSync(join(electronDir, 'path.txt'), 'electron');
    // Records that ELECTRON_RUN_AS_NODE was set, as Electron needs it to run a script as Node.
    writeFileSync(join(electronDir, 'dist/electron'), `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || exit 9\nexec "${process.execPath}" "$@"\n`);
    chmodSync(join(electronDir, 'dist/electron'), 0o755);
    const run = runNode([join(repo, 'scripts/desktop/setup.mjs')], { CAUSEWAY_ELECTRON_DIR: electronDir });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(`desktop:setup: better-sqlite3 loads; onnxruntime-node loads in Electron (${join(electronDir, 'dist/electron')}); no rebuild needed.`);
  });
});

describe('what npm run dist must download', () => {
  function fakeRoot(withBinary: boolean): string {
    const root = mkdtempSync(join(tmpdir(), 'causeway-dist-'));
    const electron = join(root, 'node_modules/electron');
    mkdirSync(join(electron, 'dist'), { recursive: true });
    writeFileSync(join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
    if (withBinary) {
      writeFileSync(join(electron, 'path.txt'), 'electron');
      writeFileSync(join(electron, 'dist/electron'), '');
    }
    return root;
  }
  const host = { platform: process.platform, arch: process.arch };
  const noCache = { ELECTRON_CACHE: mkdtempSync(join(tmpdir(), 'causeway-electron-cache-')) };

  it('without the binary or a cached zip: Electron for the target, and the installer tools unless --dir', () => {
    const dir = packagingInputs({ root: fakeRoot(false), ...host, dirOnly: true, env: noCache });
    expect(dir.downloads).toEqual([{ what: `Electron 45.4.1 for ${host.platform}-${host.arch} (the Electron binary is not installed here either)`, from: 'https://github.com/electron/electron/releases/' }]);
    const full = packagingInputs({ root: fakeRoot(false), ...host, dirOnly: false, env: { ...noCache, ELECTRON_BUILDER_BINARIES_MIRROR: 'https://mirror.example/b/' } });
    expect(full.downloads.map((d) => d.from)).toEqual(['https://github.com/electron/electron/releases/', 'https://mirror.example/b/']);
  });

  it("uses the installed binary for this machine's platform, a cached zip for another", () => {
    const root = fakeRoot(true);
    const here = packagingInputs({ root, ...host, dirOnly: true, env: noCache });
    expect(here).toMatchObject({ electronDist: join(root, 'node_modules/electron/dist'), downloads: [] });
    const cache = mkdtempSync(join(tmpdir(), 'causeway-electron-cache-'));
    mkdirSync(join(cache, 'abc123'));
    writeFileSync(join(cache, 'abc123', 'electron-v45.4.1-win32-x64.zip'), '');
    const other = packagingInputs({ root, platform: 'win32', arch: 'x64', dirOnly: true, env: { ELECTRON_CACHE: cache } });
    expect(other).toMatchObject({ electronZip: join(cache, 'abc123', 'electron-v45.4.1-win32-x64.zip'), downloads: [] });
  });

  it('names in one sentence what cannot be reached and why; nothing when every host answers', async () => {
    const inputs = packagingInputs({ root: fakeRoot(false), ...host, dirOnly: false, env: noCache });
    const reason = await unavailableReason(inputs, async (url) => (url.includes('electron-builder-binaries') ? 'ETIMEDOUT' : 'ENOTFOUND'));
    expect(reason).toBe(
      `electron-builder must download Electron 45.4.1 for ${host.platform}-${host.arch} (the Electron binary is not installed here either) from github.com (ENOTFOUND) and its installer tools (AppImage, fpm, NSIS) from github.com (ETIMEDOUT), which this machine cannot reach`,
    );
    expect(await unavailableReason(inputs, async () => null)).toBeNull();
  });
});
