/** `causeway evaluate` as a user runs it: the JSON contract, the readable text, and the project cache. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/main/services/build-service.js';
import { ProjectSession } from '../../src/main/services/project-session.js';
import { REPO } from '../helpers/data-paths.js';

const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'causeway-evaluate-'));
const project = join(tmp, 'lenet');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function causeway(...args: string[]) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, CAUSEWAY_PROGRESS: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - started) / 1000 };
}

describe('causeway evaluate', () => {
  beforeAll(async () => {
    await buildProject({
      project,
      create: { modelPath: join(REPO, 'resources/models/lenet5'), dataPath: join(REPO, 'resources/data/cifar10-test-sample.bin'), preprocessing: { scale: 1 / 255 } },
      settings: { limit: 200, augmentImages: 40, batchSize: 32 },
    });
  });

  const flags = ['--project', project, '--seeds', '3', '--curve-images', '24', '--resamples', '200'];
  let first: ReturnType<typeof causeway>;

  it('prints criteria, surrogate fidelity and seconds as JSON', () => {
    first = causeway('evaluate', ...flags, '--json');
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out.cached).toBe(false);
    expect(out.images).toBe(40);
    expect(out.curveImages).toBe(24);
    expect(out.seconds).toBeGreaterThan(0);
    const names = out.criteria.map((c: { name: string }) => c.name);
    // LeNet-5 has no BatchNorm: no |γ| criterion.
    expect(names).toEqual(['scm', 'l1-norm', 'l2-norm', 'activation-mean', 'activation-variance', 'taylor', 'random']);
    for (const c of out.criteria) {
      for (const field of ['spearman', 'kendall', 'precisionAt10', 'aucLeastFirst', 'aucMostFirst']) expect(typeof c[field]).toBe('number');
      expect(Math.abs(c.spearman)).toBeLessThanOrEqual(1);
      expect(c.precisionAt10).toBeGreaterThanOrEqual(0);
      expect(c.aucLeastFirst).toBeLessThanOrEqual(0.9); // accuracy ≤ 1 over at most 0.9 of the x axis
      if (c.name === 'random') expect(c.sd.spearman).toBeGreaterThanOrEqual(0);
      else expect(c.spearmanInterval[0]).toBeLessThanOrEqual(c.spearmanInterval[1]);
    }
    expect(typeof out.surrogate.spearman).toBe('number');
    expect(typeof out.surrogate.pearson).toBe('number');
    expect(out.surrogate.multiFilter.map((m: { k: number }) => m.k)).toEqual([1, 2, 4, 8, 16]);
    for (const m of out.surrogate.multiFilter) {
      expect(m.scmAccuracy).toBeGreaterThanOrEqual(0);
      expect(m.realAccuracy).toBeLessThanOrEqual(1);
    }
    // Per-layer details: ground truth per channel and curves at the 10 fractions.
    expect(out.layers.map((l: { name: string }) => l.name)).toEqual(['conv1', 'conv2']);
    const conv2 = out.layers[1];
    expect(conv2.truth.accuracyDrop).toHaveLength(16);
    expect(conv2.removed).toEqual([0, 2, 3, 5, 6, 8, 10, 11, 13, 14]);
    expect(conv2.criteria[0].leastFirst).toHaveLength(10);
    // Removing nothing leaves the network as it is, whatever the order.
    const start = conv2.criteria.map((c: { leastFirst: number[] }) => c.leastFirst[0]);
    expect(new Set(start).size).toBe(1);
    expect(out.global.filters).toBe(22);
  }, 60_000);

  it('a second run comes from the project cache, with the same numbers', () => {
    const again = causeway('evaluate', ...flags, '--json');
    expect(again.code).toBe(0);
    const a = JSON.parse(first.stdout);
    const b = JSON.parse(again.stdout);
    expect(b.cached).toBe(true);
    expect(b.criteria).toEqual(a.criteria);
    expect(b.surrogate).toEqual(a.surrogate);
    expect(b.seconds).toBeLessThan(a.computeSeconds);
    expect(b.seconds).toBeLessThan(1);
  }, 60_000);

  it('other settings are another cache entry; the text form names the criteria', async () => {
    const session = await ProjectSession.open(project);
    expect(session.store.listArtifacts('evaluation')).toHaveLength(1);
    session.close();
    const text = causeway('evaluate', '--project', project, '--seeds', '2', '--curve-images', '12', '--resamples', '50');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Spearman ρ/);
    expect(text.stdout).toMatch(/first-order Taylor/);
    expect(text.stdout).toMatch(/random \(2 seeds\)/);
    const after = await ProjectSession.open(project);
    expect(after.store.listArtifacts('evaluation')).toHaveLength(2);
    after.close();
  }, 60_000);

  it('bad arguments exit 2; a project without a build exits 1 naming it', () => {
    expect(causeway('evaluate', '--project', project, '--seeds', 'many').code).toBe(2);
    const r = causeway('evaluate', '--project', join(tmp, 'none'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(tmp, 'none'));
  }, 60_000);
});
