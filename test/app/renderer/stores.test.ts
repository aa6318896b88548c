// @vitest-environment happy-dom
/** Pinia stores against a scripted API: job events → pipeline steps, history, previews, projects. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryState } from '../../../src/shared/dto.js';
import { setApi } from '../../../src/renderer/src/api/index.js';
import { useGraphStore } from '../../../src/renderer/src/stores/graph.js';
import { useInterventionsStore } from '../../../src/renderer/src/stores/interventions.js';
import { usePipelineStore } from '../../../src/renderer/src/stores/pipeline.js';
import { useProjectStore } from '../../../src/renderer/src/stores/project.js';
import { useReportStore } from '../../../src/renderer/src/stores/report.js';
import { fakeApi } from './fake-api.js';
import { buildInfo, entry, graph, project, scm } from './fixtures.js';

let fake: ReturnType<typeof fakeApi>;

beforeEach(() => {
  fake = fakeApi();
  setApi(fake.api);
  setActivePinia(createPinia());
});

describe('pipeline store', () => {
  it('marks earlier steps done, the current one running with its progress, later ones waiting', async () => {
    fake.answers['build.start'] = () => ({ jobId: 'j1' });
    const pipeline = usePipelineStore();
    pipeline.settings = { limit: 200, augmentImages: Number.NaN };
    await pipeline.start();
    expect(fake.calls.at(-1)).toEqual({ name: 'build.start', args: { settings: { limit: 200 } } });
    fake.emit('job.progress', { jobId: 'j1', kind: 'build', step: 'augmentation', stage: 'augmentation (conv2)', done: 64, total: 100, etaSeconds: 3, elapsedSeconds: 2 });
    expect(pipeline.steps.map((s) => s.status)).toEqual(['done', 'done', 'running', 'pending', 'pending', 'pending']);
    expect(pipeline.steps[2]).toMatchObject({ stage: 'augmentation (conv2)', done: 64, total: 100, etaSeconds: 3 });
    fake.emit('job.progress', { jobId: 'other', kind: 'build', step: 'evaluation', stage: 'x', done: 1, total: 1, elapsedSeconds: 1 });
    expect(pipeline.steps[5].status).toBe('pending');
    fake.emit('job.failed', { jobId: 'j1', kind: 'build', cancelled: true, message: 'the build was cancelled; build again to resume where it stopped' });
    expect(pipeline.running).toBe(false);
    expect(pipeline.steps[2].status).toBe('cancelled');
    expect(pipeline.message).toMatch(/resume/);
  });

  it('shows all steps done after job.done, and restores a running job of a re-opened project', () => {
    const pipeline = usePipelineStore();
    pipeline.reset(project({ job: { jobId: 'j2', kind: 'build', startedAt: '', progress: { jobId: 'j2', kind: 'build', step: 'fitting', stage: 'fitting', done: 1, total: 2, elapsedSeconds: 5 } } }));
    expect(pipeline.running).toBe(true);
    expect(pipeline.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'running', 'pending', 'pending']);
    fake.emit('job.done', { jobId: 'j2', kind: 'build', seconds: 9, build: buildInfo('b1') });
    expect(pipeline.finished).toBe(true);
    expect(pipeline.elapsedSeconds).toBe(9);
  });
});

describe('interventions store', () => {
  const state = (entries = [entry(1, [1], 0.5), entry(2, [2], 0.6)], currentId: number | null = 2): HistoryState => ({ entries, currentId, canUndo: true, canRedo: false });

  it('keeps only the newest preview when answers arrive out of order', async () => {
    const resolvers: ((v: unknown) => void)[] = [];
    fake.answers['query.run'] = () => new Promise((r) => resolvers.push(r));
    const store = useInterventionsStore();
    const first = store.previewQuery([{ layer: 'conv2', channels: [1], kind: 'zero' }]);
    const second = store.previewQuery([{ layer: 'conv2', channels: [1, 2], kind: 'zero' }]);
    resolvers[1]({ scm: scm(0.3), history: null });
    await second;
    resolvers[0]({ scm: scm(0.7), history: null });
    await first;
    expect(store.preview?.accuracy).toBe(0.3);
    expect(fake.calls.every((c) => (c.args as { save: boolean }).save === false)).toBe(true);
  });

  it('saves, verifies, undoes and follows history pushed from main', async () => {
    fake.answers['query.run'] = () => ({ scm: scm(0.6), history: state() });
    fake.answers['query.verify'] = ({ id }: { id: number }) => entry(id, [2], 0.6, 0.55);
    fake.answers['interventions.undo'] = () => ({ ...state(), currentId: 1, canRedo: true });
    const store = useInterventionsStore();
    const current = await store.intervene([{ layer: 'conv2', channels: [2], kind: 'zero' }]);
    expect(current?.id).toBe(2);
    await store.verify();
    expect(store.current?.real?.accuracy).toBe(0.55);
    await store.undo();
    expect([store.current?.id, store.history?.canRedo]).toEqual([1, true]);
    fake.emit('history.changed', state([entry(1, [1], 0.5)], null));
    expect(store.current).toBeNull();
    expect(store.history?.entries).toHaveLength(1);
  });
});

describe('project and graph stores', () => {
  it('opens the demo, refreshes recent projects, and follows project.changed', async () => {
    fake.answers['projects.openDemo'] = () => project();
    fake.answers['projects.recent'] = () => [{ dir: '/p/lenet', name: 'lenet5 demo', openedAt: '2026-01-01T00:00:00Z', exists: true }];
    const store = useProjectStore();
    await store.openDemo();
    expect(store.current?.name).toBe('lenet5 demo');
    expect(store.recent).toHaveLength(1);
    fake.emit('project.changed', null);
    expect(store.current).toBeNull();
  });

  it('loads the graph with big layers collapsed only when the graph is big', async () => {
    const big = graph({ layers: [...graph().layers.slice(0, 2), { name: 'wide', kind: 'conv', channels: 2000, shape: [1, 1, 2000], parents: ['conv2'], exogenous: false, fit: null }] });
    fake.answers['graph.get'] = () => big;
    const store = useGraphStore();
    await store.load();
    expect(fake.calls[0]).toEqual({ name: 'graph.get', args: { topK: 8 } });
    expect([...store.collapsed]).toEqual(['wide']);
    expect(store.channelCount).toBe(2005);
    store.toggleAll();
    expect(store.collapsed.size).toBe(0);
    store.toggleCollapsed('conv1');
    expect([...store.collapsed]).toEqual(['conv1']);
  });

  it('fetches hover details once per channel', async () => {
    let n = 0;
    fake.answers['graph.channel'] = ({ layer, channel }: { layer: string; channel: number }) => {
      n++;
      return { layer, channel, phi: { mean: 1, std: 1, min: 0, max: 2, histogram: [1] }, importance: null, parents: [], children: [] };
    };
    const store = useGraphStore();
    await store.showHover({ layer: 'conv2', channel: 1, x: 0, y: 0 });
    await store.showHover(null);
    await store.showHover({ layer: 'conv2', channel: 1, x: 5, y: 5 });
    expect(n).toBe(1);
    expect(store.hoverDetail?.channel).toBe(1);
  });
});

describe('report store', () => {
  const catalogue = ['summary', 'validation', 'pixel-effects', 'properties', 'explanations', 'comparison'].map((id) => ({ id, title: id, description: '', severalProjects: id === 'comparison', needsEvaluation: false }));

  it("takes the services' default sections (no lens section without stored results) until the user picks, and ticks the comparison with another project", async () => {
    fake.answers['report.sections'] = () => catalogue;
    // The services' default for this project: what it has stored (here the S4 audits, no S2/S3).
    fake.answers['report.compose'] = (args: { projects: string[]; sections?: string[] }) => ({
      html: '<h1>r</h1>',
      sections: args.sections ?? ['summary', 'validation', 'properties', ...(args.projects.length > 1 ? ['comparison'] : [])],
      command: 'causeway report',
    });
    const report = useReportStore();
    await report.loadSections();
    expect(report.picked).toEqual(['summary', 'validation']);
    await report.compose('/p/a');
    expect(fake.calls.at(-1)).toEqual({ name: 'report.compose', args: { projects: ['/p/a'] } });
    expect(report.picked).toEqual(['summary', 'validation', 'properties']);

    report.toggle('others', '/p/b');
    expect(report.picked).toContain('comparison');
    await report.compose('/p/a');
    expect(fake.calls.at(-1)).toEqual({ name: 'report.compose', args: { projects: ['/p/a', '/p/b'] } });
    report.toggle('others', '/p/b');
    expect(report.picked).not.toContain('comparison');

    // Once the user unticks a section, the pick is theirs and goes out as it is.
    report.toggle('picked', 'validation');
    await report.compose('/p/a');
    expect(fake.calls.at(-1)).toEqual({ name: 'report.compose', args: { projects: ['/p/a'], sections: ['summary', 'properties'] } });
    report.resetPicks();
    expect(report.userPicked).toBe(false);
    expect(report.others).toEqual([]);
  });
});
