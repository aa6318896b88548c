/**
 * One bar and one ETA across a job's stages (src/main/jobs/overall-progress.ts), on a simulated
 * build whose stages run at the rates the plan assumes: a 10 s load, φ extraction, six augmentation
 * stages, fitting, validation (another worker loading the model again, 10 s) and the ranking. The
 * ETA is compared with the true time left of the simulated schedule.
 */
import { describe, expect, it } from 'vitest';
import { OverallProgress, type PlannedStage } from '../../src/main/jobs/overall-progress.js';

interface Segment {
  stage: string;
  total: number;
  /** Seconds the segment takes. */
  seconds: number;
}

const rate = 100; // units per second
const plan: PlannedStage[] = [
  { prefix: 'φ extraction (training split)', units: 400 },
  { prefix: 'φ extraction (evaluation split)', units: 100 },
  ...[1, 2, 3, 4, 5, 6].map((k) => ({ prefix: `augmentation (conv${k})`, units: 400 })),
  { prefix: 'fitting structural equations', units: 150 },
  { prefix: 'validation', units: 100, reloads: true },
  { prefix: 'evaluation (SCM importance', units: 448 },
];
const schedule: Segment[] = [
  { stage: 'loading', total: 0, seconds: 10 },
  { stage: 'φ extraction (training split)', total: 400, seconds: 4 },
  { stage: 'φ extraction (evaluation split)', total: 100, seconds: 1 },
  ...[1, 2, 3, 4, 5, 6].map((k) => ({ stage: `augmentation (conv${k})`, total: 400, seconds: 400 / rate })),
  { stage: 'fitting structural equations', total: 6, seconds: 1.5 },
  { stage: 'validation on the held-out images', total: 0, seconds: 11 },
  { stage: 'evaluation (SCM importance of every filter)', total: 448, seconds: 4.48 },
];
const totalSeconds = schedule.reduce((s, g) => s + g.seconds, 0);

/** Reports every 0.25 s of the simulated schedule: [time, fraction, eta]. */
function simulate(): [number, number, number | undefined][] {
  let t = 0;
  const overall = new OverallProgress(plan, () => t);
  const out: [number, number, number | undefined][] = [];
  let start = 0;
  for (const segment of schedule) {
    for (let dt = 0; dt < segment.seconds; dt += 0.25) {
      t = start + dt;
      // Stages without units (loading, validation's reload) report 0 of 1, as the app does.
      const snapshot = segment.total ? overall.update(segment.stage, Math.floor((segment.total * dt) / segment.seconds), segment.total) : overall.update(segment.stage, 0, 1);
      out.push([t, snapshot.fraction, snapshot.etaSeconds]);
    }
    start += segment.seconds;
  }
  return out;
}

describe('overall progress of a job of several stages', () => {
  const reports = simulate();

  it('never goes back, and ends the job near 1', () => {
    for (let i = 1; i < reports.length; i++) expect(reports[i][1]).toBeGreaterThanOrEqual(reports[i - 1][1]);
    expect(reports.at(-1)![1]).toBeGreaterThan(0.95);
  });

  it('shows no ETA while loading, then one within 25% (+3 s) of the true time left, across stage changes', () => {
    expect(reports.filter(([t]) => t < 10).every(([, , eta]) => eta === undefined)).toBe(true);
    const checked = reports.filter(([t, , eta]) => t >= 15 && eta !== undefined);
    expect(checked.length).toBeGreaterThan(100);
    for (const [t, , eta] of checked) {
      const left = totalSeconds - t;
      expect(Math.abs(eta! - left), `at ${t} s: ETA ${eta!.toFixed(1)} s, true ${left.toFixed(1)} s`).toBeLessThanOrEqual(0.25 * left + 3);
    }
  });

  it('does not jump at a change of stage: the ETA just before and after differ by under 3 s', () => {
    const changes = reports.filter(([t]) => t >= 15 && t < 38 && schedule.some((_, i) => Math.abs(schedule.slice(0, i).reduce((s, g) => s + g.seconds, 0) - t) < 1e-9));
    expect(changes.length).toBeGreaterThan(4);
    for (const [t] of changes) {
      const before = reports.find(([u]) => Math.abs(u - (t - 0.25)) < 1e-9)![2]!;
      const after = reports.find(([u]) => Math.abs(u - t) < 1e-9)![2]!;
      expect(Math.abs(after - before), `at ${t} s`).toBeLessThan(3);
    }
  });
});
