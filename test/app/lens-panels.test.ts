/**
 * The S3/S2 panels' service methods on a real LeNet-5 project: thumbnails of the held-out split,
 * one image's CE map (checked cell by cell against a direct masked forward pass), the detection
 * report's AUROC (against a direct pairwise count), explanatory graphs as worker jobs with progress,
 * the cache, the comparison (against set operations here) and cancel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers, EventName, Events } from '../../src/shared/contract.js';
import { toModelInput } from '../../src/main/data/preprocessing.js';
import { latestBuild } from '../../src/main/scm/latest-build.js';
import { AppService, handlers } from '../../src/main/services/app-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { overlayOf } from '../../src/renderer/src/stores/explain.js';

const resourcesDir = join(import.meta.dirname, '../../resources');
type Seen = { [E in EventName]: { name: E; payload: Events[E] } }[EventName];

let service: AppService;
let h: ApiHandlers;
const events: Seen[] = [];
let dir: string;

beforeAll(async () => {
  service = new AppService({ userDataDir: mkdtempSync(join(tmpdir(), 'causeway-analysis-')), resourcesDir, emit: (name, payload) => events.push({ name, payload } as Seen) });
  h = handlers(service);
  dir = (await h['projects.openDemo']()).dir;
  const { jobId } = await h['build.start']({ settings: { limit: 200, augmentImages: 100 } });
  for (let t = 0; !events.some((e) => e.name === 'job.done' && e.payload.jobId === jobId); t++) {
    if (t > 1800 || events.some((e) => e.name === 'job.failed')) throw new Error('the demo build did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
}, 120_000);

afterAll(async () => {
  await service?.dispose();
});

const softmax = (row: number[]): number[] => {
  const m = Math.max(...row);
  const e = row.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('S3 pixel causal effect', () => {
  it('pages through the held-out split and computes one image as a job whose CE cells match direct masked forward passes', async () => {
    const thumbs = await h['pixelEffects.images']({ offset: 2, count: 3 });
    const session = await ProjectSession.open(dir);
    try {
      const built = await latestBuild(session);
      expect(thumbs.heldOut).toBe(true);
      expect(thumbs.total).toBe(built.evaluationIndices.length);
      expect(thumbs.images.map((i) => i.index)).toEqual(built.evaluationIndices.slice(2, 5));
      expect(thumbs.images.map((i) => i.label)).toEqual(thumbs.images.map((i) => session.dataset.labels()[i.index]));

      const index = thumbs.images[0].index;
      const view = await h['pixelEffects.image']({ jobId: 'img', index, settings: { grid: 4 }, attack: { attack: 'fgsm', eps: 8 } });
      expect(events.some((e) => e.name === 'job.progress' && e.payload.jobId === 'img' && e.payload.kind === 'pixel-effects' && e.payload.step === 'ce maps')).toBe(true);
      expect(view.clean.ce).toHaveLength(16);
      // The thumbnail's caption names the class the CE-map job (a worker of its own) found predicted.
      expect(thumbs.images[0].predicted).toBe(view.clean.predicted);
      expect(view.adversarial?.linf).toBeLessThanOrEqual(8 / 255 + 1e-6);
      // Reference: zero one 8×8 cell of the model input (fill "zero"), forward, p_c(x) − p_c(x_R).
      const info = session.dataset.info;
      const x = toModelInput(await session.dataset.read([index]), { height: info.height, width: info.width, channels: info.channels }, session.settings.preprocessing, { height: 32, width: 32, channels: 3 });
      const c = view.clean.predicted;
      const p = async (input: Float32Array) => softmax(Array.from((await session.model.forward(input, 1, {})).logits))[c];
      for (const cell of [0, 5, 15]) {
        const masked = x.slice();
        const [r0, c0] = [Math.floor(cell / 4) * 8, (cell % 4) * 8];
        for (let r = r0; r < r0 + 8; r++) for (let q = c0; q < c0 + 8; q++) for (let k = 0; k < 3; k++) masked[(r * 32 + q) * 3 + k] = 0;
        expect(view.clean.ce[cell]).toBeCloseTo((await p(x)) - (await p(masked)), 4);
      }
    } finally {
      session.close();
    }
  }, 60_000);

  it("reports detection AUROC equal to a direct pairwise count over the report's own images", async () => {
    const report = (await h['pixelEffects.adversarial']({ jobId: 'adv', settings: { grid: 4, images: 12 }, attack: { attack: 'fgsm', eps: 8 } })) as Awaited<ReturnType<ApiHandlers['pixelEffects.adversarial']>> & {
      images: { success: boolean; cleanCorrect: boolean; clean: { statistics: Record<string, number> }; adversarial: { statistics: Record<string, number> } }[];
    };
    expect(report.n).toBe(12);
    const pos = report.images.filter((i) => i.success).map((i) => i.adversarial.statistics.mass);
    const neg = report.images.filter((i) => i.cleanCorrect).map((i) => i.clean.statistics.mass);
    expect(pos.length).toBeGreaterThan(0);
    let wins = 0;
    for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
    expect(report.auroc.mass).toBeCloseTo(wins / (pos.length * neg.length), 5);
    expect(report.roc.mass[0]).toEqual(expect.objectContaining({ fpr: 0, tpr: 0 }));
  }, 60_000);
});

describe('S2 explanatory graphs on the causal graph', () => {
  it('computes a class graph as a job, then answers from the cache, and compares two classes', async () => {
    expect(await h['explain.cached']({ class: 3 })).toBeNull();
    const first = await h['explain.run']({ jobId: 'g3', class: 3 });
    expect(first.cached).toBe(false);
    expect(events.some((e) => e.name === 'job.progress' && e.payload.jobId === 'g3' && e.payload.kind === 'explain' && e.payload.step === 'node effects')).toBe(true);
    expect(first.nodes.length).toBeGreaterThan(0);
    expect(first.repair).toBeNull();
    const again = await h['explain.cached']({ class: 3 });
    expect(again?.cached).toBe(true);
    expect(again?.nodes).toEqual(first.nodes);
    const second = await h['explain.run']({ jobId: 'g5', class: 5 });
    const cmp = (await h['explain.compare']({ classes: [3, 5] }))!;
    const ids = (g: typeof first) => g.nodes.map((n) => `${n.layer}:${n.channel}`);
    const [a, b] = [ids(first), ids(second)];
    expect(new Set(cmp.shared)).toEqual(new Set(a.filter((x) => b.includes(x))));
    expect(new Set(cmp.onlyFirst)).toEqual(new Set(a.filter((x) => !b.includes(x))));
    expect(cmp.jaccard).toBeCloseTo(cmp.shared.length / new Set([...a, ...b]).size, 5);
    // The canvas overlay: shared nodes in the third colour, each graph's edges in its own.
    const overlay = overlayOf(first, second);
    for (const id of cmp.shared) expect(overlay.nodes[id]).toBe('shared');
    for (const id of cmp.onlySecond) expect(overlay.nodes[id]).toBe('b');
    expect(overlay.edges.length).toBe(first.edges.length + second.edges.length);
  }, 90_000);

  it('cancels a running graph job with a cancelled error', async () => {
    const running = h['explain.run']({ jobId: 'g7', class: 7 }).then(
      () => 'finished',
      (e: { code: string }) => e.code,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await h['jobs.cancel']({ jobId: 'g7' })).toEqual({ cancelled: true });
    expect(await running).toBe('cancelled');
    expect(await h['jobs.cancel']({ jobId: 'g7' })).toEqual({ cancelled: false });
  }, 30_000);
});
