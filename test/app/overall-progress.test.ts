/**
 * One bar and one ETA across a job's stages (src/main/jobs/overall-progress.ts), on a simulated
 * build whose stages run at the rates the plan assumes: a 10 s load, φ extraction, six augmentation
 * stages, fitting, validation (another worker loading the model again, 10 s) and the ranking. The
 * ETA is compared with the true time left of the simulated schedule.
 */
import { describe, expect, it } from 'vitest';
import { OverallProgress, type PlannedStage } from '../../src/main/jobs/overall-progress.js';

interface Segment {
  /** The typed step (and part) the segment's reports carry; a segment without one (loading) matches no planned stage. */
  step?: string;
  part?: string;
  total: number;
  /** Seconds the segment takes. */
  seconds: number;
}

const rate = 100; // units per second
const plan: PlannedStage[] = [
  { step: 'phi', part: 'training', units: 400 },
  { step: 'phi', part: 'evaluation', units: 100 },
  ...[1, 2, 3, 4, 5, 6].map((k): PlannedStage => ({ step: 'augmentation', part: `conv${k}`, units: 400 })),
  { step: 'fitting', units: 150 },
  { step: 'validation', units: 100, reloads: true },
  { step: 'ranking', units: 448 },
];
const schedule: Segment[] = [
  { total: 0, seconds: 10 },
  { step: 'phi', part: 'training', total: 400, seconds: 4 },
  { step: 'phi', part: 'evaluation', total: 100, seconds: 1 },
  ...[1, 2, 3, 4, 5, 6].map((k) => ({ step: 'augmentation', part: `conv${k}`, total: 400, seconds: 400 / rate })),
  { step: 'fitting', total: 6, seconds: 1.5 },
  { step: 'validation', total: 0, seconds: 11 },
  { step: 'ranking', total: 448, seconds: 4.48 },
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
      const { step, part } = segment;
      const snapshot = segment.total ? overall.update({ step, part, done: Math.floor((segment.total * dt) / segment.seconds), total: segment.total }) : overall.update({ step, part, done: 0, total: 1 });
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

  it('finds the planned stage by step and part: a later part of a step moves on, a report without a step moves nothing', () => {
    const steps = new OverallProgress<string>([
      { step: 'phi', part: 'training', units: 1 },
      { step: 'augmentation', part: 'conv1', units: 1 },
      { step: 'augmentation', part: 'conv2', units: 1 },
      { step: 'ranking', units: 1 },
    ], () => 0);
    expect(steps.update({ step: 'phi', part: 'training', done: 1, total: 2 }).fraction).toBe(0.125);
    expect(steps.update({ step: 'augmentation', part: 'conv2', done: 1, total: 2 }).fraction).toBe(0.625);
    // A report of no planned step (the load) leaves the bar where it was.
    expect(steps.update({ done: 5, total: 10 }).fraction).toBe(0.625);
    // An earlier part after a later one does not take the bar back.
    expect(steps.update({ step: 'augmentation', part: 'conv1', done: 2, total: 2 }).fraction).toBe(0.625);
    expect(steps.update({ step: 'ranking', done: 2, total: 2 }).fraction).toBe(1);
  });
});
