/** The small parts of the services: undo/redo, recent projects, the build job sequence, dispatch. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiHandlers, EventName, Events } from '../../src/shared/contract.js';
import { argsSchemas } from '../../src/shared/contract.js';
import { ApiError } from '../../src/shared/errors.js';
import { CancelledError, type Progress } from '../../src/main/util/progress.js';
import { BuildJobs } from '../../src/main/features/build/build-jobs.js';
import { dispatch } from '../../src/main/services/dispatch.js';
import { RecentProjects } from '../../src/main/features/projects/recent-projects.js';
import { toApiError } from '../../src/main/services/service-errors.js';
import { UndoStack } from '../../src/main/features/interventions/undo-stack.js';
import { ProjectStoreError } from '../../src/main/store/project-store-error.js';

describe('UndoStack', () => {
  it('moves back and forth like an editor; a new state clears redo', () => {
    const s = new UndoStack<number | null>(null);
    s.push(1);
    s.push(2);
    expect([s.undo(), s.undo(), s.undo()]).toEqual([1, null, null]);
    expect(s.redo()).toBe(1);
    s.push(3);
    expect([s.canRedo, s.current]).toEqual([false, 3]);
    expect([s.undo(), s.undo(), s.undo()]).toEqual([1, null, null]);
  });

  it('forgets a deleted state everywhere', () => {
    const s = new UndoStack<number | null>(null);
    s.push(1);
    s.push(2);
    s.forget(2, null);
    expect(s.current).toBeNull();
    expect(s.undo()).toBe(1);
  });
});

describe('RecentProjects', () => {
  it('keeps the newest first, without duplicates, at most 12, and marks missing folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-recent-'));
    const recent = new RecentProjects(join(dir, 'user', 'recent.json'));
    for (let i = 0; i < 14; i++) await recent.add(join(dir, `p${i}`), `p${i}`, new Date(2026, 0, 1, 0, i));
    await recent.add(join(dir, 'p3'), 'p3 again');
    const list = recent.list();
    expect(list).toHaveLength(12);
    expect(list[0]).toMatchObject({ dir: join(dir, 'p3'), name: 'p3 again', exists: false });
    expect(list.filter((r) => r.dir === join(dir, 'p3'))).toHaveLength(1);
    expect(list[1].name).toBe('p13');
  });

  it('treats an unreadable file as an empty list', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'causeway-recent-')), 'recent.json');
    writeFileSync(file, '{oops');
    expect(new RecentProjects(file).list()).toEqual([]);
    writeFileSync(file, JSON.stringify([{ dir: 1 }, { dir: '/a', name: 'a', openedAt: 'x' }]));
    expect(new RecentProjects(file).list().map((r) => r.dir)).toEqual(['/a']);
  });
});

describe('BuildJobs', () => {
  type Seen = { name: EventName; payload: Events[EventName] };
  const collect = () => {
    const events: Seen[] = [];
    return { events, emit: (name: EventName, payload: Events[EventName]) => events.push({ name, payload }) };
  };
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('runs build then rank, reports validation between them, then done with what onBuilt returns', async () => {
    const { events, emit } = collect();
    const ran: string[] = [];
    const runner = (async ({ name }: { name: string }, _args: unknown, o: { onProgress?: (p: Progress) => void }) => {
      ran.push(name);
      // The pipeline row comes from the typed step the job declares, never from the stage's words.
      const step = name === 'build' ? 'fitting' : name === 'rank' ? 'ranking' : undefined;
      o.onProgress?.({ step, stage: `words of ${name}`, done: 1, total: 1, elapsedSeconds: 0.1 });
      return {};
    }) as never;
    const jobs = new BuildJobs(emit as never, runner);
    let value: unknown;
    const id = jobs.start('/p', { limit: 10 }, async () => 'built', (_id, v) => (value = v));
    expect(jobs.current()?.jobId).toBe(id);
    await tick();
    expect(ran).toEqual(['build', 'rank']);
    expect(value).toBe('built');
    expect(jobs.current()).toBeNull();
    const steps = events.filter((e) => e.name === 'job.progress').map((e) => (e.payload as Events['job.progress']).step);
    expect(steps).toEqual(['load', 'fitting', 'validation', 'validation', 'evaluation', 'evaluation']);
    // Between build and rank, the ranking's worker loads the model again: said, not silent.
    const stages = events.filter((e) => e.name === 'job.progress').map((e) => (e.payload as Events['job.progress']).stage);
    expect(stages[4]).toBe('evaluation: loading the model and the dataset again');
    // An evaluation reports every stage as the 'evaluation' step, and one job at a time.
    const evaluation = jobs.startEvaluation('/p', { seeds: 1 }, async () => 'evaluated', () => undefined);
    expect(() => jobs.start('/p', {}, async () => null, () => undefined)).toThrow(/evaluation is already running/);
    await tick();
    const last = events.filter((e) => e.name === 'job.progress' && (e.payload as Events['job.progress']).jobId === evaluation);
    expect(last.map((e) => (e.payload as Events['job.progress']).step)).toEqual(['evaluation', 'evaluation']);
    expect(ran.slice(2)).toEqual(['evaluate']);
  });

  it('reports a cancelled job as cancelled, a failed one with its message, and frees the slot', async () => {
    const { events, emit } = collect();
    const cancelled = new BuildJobs(emit as never, (async () => {
      throw new CancelledError('the build job');
    }) as never);
    const a = cancelled.start('/p', undefined, async () => null, () => undefined);
    await tick();
    expect(events.at(-1)).toMatchObject({ name: 'job.failed', payload: { jobId: a, cancelled: true, message: expect.stringMatching(/resume/) } });
    const failing = new BuildJobs(emit as never, (async () => {
      throw new Error('/data/x.bin: truncated record\nstack…');
    }) as never);
    const b = failing.start('/p', undefined, async () => null, () => undefined);
    await tick();
    expect(events.at(-1)).toEqual({ name: 'job.failed', payload: { jobId: b, kind: 'build', cancelled: false, message: '/data/x.bin: truncated record' } });
    expect(failing.current()).toBeNull();
    expect(failing.cancel('unknown')).toBe(false);
  });
});

describe('dispatch and errors', () => {
  const h = { 'graph.channel': async () => ({}) } as unknown as ApiHandlers;

  it('names unknown methods and refuses arguments that do not match the schema', async () => {
    await expect(dispatch(h, 'constructor', {})).rejects.toMatchObject({ code: 'unknown-method' });
    await expect(dispatch(h, '__proto__', {})).rejects.toMatchObject({ code: 'unknown-method' });
    await expect(dispatch(h, 'graph.channel', { layer: 'c' })).rejects.toMatchObject({ code: 'invalid-args', message: expect.stringMatching(/^graph\.channel: channel/) });
    await expect(dispatch(h, 'graph.channel', { layer: 'c', channel: 1 })).resolves.toEqual({});
  });

  it('turns store, cancel and plain errors into one-line ApiErrors', () => {
    expect(toApiError(new ProjectStoreError('/p/x.sqlite', 'not-found', 'does not exist'))).toMatchObject({ code: 'not-found', message: '/p/x.sqlite does not exist' });
    expect(toApiError(new CancelledError('the build'))).toMatchObject({ code: 'cancelled' });
    expect(toApiError(new Error('first line\nsecond line'))).toMatchObject({ code: 'failed', message: 'first line' });
    const e = new ApiError('busy', 'x');
    expect(toApiError(e)).toBe(e);
  });

  it('checks arguments against the schemas the features declare', () => {
    expect(argsSchemas['query.run'].safeParse({ interventions: [{ layer: 'c', channels: [1], kind: 'scale' }] }).success).toBe(false);
    expect(argsSchemas['query.run'].safeParse({ interventions: [{ layer: 'c', channels: [1], kind: 'scale', value: 0.5 }] }).success).toBe(true);
    expect(argsSchemas['projects.create'].safeParse({ dir: '/p', modelPath: '/m', dataPath: '/d', preprocessing: { scale: 0 } }).success).toBe(false);
  });
});
