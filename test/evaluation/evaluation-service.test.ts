/** The evaluation service in-process: progress by stage, cancel at the next batch (nothing cached), consistency of the report. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, type Progress } from '../../src/main/jobs/progress.js';
import { buildProject } from '../../src/main/services/build-service.js';
import { evaluateSession } from '../../src/main/services/evaluation-service.js';
import { ProjectSession } from '../../src/main/services/project-session.js';
import { REPO } from '../helpers/data-paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-evaluation-'));
const project = join(tmp, 'lenet');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const settings = { seeds: 2, curveImages: 16, resamples: 50, multiFilterK: [1, 4], multiFilterSeeds: 2 };

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

  it('reports every stage; the report agrees with itself', async () => {
    const session = await ProjectSession.open(project);
    const stages = new Set<string>();
    const { report, cached } = await evaluateSession(session, settings, { onProgress: (p) => stages.add(p.stage) });
    session.close();
    expect(cached).toBe(false);
    expect([...stages]).toEqual(
      expect.arrayContaining(['activation statistics', 'Taylor criterion (gradients)', 'true single-filter ablation', 'ablation curves (per layer)', 'ablation curves (global)', 'multi-filter interventions']),
    );
    expect(report.images).toBe(30);
    for (const layer of report.layers) {
      // The curve in the true order starts at the network's own accuracy on the curve images, like every other.
      const starts = new Set([layer.reference.mostFirst[0], ...layer.criteria.map((c) => c.leastFirst[0]), layer.random.curveMean[0]]);
      expect(starts.size).toBe(1);
      expect(layer.random.curveSd[0]).toBe(0);
      // The SCM criterion's per-layer ρ is that of its scores against the truth key.
      const scm = layer.criteria.find((c) => c.name === 'scm')!;
      expect(Math.abs(scm.spearman)).toBeLessThanOrEqual(1);
    }
    const scm = report.criteria.find((c) => c.name === 'scm')!;
    const perLayer = report.layers.map((l) => l.criteria.find((c) => c.name === 'scm')!.spearman);
    expect(scm.spearman).toBeCloseTo(perLayer.reduce((s, v) => s + v, 0) / perLayer.length, 12);
    expect(report.surrogate.multiFilter.map((m) => m.k)).toEqual([1, 4]);
    expect(report.surrogate.draws).toHaveLength(4);
    // k = 1 real accuracy is a single-filter ablation: it must match that filter's true drop.
    for (const d of report.surrogate.draws.filter((x) => x.k === 1)) {
      const layer = report.layers.find((l) => l.name === d.layer)!;
      expect(d.realAccuracy).toBeCloseTo(report.modelAccuracy - layer.truth.accuracyDrop[d.channels[0]], 12);
    }
  });
});
