/**
 * The evaluation service in-process: progress by stage, cancel at the next batch (nothing cached), and
 * the report's truth, reliability, warnings and single-filter interventions against PyTorch's per-image
 * values (test/fixtures/evaluation/make_truth_fixtures.py).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, type Progress } from '../../src/main/util/progress.js';
import { buildProject } from '../../src/main/features/build/build-service.js';
import { evaluateSession } from '../../src/main/features/rankings/evaluation-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { stratifiedGroups } from '../../src/main/evaluation/truth-reliability.js';
import { latestBuild } from '../../src/main/scm/latest-build.js';
import { REPO } from '../helpers/data-paths.js';
import { type LenetLayer, maxAbsDiff, referenceAccuracy, referenceReliability, referenceTruth } from '../helpers/lenet-reference.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-evaluation-'));
const project = join(tmp, 'lenet');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const settings = { seeds: 2, curveImages: 16, resamples: 50, multiFilterK: [1, 4], multiFilterSeeds: 2, seed: 0 };

describe('evaluation service', () => {
  beforeAll(async () => {
    await buildProject({
      project,
      create: { modelPath: join(REPO, 'resources/models/lenet5'), dataPath: join(REPO, 'resources/data/cifar10-test-sample.bin'), preprocessing: { scale: 1 / 255 } },
      settings: { limit: 150, augmentImages: 30, batchSize: 32 },
    });
  });

  it('a cancel stops the evaluation at the next batch and caches nothing', async () => {
    const session = await ProjectSession.open(project);
    const abort = new AbortController();
    const stages: string[] = [];
    const run = evaluateSession(session, settings, {
      signal: abort.signal,
      onProgress: (p: Progress) => {
        stages.push(p.stage);
        if (p.stage === 'true single-filter ablation') abort.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(stages).not.toContain('ablation curves (per layer)');
    expect(session.store.listArtifacts('evaluation')).toHaveLength(0);
    session.close();
  });

  it('reports every stage; truth, reliability, warnings and k = 1 interventions equal PyTorch on the held-out images', async () => {
    const session = await ProjectSession.open(project);
    const heldOut = (await latestBuild(session)).evaluationIndices;
    const labels = session.dataset.labels();
    const stages = new Set<string>();
    const { report, cached } = await evaluateSession(session, settings, { onProgress: (p) => stages.add(p.stage) });
    session.close();
    expect(cached).toBe(false);
    expect([...stages]).toEqual(
      expect.arrayContaining(['activation statistics', 'Taylor criterion (gradients)', 'true single-filter ablation', 'ablation curves (per layer)', 'ablation curves (global)', 'multi-filter interventions']),
    );
    expect(report.images).toBe(30);
    expect(heldOut).toHaveLength(30);
    expect(report.groundTruth).toMatch(/margin/);
    expect(report.modelAccuracy).toBeCloseTo(referenceAccuracy(heldOut), 12);
    expect(report.reliabilityGroups).toBe(8);
    const groupOf = stratifiedGroups(heldOut, (i) => labels[i], 8, settings.seed ?? 0);
    for (const layer of report.layers) {
      const name = layer.name as LenetLayer;
      const truth = referenceTruth(name, heldOut);
      expect(maxAbsDiff(layer.truth.marginDrop, truth.marginDrop)).toBeLessThan(1e-4);
      expect(maxAbsDiff(layer.truth.accuracyDrop, truth.accuracyDrop)).toBeLessThan(1e-12);
      const reliability = referenceReliability(name, heldOut, (i) => groupOf.get(i)!, 8, 'margin');
      expect(report.truthReliability[name]).toBeCloseTo(reliability, 9);
      expect(layer.truth.reliability.reliability).toBe(report.truthReliability[name]);
      // The curve in the true order starts at the network's own accuracy on the curve images, like every other.
      const starts = new Set([layer.reference.mostFirst[0], ...layer.criteria.map((c) => c.leastFirst[0]), layer.random.curveMean[0]]);
      expect(starts.size).toBe(1);
      expect(layer.random.curveSd[0]).toBe(0);
    }
    // 30 images: warnings name exactly the layers whose reliability is below 0.8.
    const low = report.layers.filter((l) => report.truthReliability[l.name] < 0.8).map((l) => l.name);
    expect(report.warnings.map((w) => w.split(':')[0])).toEqual(low);
    for (const w of report.warnings) expect(w).toMatch(/on 30 held-out images/);
    expect(report.surrogate.multiFilter.map((m) => m.k)).toEqual([1, 4]);
    // Draws per layer since issue 12 (the targets are per layer): 2 layers × 2 sizes × 2 seeds.
    expect(report.surrogate.draws).toHaveLength(8);
    expect(report.surrogate.multiFilterByLayer!.map((m) => `${m.layer}:${m.k}`)).toEqual(['conv1:1', 'conv1:4', 'conv2:1', 'conv2:4']);
    // k = 1 real accuracy is a single-filter ablation: PyTorch's accuracy without that filter.
    for (const d of report.surrogate.draws.filter((x) => x.k === 1)) {
      expect(d.realAccuracy).toBeCloseTo(referenceAccuracy(heldOut) - referenceTruth(d.layer as LenetLayer, heldOut).accuracyDrop[d.channels[0]], 12);
    }
  });
});
