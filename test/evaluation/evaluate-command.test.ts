/**
 * `causeway evaluate` as a user runs it: every number of the JSON against PyTorch's per-image values
 * on the build's held-out images (test/fixtures/evaluation/make_truth_fixtures.py) or numpy's weight
 * norms, the readable text, and the project cache.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spearman } from '../../src/main/evaluation/rank-correlation.js';
import { stratifiedGroups } from '../../src/main/evaluation/truth-reliability.js';
import { latestBuild } from '../../src/main/scm/latest-build.js';
import { buildProject } from '../../src/main/features/build/build-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { REPO } from '../helpers/data-paths.js';
import {
  type LenetLayer,
  maxAbsDiff,
  maxRelativeDiff,
  referenceAccuracy,
  referenceActivation,
  referenceReliability,
  referenceTaylor,
  referenceTruth,
} from '../helpers/lenet-reference.js';

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
  let heldOut: number[];
  let labels: Int32Array;
  const weightNorms = JSON.parse(readFileSync(new URL('../fixtures/evaluation/evaluation-fixtures.json', import.meta.url), 'utf8')).lenet5_norms as Record<
    string,
    { l1: number[]; l2: number[] }
  >;
  beforeAll(async () => {
    await buildProject({
      project,
      create: { modelPath: join(REPO, 'resources/models/lenet5'), dataPath: join(REPO, 'resources/data/cifar10-test-sample.bin'), preprocessing: { scale: 1 / 255 } },
      settings: { limit: 200, augmentImages: 40, batchSize: 32 },
    });
    const session = await ProjectSession.open(project);
    heldOut = (await latestBuild(session)).evaluationIndices;
    labels = session.dataset.labels();
    session.close();
  });

  const flags = ['--project', project, '--seeds', '3', '--curve-images', '24', '--resamples', '200'];
  let first: ReturnType<typeof causeway>;

  it('prints the margin truth, its reliability and every criterion as JSON, each equal to PyTorch on the held-out images', () => {
    first = causeway('evaluate', ...flags, '--json');
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out.cached).toBe(false);
    expect(out.resumedBatches).toBe(0);
    expect(heldOut).toHaveLength(40);
    expect(out.images).toBe(40);
    expect(out.curveImages).toBe(24);
    expect(out.modelAccuracy).toBeCloseTo(referenceAccuracy(heldOut), 12);
    const names = out.criteria.map((c: { name: string }) => c.name);
    // LeNet-5 has no BatchNorm: no |γ| criterion.
    expect(names).toEqual(['scm', 'l1-norm', 'l2-norm', 'activation-mean', 'activation-variance', 'taylor', 'random']);
    expect(out.layers.map((l: { name: string }) => l.name)).toEqual(['conv1', 'conv2']);

    const groupOf = stratifiedGroups(heldOut, (i) => labels[i], 8, 0);
    for (const layer of out.layers) {
      const name = layer.name as LenetLayer;
      const truth = referenceTruth(name, heldOut);
      expect(maxAbsDiff(layer.truth.marginDrop, truth.marginDrop)).toBeLessThan(1e-4);
      expect(maxAbsDiff(layer.truth.lossChange, truth.lossChange)).toBeLessThan(1e-4);
      expect(maxAbsDiff(layer.truth.accuracyDrop, truth.accuracyDrop)).toBeLessThan(1e-12);
      // Reliability: per-image PyTorch values, the same 8 stratified groups, every half split.
      const reliability = referenceReliability(name, heldOut, (i) => groupOf.get(i)!, 8, 'margin');
      expect(out.truthReliability[name]).toBeCloseTo(reliability, 9);
      expect(layer.truth.accuracyKeyReliability.reliability).toBeCloseTo(referenceReliability(name, heldOut, (i) => groupOf.get(i)!, 8, 'accuracy'), 9);
      // Criteria scores from independent sources.
      const scores = (c: string) => layer.criteria.find((x: { name: string }) => x.name === c).scores as number[];
      expect(maxRelativeDiff(scores('l1-norm'), weightNorms[name].l1)).toBeLessThan(1e-9);
      expect(maxRelativeDiff(scores('l2-norm'), weightNorms[name].l2)).toBeLessThan(1e-9);
      expect(maxRelativeDiff(scores('taylor'), referenceTaylor(name, heldOut))).toBeLessThan(1e-3);
      const activation = referenceActivation(name, heldOut);
      expect(maxRelativeDiff(scores('activation-mean'), activation.mean)).toBeLessThan(1e-4);
      expect(maxRelativeDiff(scores('activation-variance'), activation.variance)).toBeLessThan(1e-3);
      // Each criterion's ρ is its scores' Spearman with the PyTorch truth (scipy-checked Spearman).
      for (const c of layer.criteria) expect(c.spearman, c.name).toBeCloseTo(spearman(truth.marginDrop, c.scores), 6);
      // Removing nothing leaves the network as it is, whatever the order.
      expect(new Set(layer.criteria.map((c: { leastFirst: number[] }) => c.leastFirst[0])).size).toBe(1);
    }
    // Summaries: the layer means, with the truth's reliability as the ceiling beside each.
    const conv = out.layers;
    for (const c of out.criteria.filter((x: { name: string }) => x.name !== 'random')) {
      const perLayer = conv.map((l: { criteria: { name: string; spearman: number }[] }) => l.criteria.find((x) => x.name === c.name)!.spearman);
      expect(c.spearman).toBeCloseTo((perLayer[0] + perLayer[1]) / 2, 12);
      expect(c.truthReliability).toBeCloseTo((out.truthReliability.conv1 + out.truthReliability.conv2) / 2, 12);
      expect(c.spearmanInterval[0]).toBeLessThanOrEqual(c.spearman);
      expect(c.spearmanInterval[1]).toBeGreaterThanOrEqual(c.spearman);
    }
    // A layer below 0.8 gets a warning, in the JSON and on stderr; one at or above it does not.
    const low = Object.entries(out.truthReliability as Record<string, number>).filter(([, r]) => r < 0.8).map(([l]) => l);
    expect(out.warnings.map((w: string) => w.split(':')[0])).toEqual(low);
    for (const l of low) expect(first.stderr).toContain(`warning: ${l}:`);
    // k = 1 random interventions are single-filter ablations: real accuracy from PyTorch.
    expect(out.surrogate.multiFilter.map((m: { k: number }) => m.k)).toEqual([1, 2, 4, 8, 16]);
    for (const d of out.multiFilterDraws.filter((x: { k: number }) => x.k === 1)) {
      expect(d.realAccuracy).toBeCloseTo(referenceAccuracy(heldOut) - referenceTruth(d.layer, heldOut).accuracyDrop[d.channels[0]], 12);
    }
    expect(out.layers[1].removed).toEqual([0, 2, 3, 5, 6, 8, 10, 11, 13, 14]);
    expect(out.global.filters).toBe(22);
  }, 120_000);

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
    // The truth's reliability per layer (same held-out images and seed as the JSON run) and its warnings.
    const json = JSON.parse(first.stdout);
    for (const layer of json.layers) {
      expect(text.stdout).toMatch(new RegExp(`^${layer.name} +${layer.channels} +${layer.truth.reliability.reliability.toFixed(2)} +${layer.truth.accuracyKeyReliability.reliability.toFixed(2)} `, 'm'));
    }
    for (const w of json.warnings) expect(text.stdout).toContain(`warning: ${w}`);
    const after = await ProjectSession.open(project);
    expect(after.store.listArtifacts('evaluation')).toHaveLength(2);
    after.close();
  }, 60_000);

  it('bad arguments exit 2; a project without a build exits 1 naming it', () => {
    expect(causeway('evaluate', '--project', project, '--seeds', 'many').code).toBe(2);
    expect(causeway('evaluate', '--project', project, '--taylor', 'signed').code).toBe(2);
    const r = causeway('evaluate', '--project', join(tmp, 'none'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(tmp, 'none'));
  }, 180_000);
});
