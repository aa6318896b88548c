/**
 * Killing the process mid-build loses nothing already committed, leaves no partial batch, and the
 * next run resumes where it stopped. The writer is a real child process killed with SIGKILL while
 * batch 2's transaction is open (3 MB written, more than the page cache holds, so part of it is
 * already in the WAL file).
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { DB_FILE_NAME } from '../../src/main/store/schema.js';
import { BUILD_KEY, LAYERS, phiValue, ROWS, TOTAL_BATCHES } from './fixtures/build-data.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const FIXTURE = resolve('test/store/fixtures/write-build.ts');
// `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that SIGKILL would miss.
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

interface Run {
  lines: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs the writer; `killOn` kills it with SIGKILL as soon as it prints that line. */
function runWriter(dir: string, hangAt?: number, killOn?: string): Promise<Run> {
  const args = ['--import', TSX, FIXTURE, dir, ...(hangAt === undefined ? [] : [String(hangAt)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let pending = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    pending += d.toString();
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (line === killOn) child.kill('SIGKILL');
    }
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal === null) fail(new Error(`writer exited ${code}: ${stderr}`));
      else done({ lines, code, signal });
    });
  });
}

function expectBatches(store: ProjectStore, batches: number[]): void {
  for (const [l, { layer, cols }] of LAYERS.entries()) {
    const m = store.readPhi(BUILD_KEY, layer, 'fro')!;
    expect(m.rows).toBe(batches.length * ROWS);
    expect(m.cols).toBe(cols);
    batches.forEach((b, k) => {
      for (const r of [0, 1, ROWS - 1]) {
        for (const c of [0, cols - 1]) expect(m.data[(k * ROWS + r) * cols + c]).toBe(phiValue(b, l, r, c));
      }
    });
  }
  const tags = store.readRowTags(BUILD_KEY);
  expect(tags.images.length).toBe(batches.length * ROWS);
  expect(Array.from(tags.images.subarray(ROWS - 2, ROWS + 1))).toEqual(
    batches.length > 1 ? [ROWS - 2, ROWS - 1, batches[1] * ROWS] : [ROWS - 2, ROWS - 1],
  );
  expect(tags.interventions[1]).toEqual({ layer: 'conv1', channels: [1, 10] });
  expect(tags.interventions[2]).toBeNull();
}

describe('a build killed mid-batch', () => {
  it('keeps exactly the committed batches and resumes to the end', async () => {
    const dir = tempDir();
    const killed = await runWriter(dir, 2, 'batch 2 written, not committed');
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.lines).toEqual(['resuming after []', 'batch 0 committed', 'batch 1 committed', 'batch 2 written, not committed']);
    // The killed writer left its WAL behind: the next open has to recover from it.
    expect(statSync(join(dir, `${DB_FILE_NAME}-wal`)).size).toBeGreaterThan(0);

    const store = ProjectStore.open(dir); // verifies with quick_check
    expect(store.listDoneBatches(BUILD_KEY)).toEqual([0, 1]);
    expect(store.getBuild(BUILD_KEY)).toMatchObject({ totalBatches: TOTAL_BATCHES, doneBatches: 2, finished: false });
    expectBatches(store, [0, 1]);
    store.close();

    const resumed = await runWriter(dir);
    expect(resumed.code).toBe(0);
    expect(resumed.lines[0]).toBe('resuming after [0,1]');
    expect(resumed.lines).not.toContain('batch 0 committed');
    expect(resumed.lines.at(-1)).toBe('build finished: true');

    const done = ProjectStore.open(dir);
    const all = Array.from({ length: TOTAL_BATCHES }, (_, i) => i);
    expect(done.listDoneBatches(BUILD_KEY)).toEqual(all);
    expect(done.isBuildFinished(BUILD_KEY)).toBe(true);
    expectBatches(done, all);
    done.close();
  });
});
