/**
 * The S4 panel's services on real projects: the audit runs as a 'properties' worker job with progress
 * and gives the same numbers as the in-process audit; cancel stops it; a curve after the audit is the
 * audited one; the bias-audit demo opens its biased model.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers, EventName, Events } from '../../src/shared/contract.js';
import { AppService, handlers } from '../../src/main/services/app-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { BIAS_AUDIT_DEMO, runPropertiesOn } from '../../src/main/features/properties/properties-service.js';

const resourcesDir = join(import.meta.dirname, '../../resources');
type Seen = { [E in EventName]: { name: E; payload: Events[E] } }[EventName];
const events: Seen[] = [];
let service: AppService;
let h: ApiHandlers;
let dir: string;
const settings = { steps: 8, permutations: 50 };

beforeAll(async () => {
  const userData = mkdtempSync(join(tmpdir(), 'causeway-s4-panel-'));
  service = new AppService({ userDataDir: userData, resourcesDir, emit: (name, payload) => events.push({ name, payload } as Seen) });
  h = handlers(service);
  dir = (await h['projects.openDemo']({ name: 'lenet5' })).dir;
});

afterAll(async () => {
  await service.dispose();
});

describe('S4 properties panel services', () => {
  it('offers every property kind with its parameters', async () => {
    const kinds = await h['properties.kinds']();
    expect(kinds.map((k) => k.name)).toEqual(['brightness', 'contrast', 'saturation', 'hue', 'blur', 'noise', 'patch', 'rotation']);
    expect(kinds.find((k) => k.name === 'patch')!.params.map((p) => p.name)).toContain('color');
  });

  it('runs the audit in a worker with progress, equal to the in-process audit', async () => {
    const result = await h['properties.run']({ jobId: 'j1', properties: ['brightness', 'blur'], indices: [0, 1, 2], ...settings });
    expect(events.some((e) => e.name === 'job.progress' && e.payload.jobId === 'j1' && e.payload.kind === 'properties')).toBe(true);
    await service.closeProject();
    const session = await ProjectSession.open(dir);
    try {
      const reference = await runPropertiesOn(session, { properties: ['brightness', 'blur'], indices: [0, 1, 2], ...settings });
      expect(result.properties.map((g) => g.name)).toEqual(reference.properties.map((g) => g.name));
      for (const [i, g] of result.properties.entries()) {
        expect(g.summary.medianEpgm).toBe(reference.properties[i].summary.medianEpgm);
        expect(g.images.map((x) => [x.index, x.epgm, x.p, x.rho, x.flips])).toEqual(reference.properties[i].images.map((x) => [x.index, x.epgm, x.p, x.rho, x.flips]));
      }
    } finally {
      session.close();
    }
    await h['projects.open']({ dir });
    // The curve of an audited image is the audited one (the cache), with its band around it.
    const first = result.properties[0].images[0];
    const curve = await h['properties.curve']({ property: 'brightness', index: first.index, ...settings });
    expect([curve.epgm, curve.p, curve.rho, curve.flips]).toEqual([first.epgm, first.p, first.rho, first.flips]);
    expect(curve.t).toHaveLength(settings.steps + 1);
    expect(curve.band.lower.every((l, i) => l <= curve.band.upper[i])).toBe(true);
  }, 60_000);

  it('cancels a running audit', async () => {
    const running = h['properties.run']({ jobId: 'j2', properties: ['noise'], indices: [5, 6, 7, 8, 9, 10, 11, 12], steps: 100, permutations: 1000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(await h['jobs.cancel']({ jobId: 'j2' })).toEqual({ cancelled: true });
    await expect(running).rejects.toThrow(/cancel/i);
    expect(await h['jobs.cancel']({ jobId: 'j2' })).toEqual({ cancelled: false });
  }, 30_000);

  it('opens the bias-audit demo with its biased model', async () => {
    const info = await h['properties.openBiasDemo']();
    expect(info.modelPath).toBe(join(resourcesDir, '..', BIAS_AUDIT_DEMO.models.biased));
    expect(info.name).toContain(BIAS_AUDIT_DEMO.biasClassName);
    // Opening it again re-opens the same project.
    expect((await h['properties.openBiasDemo']()).dir).toBe(info.dir);
  }, 30_000);
});
