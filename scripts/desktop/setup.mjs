// `npm run desktop:setup` (also run after `npm ci`): makes sure the native dependencies load in the
// installed Electron. All of them are Node-API addons (better-sqlite3, onnxruntime-node, tfjs-node),
// whose binaries work in Node and Electron alike; should one fail to load in Electron, this rebuilds
// the native dependencies for it (electron-builder install-app-deps, i.e. @electron/rebuild) and
// checks again. Where the Electron binary is absent (ELECTRON_SKIP_BINARY_DOWNLOAD=1, no network),
// it says so in one line and skips. Never fails the install it runs in: it reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const electronDir = process.env.CAUSEWAY_ELECTRON_DIR ?? join(root, 'node_modules', 'electron');
const say = (line) => process.stdout.write(`desktop:setup: ${line}\n`);

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function check(binary) {
  const run = spawnSync(binary, [join(root, 'scripts', 'desktop', 'native-check.cjs')], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const lines = (run.stdout ?? '').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  if (lines.length === 0) return [{ name: 'electron', status: 'failed', detail: `${binary} did not run the check: ${(run.stderr || run.error?.message || `exit ${run.status}`).split('\n')[0]}` }];
  return lines;
}

const summary = (results) =>
  results
    .filter((r) => r.status !== 'absent')
    .map((r) => `${r.name} ${r.status === 'ok' ? 'loads' : `FAILS: ${r.detail}`}`)
    .join('; ');

function main() {
  const binary = electronBinary();
  if (!binary) {
    say("Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1 or no download), so native modules were not checked in Electron; skipped (npm start uses web mode; for the desktop app run `node node_modules/electron/install.js`, then `npm run desktop:setup`).");
    return;
  }
  let results = check(binary);
  if (results.every((r) => r.status !== 'failed')) {
    say(`${summary(results)} in Electron (${binary}); no rebuild needed.`);
    return;
  }
  say(`${summary(results)}; rebuilding native dependencies for Electron…`);
  const rebuild = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), 'install-app-deps'], { cwd: root, stdio: 'inherit' });
  results = check(binary);
  if (rebuild.status === 0 && results.every((r) => r.status !== 'failed')) say(`after the rebuild: ${summary(results)} in Electron.`);
  else say(`still failing after the rebuild (${summary(results)}); the desktop app cannot open projects until this is fixed.`);
}

main();
