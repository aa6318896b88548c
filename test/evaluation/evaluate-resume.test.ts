/**
 * A killed `evaluate` resumes (issue 14): a real child process is SIGKILLed in the middle of true
 * single-filter ablation, after a known number of batches were committed; `causeway evaluate` then
 * takes over exactly those batches and prints the same report, number for number, as a clean run on
 * a copy of the project made before the kill.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchArtifact } from '../../src/main/evaluation/stored-batches.js';
import { buildProject } from '../../src/main/features/build/build-service.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { REPO } from '../helpers/data-paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-evaluate-resume-'));
const project = join(tmp, 'lenet');
const clean = join(tmp, 'lenet-clean');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that SIGKILL would miss.
const TSX = pathToFileURL(resolve(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
// 40 held-out images in batches of 8: 5 batches per layer, conv1 then conv2.
const settings = { seeds: 2, curveImages: 16, resamples: 50, batchSize: 8 };
const flags = ['--seeds', '2', '--curve-images', '16', '--resamples', '50', '--batch-size', '8'];

function killedMidAblation(pauseAfter: number): Promise<{ lines: string[]; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', TSX, join(REPO, 'test/evaluation/fixtures/evaluate-and-pause.ts'), project, JSON.stringify(settings), String(pauseAfter)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      if (line.startsWith('paused')) child.kill('SIGKILL');
    }
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => (code !== null && code !== 0 ? fail(new Error(stderr)) : done({ lines, signal })));
  });
}

function evaluate(dir: string) {
  const r = spawnSync(process.execPath, ['--import', TSX, join(REPO, 'src/main/cli/main.ts'), 'evaluate', '--project', dir, ...flags, '--json'], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, CAUSEWAY_PROGRESS: '0' },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('evaluate killed mid-ablation', () => {
  beforeAll(async () => {
    await buildProject({
      project,
      create: { modelPath: join(REPO, 'resources/models/lenet5'), dataPath: join(REPO, 'resources/data/cifar10-test-sample.bin'), preprocessing: { scale: 1 / 255 } },
      settings: { limit: 200, augmentImages: 40, batchSize: 32 },
    });
    cpSync(project, clean, { recursive: true });
  }, 120_000);

  it('keeps the committed batches and resumes to the same report as a clean run', async () => {
    const killed = await killedMidAblation(3);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.lines).toEqual(['paused after 3 batches']);
    const store = ProjectStore.open(project);
    expect(store.listArtifacts(batchArtifact.name)).toHaveLength(3);
    expect(store.listArtifacts('evaluation')).toHaveLength(0);
    store.close();

    const resumed = evaluate(project);
    const fresh = evaluate(clean);
    expect(resumed.resumedBatches).toBe(3);
    expect(fresh.resumedBatches).toBe(0);
    for (const field of ['criteria', 'surrogate', 'truthReliability', 'layers', 'global', 'modelAccuracy', 'images']) expect(resumed[field], field).toEqual(fresh[field]);
    const after = ProjectStore.open(project);
    expect(after.listArtifacts(batchArtifact.name)).toHaveLength(0); // cleared once the report is stored
    after.close();
  }, 300_000);
});
