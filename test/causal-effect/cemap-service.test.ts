/**
 * The S3 service on a real project (SQLite store, bundled LeNet-5, CIFAR-10 sample): reports agree
 * with their own per-image numbers, per-image results are cached and reused, a cancelled run resumes,
 * and the image view carries decodable PNGs and the maps the app draws.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median } from '../../src/main/causal-effect/rank-correlation.js';
import { auroc } from '../../src/main/causal-effect/roc.js';
import { CancelledError } from '../../src/main/util/progress.js';
import { adversarialReport, cemapImage, cemapReport } from '../../src/main/features/pixel-effects/pixel-effects-service.js';
import { ProjectSession, withProjectSession } from '../../src/main/project/project-session.js';
import { LENET, SAMPLE } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-cemap-'));
let session: ProjectSession;
const request = { images: 10, grid: 4, fill: 'blur' as const };

beforeAll(async () => {
  session = await ProjectSession.open(dir, { modelPath: LENET, dataPath: SAMPLE, preprocessing: { scale: 1 / 255 } });
});
afterAll(() => {
  session.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cemap service', () => {
  it('resumes a cancelled run and then reports, consistent with its images', async () => {
    const abort = new AbortController();
    let seen = 0;
    const cancelled = cemapReport(session, request, {
      signal: abort.signal,
      onProgress: (p) => {
        seen = p.done;
        if (p.done >= 8) abort.abort();
      },
    });
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toBe(8);
    expect(session.store.listArtifacts('cemap-image')).toHaveLength(8);

    const progress: number[] = [];
    const report = await cemapReport(session, request, { onProgress: (p) => progress.push(p.done) });
    expect(progress[0]).toBe(8); // the cached eight count as done at once
    expect(session.store.listArtifacts('cemap-image')).toHaveLength(10);
    expect(report.settings).toMatchObject({ grid: 4, fill: 'blur', layer: 'conv2', layerShape: [10, 10, 16], blurSigma: 8 });
    expect(report.images).toHaveLength(10);
    expect(new Set(report.images.map((im) => im.label)).size).toBe(10); // stratified: one per class
    for (const im of report.images) {
      expect(im.ce).toHaveLength(16);
      expect(im.gradcam).toHaveLength(16);
      expect(im.featureCe).toHaveLength(16);
      for (const v of [...Object.values(im.deletionAuc), ...Object.values(im.insertionAuc)]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    expect(report.summary.medianGradcamSpearman).toBeCloseTo(median(report.images.map((im) => im.gradcamSpearman))!, 5);
    expect(report.summary.accuracy).toBeCloseTo(report.images.filter((im) => im.predicted === im.label).length / 10, 6);
    // Cached: the same numbers again.
    const again = await cemapReport(session, request);
    expect(again.images).toEqual(report.images);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report); // plain JSON
    // A session of its own on the same project (as a worker job opens) reads the same cache.
    expect((await withProjectSession(dir, (s) => cemapReport(s, request))).images).toEqual(report.images);
  });

  it('attacks, counts successes and scores detection with AUROC over the images it lists', async () => {
    const r = await adversarialReport(session, { ...request, attack: 'fgsm', eps: 8 });
    expect(r.n).toBe(10);
    expect(r.settings).toMatchObject({ attack: 'fgsm', eps: 8, epsilon: 8 / 255, steps: 1 });
    expect(r.cleanCorrect).toBe(r.images.filter((im) => im.cleanCorrect).length);
    expect(r.successes).toBe(r.images.filter((im) => im.cleanCorrect && im.adversarialPredicted !== im.label).length);
    expect(r.attackSuccess).toBeCloseTo(r.successes / r.cleanCorrect, 5);
    expect(r.successes).toBeGreaterThan(0);
    for (const im of r.images) expect(im.linf).toBeLessThanOrEqual(8 / 255 + 1e-6);
    for (const s of ['mass', 'max', 'entropy'] as const) {
      const pos = r.images.filter((im) => im.success).map((im) => im.adversarial.statistics[s]);
      const neg = r.images.filter((im) => im.cleanCorrect).map((im) => im.clean.statistics[s]);
      expect(r.auroc[s]).toBeCloseTo(auroc(pos, neg)!, 5);
      expect(r.roc[s][0]).toEqual({ threshold: null, fpr: 0, tpr: 0 });
      expect(r.roc[s].at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    }
  });

  it('serves one image with PNGs and clean/adversarial maps for the image browser', async () => {
    const view = await cemapImage(session, 3, { grid: 4, fill: 'blur' }, { attack: 'pgd', eps: 4 });
    expect(view.label).toBe(session.dataset.labels()[3]);
    expect(view.classNames).toHaveLength(10);
    for (const png of [view.clean.png, view.adversarial!.png]) {
      const decoded = PNG.sync.read(Buffer.from(png, 'base64'));
      expect([decoded.width, decoded.height]).toEqual([32, 32]);
    }
    const raw = (await session.dataset.read([3])).pixels;
    const decoded = PNG.sync.read(Buffer.from(view.clean.png, 'base64')).data;
    for (let p = 0; p < 1024; p++) for (let k = 0; k < 3; k++) expect(decoded[p * 4 + k]).toBe(raw[p * 3 + k]);
    expect(view.clean.ce).toHaveLength(16);
    expect(view.clean.curves.ce.deletion).toHaveLength(17);
    expect(view.clean.curves.random.insertion).toHaveLength(17);
    expect(view.adversarial!.gradcam).toHaveLength(16);
    expect(view.adversarial!.linf).toBeLessThanOrEqual(4 / 255 + 1e-6);
    expect(view.adversarial!.attack).toMatchObject({ attack: 'pgd', steps: 10, stepFraction: 0.25 });
    await expect(cemapImage(session, 500)).rejects.toThrow(/index must be 0…499/);
  });
});
