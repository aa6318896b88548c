/**
 * The desktop app as it ships, as far as a machine without Electron allows: electron-vite builds it
 * (into a temporary app folder), the built main process (out/main/index.js) runs in plain Node with
 * a recorded stand-in for the electron module and is driven through its IPC handlers (open the demo,
 * build it in the job worker, a do-query, a report saved as HTML); then electron-builder packages it
 * with the project's configuration (a stand-in Electron build instead of the download) and the same
 * drive runs from the packaged layout: app.asar's files and the resources beside it. Path mistakes in
 * the bundle (version, worker entry, renderer, preload, resources, dependencies left out of the
 * package) fail here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../src/shared/contract.js';
import { AppService, handlers } from '../../src/main/services/app-service.js';
import builderConfig, { nativeUnpack } from '../../electron-builder.config.js';

const repo = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;

let work: string;
let appDir: string;
/** Why packaging cannot be tried here, or null. */
let hardLinkedModules: string | null = null;

/**
 * A temporary app folder laid out like the checkout: package.json, node_modules, resources, build/,
 * out/. node_modules is a tree of hard links (seconds, no copy): electron-builder collects the
 * production dependencies with `npm ls`, which cannot follow a symlinked node_modules folder.
 */
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'causeway-desktop-'));
  appDir = join(work, 'app');
  mkdirSync(appDir);
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(repo, f), join(appDir, f));
  for (const linked of ['resources', 'build']) symlinkSync(realpathSync(join(repo, linked)), join(appDir, linked));
  const linkedTree = spawnSync('cp', ['-al', realpathSync(join(repo, 'node_modules')), join(appDir, 'node_modules')], { encoding: 'utf8' });
  if (linkedTree.status !== 0) symlinkSync(realpathSync(join(repo, 'node_modules')), join(appDir, 'node_modules'));
  hardLinkedModules = linkedTree.status === 0 ? null : `cannot hard-link node_modules into ${work} (${linkedTree.stderr.trim()}); npm ls cannot read a symlinked one`;
  const cli = join(realpathSync(join(repo, 'node_modules/electron-vite')), 'bin/electron-vite.js');
  const built = spawnSync(process.execPath, [cli, 'build', '--outDir', join(appDir, 'out'), '--logLevel', 'warn'], { cwd: repo, encoding: 'utf8', timeout: 400_000 });
  if (built.status !== 0) throw new Error(`electron-vite build failed: ${built.stderr || built.stdout}`);
}, 420_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface DriveResult {
  handlers: string[];
  windows: { options: { webPreferences: Record<string, unknown> }; loaded: { file: string; exists: boolean }[] }[];
  menuLabels: string[] | null;
  sessions: { name: string; permissionHandler: boolean; headerListeners: number }[];
  dialogs: { kind: string; options: { defaultPath: string } }[];
  info: { version: string; demos: { name: string }[] };
  demo: { dir: string; modelPath: string; dataPath: string; nodeLayers: { name: string }[] };
  build: { end: { name: string; payload: Record<string, unknown> }; progressSteps: string[]; current: { build: { validation: { scmAccuracy: number } } } };
  query: { scm: { accuracy: number; perClass: unknown[] } };
  report: { path: string; format: string; bytes: number };
  untrusted: { error?: { code: string } };
}

/** Runs test/desktop/drive-bundle.mjs on a built main process; resolves with what it printed. */
function drive(env: Record<string, string>): Promise<DriveResult> {
  const userData = mkdtempSync(join(work, 'user-'));
  const saveDir = mkdtempSync(join(work, 'save-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', join(repo, 'test/desktop/electron-stand-in/register.mjs'), join(repo, 'test/desktop/drive-bundle.mjs')], {
      cwd: work,
      env: { ...process.env, CAUSEWAY_STANDIN_USER_DATA: userData, CAUSEWAY_STANDIN_SAVE_DIR: saveDir, CAUSEWAY_BACKEND: '', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('DRIVE-RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('DRIVE-RESULT '.length)) as DriveResult);
      else reject(new Error(`the bundle drive exited ${code}: ${err.slice(-3000)}`));
    });
  });
}

/** What the source services answer for the same query on the same project folder. */
async function sourceQuery(projectDir: string, resourcesDir: string) {
  const service = new AppService({ userDataDir: mkdtempSync(join(work, 'source-')), resourcesDir, emit: () => undefined });
  const h = handlers(service);
  await h['projects.open']({ dir: projectDir });
  const result = await h['query.run']({ interventions: [{ layer: 'conv1', channels: [0, 2], kind: 'zero' }], save: false });
  await service.dispose();
  return result;
}

/** Checks one drive of the app: windows, security, IPC, and the answers against the source services. */
async function expectWorkingApp(result: DriveResult, layout: { appPath: string; resourcesDir: string }) {
  expect([...result.handlers].sort()).toEqual([...methodNames].sort());
  const [win] = result.windows;
  expect(win.loaded).toEqual([{ file: join(layout.appPath, 'out/renderer/index.html'), exists: true }]);
  expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, preload: join(layout.appPath, 'out/preload/index.cjs') });
  expect(existsSync(win.options.webPreferences.preload as string)).toBe(true);
  expect(result.menuLabels).toEqual(expect.arrayContaining(['File', 'Help']));
  expect(result.sessions[0]).toEqual({ name: 'default', permissionHandler: true, headerListeners: 1 });
  expect(result.untrusted.error?.code).toBe('unauthorized');

  // The version is package.json's, built into the bundle.
  expect(result.info.version).toBe(version);
  expect(result.info.demos.map((d) => d.name)).toContain('lenet5');
  expect(result.demo.modelPath).toBe(join(layout.resourcesDir, 'models/lenet5'));
  expect(result.demo.nodeLayers.map((l) => l.name)).toEqual(['conv1', 'conv2', 'logits']);

  // The build ran in the bundled job worker, every pipeline step in order.
  expect(result.build.end.name).toBe('job.done');
  expect(result.build.progressSteps).toEqual(['load', 'phi', 'augmentation', 'fitting', 'validation', 'evaluation']);

  // The bundle's do-query answers what the source services answer on the same project.
  const expected = await sourceQuery(result.demo.dir, layout.resourcesDir);
  expect(result.query.scm).toEqual(JSON.parse(JSON.stringify(expected.scm)));
  expect(result.query.scm.accuracy).not.toBe(result.build.current.build.validation.scmAccuracy);

  // The report went where the save dialog said, as HTML carrying the app's version.
  expect(result.dialogs.map((d) => d.kind)).toEqual(['save']);
  const html = readFileSync(result.report.path, 'utf8');
  expect(result.report.bytes).toBe(Buffer.byteLength(html));
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toContain(`Causeway ${version}`);
  expect(html).toContain('lenet5 demo');
}

describe('the electron-vite bundle', () => {
  it('carries the version and reads nothing from package.json at run time', () => {
    const main = join(appDir, 'out/main');
    const files = readdirSync(main, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'job-worker.js']));
    for (const f of files) expect(readFileSync(join(main, f), 'utf8')).not.toContain('package.json');
    // runJob starts ./job-worker.js beside the module that holds it: that module must be index.js.
    expect(readFileSync(join(main, 'index.js'), 'utf8')).toContain('new URL("./job-worker.js", import.meta.url)');
  });

  it('the sandboxed preload requires only electron (the contract and zod are bundled into it)', () => {
    const preload = readFileSync(join(appDir, 'out/preload/index.cjs'), 'utf8');
    expect([...new Set(preload.match(/require\("[^"]+"\)/g))]).toEqual(['require("electron")']);
  });

  it('runs in Node with a stand-in electron: opens the demo, builds, queries, saves a report', async () => {
    const result = await drive({ CAUSEWAY_BUNDLE: join(appDir, 'out/main/index.js'), CAUSEWAY_STANDIN_APP_PATH: appDir });
    await expectWorkingApp(result, { appPath: appDir, resourcesDir: join(appDir, 'resources') });
  }, 400_000);
});

describe('packaging (electron-builder with the project configuration)', () => {
  let unpacked: string;

  it('is a valid electron-builder configuration with the security fuses set', async () => {
    const { validateConfiguration } = require(join(realpathSync(join(repo, 'node_modules/app-builder-lib')), 'out/util/config/config.js')) as {
      validateConfiguration: (config: object, logger: object) => Promise<void>;
    };
    const { DebugLogger } = require(join(realpathSync(join(repo, 'node_modules/builder-util')), 'out/DebugLogger.js')) as { DebugLogger: new (enabled: boolean) => object };
    await expect(validateConfiguration(builderConfig, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...builderConfig, asarUnpak: [] } as object, new DebugLogger(false))).rejects.toThrow(/asarUnpak/);
    expect(builderConfig.electronFuses).toMatchObject({ runAsNode: false, enableCookieEncryption: true, enableNodeCliInspectArguments: false, enableEmbeddedAsarIntegrityValidation: true });
    expect(builderConfig.linux?.target).toEqual(['AppImage', 'deb']);
    expect(builderConfig.mac?.target).toEqual(['dmg']);
    expect(builderConfig.win?.target).toEqual(['nsis']);
    expect(existsSync(join(repo, 'build/icon.png'))).toBe(true);
  });

  it('packages the app: bundle and production dependencies in app.asar, native code unpacked, resources beside it', async (context) => {
    if (hardLinkedModules) context.skip(hardLinkedModules);
    // A stand-in Electron build (electron-builder copies it and renames the executable) instead of the
    // download; fuses cannot be flipped on a stand-in executable, so that step is left out here.
    const electronDist = join(work, 'electron-dist');
    mkdirSync(join(electronDist, 'resources'), { recursive: true });
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in Electron"\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    for (const f of ['LICENSE', 'LICENSES.chromium.html']) writeFileSync(join(electronDist, f), '');
    const { build, Platform } = await import('electron-builder');
    await build({
      projectDir: appDir,
      targets: Platform.LINUX.createTarget('dir', process.arch === 'arm64' ? 2 : 1),
      config: { ...builderConfig, electronDist, electronFuses: null, directories: { ...builderConfig.directories, output: join(work, 'dist') } },
    });
    unpacked = join(work, 'dist', process.arch === 'arm64' ? 'linux-arm64-unpacked' : 'linux-unpacked');
    expect(existsSync(join(unpacked, 'causeway'))).toBe(true);

    const asar = await import('@electron/asar');
    const inAsar = new Set(asar.listPackage(join(unpacked, 'resources/app.asar'), { isPack: false }).map((p) => p.replace(/\\/g, '/')));
    for (const f of ['/package.json', '/out/main/index.js', '/out/main/job-worker.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/node_modules/better-sqlite3/lib/index.js', '/node_modules/onnxruntime-node/package.json', '/node_modules/@tensorflow/tfjs-core/package.json', '/node_modules/ws/package.json']) {
      expect(inAsar.has(f), f).toBe(true);
    }
    // Development dependencies stay out; so do the SQLite sources and source maps.
    for (const f of ['/node_modules/electron/package.json', '/node_modules/vitest/package.json', '/node_modules/electron-builder/package.json', '/node_modules/better-sqlite3/deps', '/src']) expect(inAsar.has(f), f).toBe(false);
    expect([...inAsar].filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(inAsar.has('/node_modules/zrender/package.json')).toBe(true); // a dependency's dependency

    const native = join(unpacked, 'resources/app.asar.unpacked/node_modules');
    const ort = join(native, `onnxruntime-node/bin/napi-v6/linux/${process.arch}`);
    expect(readdirSync(ort).sort()).toEqual(['libonnxruntime.so.1', 'onnxruntime_binding.node']);
    expect(readdirSync(join(native, 'onnxruntime-node/bin/napi-v6'))).toEqual(['linux']);
    expect(existsSync(join(native, `better-sqlite3/prebuilds/linux-${process.arch}.node`))).toBe(true);
    expect(readdirSync(join(native, 'better-sqlite3/prebuilds')).filter((f) => !f.startsWith('linux'))).toEqual([]);
    expect(readdirSync(join(native, '@tensorflow/tfjs-backend-wasm/dist')).sort()).toEqual(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm']);
    expect(nativeUnpack).toContain('node_modules/onnxruntime-node/bin/**');

    for (const f of ['models/lenet5/model.json', 'models/lenet5/weights.bin', 'data/cifar10-test-sample.bin']) expect(existsSync(join(unpacked, 'resources/resources', f)), f).toBe(true);
  }, 600_000);

  it('runs from the packaged layout: app.asar contents as the app, resources from process.resourcesPath', async (context) => {
    if (!unpacked) context.skip('nothing was packaged');
    // Node cannot read inside an asar: extract it (with its unpacked files) and run that as the app.
    const asar = await import('@electron/asar');
    const appPath = join(work, 'packaged-app');
    asar.extractAll(join(unpacked, 'resources/app.asar'), appPath);
    const resourcesPath = join(unpacked, 'resources');
    const result = await drive({ CAUSEWAY_BUNDLE: join(appPath, 'out/main/index.js'), CAUSEWAY_STANDIN_APP_PATH: appPath, CAUSEWAY_STANDIN_PACKAGED: '1', CAUSEWAY_STANDIN_RESOURCES_PATH: resourcesPath });
    await expectWorkingApp(result, { appPath, resourcesDir: join(resourcesPath, 'resources') });
    expect(pathToFileURL(result.demo.modelPath).href).not.toContain('app.asar');
  }, 400_000);
});
