/**
 * Which engine computed what: `--engine` overrides the automatic choice (CLI and CAUSEWAY_ENGINE),
 * `info` names the engine with its reason, a project records the engine with each stored build and
 * result (an old project's results read as unrecorded), and the report prints it.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requestedEngine } from '../../src/main/engine/engine-choice.js';
import { summaryData, summaryHtml } from '../../src/main/report/sections/summary.js';
import { readStoredResults } from '../../src/main/report/stored-results.js';
import { latestBuild } from '../../src/main/scm/latest-build.js';
import { buildProject } from '../../src/main/features/build/build-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { computeRanking } from '../../src/main/features/rankings/ranking-job.js';
import { MIGRATIONS } from '../../src/main/store/migrations.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { DB_FILE_NAME } from '../../src/main/store/schema.js';
import { REPO } from '../helpers/data-paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-engine-records-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const lenet = join(REPO, 'resources/models/lenet5');

function causeway(...args: string[]) {
  const env = { ...process.env };
  delete env.CAUSEWAY_ENGINE;
  const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), ...args], { cwd: REPO, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--engine', () => {
  it('info names the automatic engine (ONNX Runtime here) with its provider, threads and reason; --engine tfjs overrides', () => {
    const auto = JSON.parse(causeway('info', '--model', lenet, '--json').stdout);
    expect(auto.engine).toBe('ort');
    expect(auto.executionProvider).toBe('cpu');
    expect(auto.threads).toBeGreaterThanOrEqual(1);
    // No GPU here: the reason says why CUDA is not used.
    expect(auto.engineReason).toMatch(/CUDA: /);
    const forced = JSON.parse(causeway('info', '--model', lenet, '--json', '--engine', 'tfjs').stdout);
    expect(forced.engine).toBe('tfjs');
    expect(forced.engineReason).toMatch(/--engine/);
  });

  it('an unknown engine is a usage error naming the value', () => {
    const r = causeway('info', '--model', lenet, '--engine', 'torch');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('causeway info: --engine must be ort, tfjs or auto, got "torch"');
  });

  it('CAUSEWAY_ENGINE is read the same way', () => {
    expect(requestedEngine('ORT')).toBe('ort');
    expect(requestedEngine('auto')).toBeUndefined();
    expect(requestedEngine('')).toBeUndefined();
    expect(() => requestedEngine('gpu')).toThrow(/not one of ort, tfjs/);
  });
});

describe('a project records the engine of each stored result', () => {
  it('builds and results carry the engine that made them, and the report prints both', async () => {
    const dir = join(tmp, 'mixed');
    const before = process.env.CAUSEWAY_ENGINE;
    process.env.CAUSEWAY_ENGINE = 'tfjs';
    try {
      await buildProject({
        project: dir,
        create: { modelPath: lenet, dataPath: join(REPO, 'resources/data/cifar10-test-sample.bin'), preprocessing: { scale: 1 / 255 } },
        settings: { limit: 60, augmentImages: 10, batchSize: 30 },
      });
    } finally {
      if (before === undefined) delete process.env.CAUSEWAY_ENGINE;
      else process.env.CAUSEWAY_ENGINE = before;
    }
    // Reopened with the automatic engine: what it stores now is recorded as ONNX Runtime's.
    const session = await ProjectSession.open(dir);
    try {
      expect(session.model.engine.name).toBe('ort');
      computeRanking(session.store, await latestBuild(session));
      const tally = session.store.engineTally();
      const builds = tally.filter((t) => t.what === 'build');
      expect(builds.length).toBeGreaterThan(0);
      expect(builds.every((t) => t.engine === 'tfjs')).toBe(true);
      expect(tally.find((t) => t.kind === 'scm')?.engine).toBe('tfjs');
      expect(tally.find((t) => t.kind === 'ranking')?.engine).toBe('ort');
      expect(session.store.listBuilds().every((b) => b.engine === 'tfjs')).toBe(true);

      const html = summaryHtml(summaryData(readStoredResults(session)));
      expect(html).toMatch(/<b>Engine<\/b> ONNX Runtime \(ort\): ONNX Runtime 1\.\d+/);
      expect(html).toMatch(/ONNX Runtime \(ort\): results [^.]*\branking\b/);
      expect(html).toMatch(/TensorFlow\.js \(tfjs\): builds augmented ×\d+, observational ×\d+; results [^.]*\bscm\b/);
    } finally {
      session.close();
    }
  });

  it('results stored before engines were recorded read as unrecorded after the migration', () => {
    const dir = join(tmp, 'old');
    mkdirSync(dir, { recursive: true });
    const db = new Database(join(dir, DB_FILE_NAME));
    MIGRATIONS[0].up(db);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO artifacts (kind, key, value, created_at) VALUES ('ranking', 'k', '{}', '2025-01-01T00:00:00Z')").run();
    db.close();
    const store = ProjectStore.open(dir);
    try {
      expect(store.engineTally()).toEqual([{ what: 'artifact', kind: 'ranking', engine: 'unrecorded', count: 1 }]);
      expect(store.getArtifact('ranking', 'k')?.engine).toBeUndefined();
      store.engine = 'ort';
      store.putArtifact('ranking', 'k', {});
      // The same value written again keeps its (unknown) origin; a new value records the engine.
      expect(store.getArtifact('ranking', 'k')?.engine).toBeUndefined();
      store.putArtifact('ranking', 'k', { again: true });
      expect(store.getArtifact('ranking', 'k')?.engine).toBe('ort');
    } finally {
      store.close();
    }
  });
});

