// @vitest-environment happy-dom
/** Views and panels rendered with @vue/test-utils against stores fed by a scripted API. */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../../../src/renderer/src/api/index.js';
import InterventionsPanel from '../../../src/renderer/src/components/InterventionsPanel.vue';
import { useAppStore } from '../../../src/renderer/src/stores/app.js';
import { useGraphStore } from '../../../src/renderer/src/stores/graph.js';
import { usePipelineStore } from '../../../src/renderer/src/stores/pipeline.js';
import { useProjectStore } from '../../../src/renderer/src/stores/project.js';
import GraphView from '../../../src/renderer/src/views/GraphView.vue';
import PipelineView from '../../../src/renderer/src/views/PipelineView.vue';
import ProjectsView from '../../../src/renderer/src/views/ProjectsView.vue';
import { modelFileLabel } from '../../../src/renderer/src/util/format.js';
import { fakeApi } from './fake-api.js';
import { buildInfo, entry, graph as graphFixture, project } from './fixtures.js';

let fake: ReturnType<typeof fakeApi>;
let pinia: ReturnType<typeof createPinia>;

beforeEach(() => {
  fake = fakeApi();
  setApi(fake.api);
  pinia = createPinia();
  setActivePinia(pinia);
});

describe('PipelineView', () => {
  it('shows one bar, ETA and elapsed time for the whole build, each step with its progress and time, and a cancel button', async () => {
    useProjectStore().current = project();
    const pipeline = usePipelineStore();
    pipeline.reset(project());
    const event = { jobId: 'j', kind: 'build' as const, step: 'phi' as const, stage: 'φ extraction (training split)', done: 30, total: 120, etaSeconds: 5, elapsedSeconds: 4, jobSeconds: 9 };
    fake.emit('job.progress', { ...event, overall: { fraction: 0.1, etaSeconds: 75 } });
    const wrapper = mount(PipelineView, { global: { plugins: [pinia] } });
    await flushPromises();
    const steps = wrapper.findAll('[data-step]');
    expect(steps.map((s) => s.attributes('data-step'))).toEqual(['load', 'phi', 'augmentation', 'fitting', 'validation', 'evaluation']);
    const phi = steps[1];
    expect(phi.classes()).toContain('running');
    // The step: its count and the seconds it has run; the ETA is the build's, not the stage's 5 s.
    expect(phi.text()).toContain('30 / 120 · 4.0 s');
    expect(phi.text()).not.toContain('left');
    expect(phi.find('[role=progressbar]').attributes('aria-valuenow')).toBe('25');
    const whole = wrapper.find('[data-testid=build-progress]');
    expect(whole.text()).toMatch(/φ extraction \(training split\).*10%.*about 1 min left.*9\.0 s elapsed/s);
    expect(whole.find('[role=progressbar]').attributes('aria-valuenow')).toBe('10');
    // A later report with a lower fraction (a stage re-planned) does not move the bar back.
    fake.emit('job.progress', { ...event, done: 60, overall: { fraction: 0.08, etaSeconds: 70 } });
    await flushPromises();
    expect(wrapper.find('[data-testid=build-progress] [role=progressbar]').attributes('aria-valuenow')).toBe('10');
    expect(steps[0].text()).toContain('done');
    expect(wrapper.find('[data-testid=cancel]').exists()).toBe(true);
    fake.answers['jobs.cancel'] = () => ({ cancelled: true });
    await wrapper.find('[data-testid=cancel]').trigger('click');
    expect(fake.calls.at(-1)).toEqual({ name: 'jobs.cancel', args: { jobId: 'j' } });
  });

  it('says what to do when no project is open', () => {
    const wrapper = mount(PipelineView, { global: { plugins: [pinia] } });
    expect(wrapper.find('[data-testid=empty-state]').text()).toMatch(/No project open.*Go to projects/s);
  });
});

describe('GraphView', () => {
  it('sends the user to the pipeline when nothing is built yet', () => {
    useProjectStore().current = project();
    fake.answers['interventions.list'] = () => ({ entries: [], currentId: null, canUndo: false, canRedo: false });
    const wrapper = mount(GraphView, { global: { plugins: [pinia] } });
    expect(wrapper.find('[data-testid=empty-state]').text()).toMatch(/No causal model yet.*Open the pipeline/s);
  });
});

describe('InterventionsPanel', () => {
  it("shows the SCM's prediction beside the network's verified result, and the history", async () => {
    useProjectStore().current = project();
    const history = { entries: [entry(1, [0], 0.7, 0.65), entry(2, [1, 2], 0.5, 0.4)], currentId: 2, canUndo: true, canRedo: false };
    fake.answers['interventions.list'] = () => history;
    fake.answers['query.run'] = () => ({ scm: entry(2, [1, 2], 0.5).scm, history: null });
    const graph = useGraphStore();
    graph.setSelected([
      { layer: 'conv2', channel: 1 },
      { layer: 'conv2', channel: 2 },
    ]);
    const wrapper = mount(InterventionsPanel, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.find('[data-testid=selection]').text()).toContain('2 filters');
    expect(wrapper.find('[data-testid=selection]').text()).toContain('conv2: 1, 2');
    expect(wrapper.find('[data-testid=scm-result]').text()).toContain('50.0%');
    expect(wrapper.find('[data-testid=scm-result]').text()).toContain('−30.0 pp');
    expect(wrapper.find('[data-testid=real-result]').text()).toContain('40.0%');
    expect(wrapper.find('[data-testid=real-result]').text()).toContain('−50.0 pp');
    const items = wrapper.findAll('[data-testid=history-entry]');
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    expect(items.map((i) => squeeze(i.text()))).toEqual([squeeze('#2 conv2: 1, 2 = 0 SCM 50.0% · network 40.0%'), squeeze('#1 conv2: 0 = 0 SCM 70.0% · network 65.0%')]);
    expect(wrapper.find('[data-testid=undo]').attributes('disabled')).toBeUndefined();
    expect(wrapper.find('[data-testid=redo]').attributes('disabled')).toBeDefined();
    fake.answers['interventions.apply'] = ({ id }: { id: number }) => ({ ...history, currentId: id });
    await items[1].trigger('click');
    await flushPromises();
    // Applying an entry from the history selects its filters on the graph.
    expect(graph.selected).toEqual([{ layer: 'conv2', channel: 0 }]);
    // Unmounted, its pending preview query cannot land in the next test's calls (seen on a loaded machine).
    wrapper.unmount();
  });
});

describe('ProjectsView', () => {
  it('lists recent projects and shows the preview with its warning and suggestions', async () => {
    const projects = useProjectStore();
    projects.recent = [
      { dir: '/p/a', name: 'vgg', openedAt: '2026-01-01T00:00:00Z', exists: true },
      { dir: '/p/gone', name: 'gone', openedAt: '2026-01-01T00:00:00Z', exists: false },
    ];
    projects.preview = {
      modelName: 'm',
      datasetImages: 500,
      classNames: ['airplane', 'automobile'],
      images: [{ index: 0, label: 1, predicted: 0, confidence: 0.9, png: 'data:image/png;base64,AA==' }],
      sampleSize: 100,
      sampleAccuracy: 0.11,
      chance: 0.1,
      warning: 'The model gets 11% of 100 sample images right, about chance (10%)',
      suggestions: [{ label: 'scale 1/255 (inputs in [0, 1])', preprocessing: { scale: 1 / 255 }, accuracy: 0.66 }],
    };
    const wrapper = mount(ProjectsView, { global: { plugins: [pinia] } });
    const rows = wrapper.findAll('[data-testid=recent-projects] li');
    expect(rows.map((r) => r.text())).toEqual([expect.stringContaining('vgg'), expect.stringContaining('folder missing')]);
    expect(wrapper.find('[data-testid=recent-gone]').attributes('disabled')).toBeDefined();
    const preview = wrapper.find('[data-testid=preview]');
    expect(preview.text()).toContain('11.0% correct on 100 sample images');
    expect(preview.text()).toContain('about chance');
    expect(preview.text()).toContain('Try scale 1/255 (inputs in [0, 1]) — 66.0% on the same images');
    expect(preview.find('figcaption').classes()).toContain('bad');
  });

  it('puts an error beside the field whose path it names, and browses the server\'s folders in web mode', async () => {
    useAppStore().info = { version: '0', backend: 'wasm', backendReason: '', userDataDir: '/u', demos: [], canPickPaths: false, evaluationAvailable: true };
    const wrapper = mount(ProjectsView, { global: { plugins: [pinia] } });
    await wrapper.find('[data-testid=new-dir]').setValue('/home/me/p');
    await wrapper.find('[data-testid=new-model]').setValue('/home/me/m.h5');
    await wrapper.find('[data-testid=new-data]').setValue('/home/me/data.bin');
    fake.answers['projects.create'] = () => {
      throw new Error('/home/me/data.bin: truncated CIFAR-10 file (3000 bytes, not a multiple of 3073)');
    };
    await wrapper.find('[data-testid=create-project]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid=error-data]').text()).toMatch(/data\.bin: truncated/);
    expect(wrapper.find('[data-testid=error-model]').exists()).toBe(false);
    expect(useAppStore().notices.filter((n) => n.text.includes('data.bin'))).toEqual([]);
    fake.answers['projects.create'] = () => {
      throw new Error('the backend failed');
    };
    await wrapper.find('[data-testid=create-project]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid=error-data]').exists()).toBe(false);
    expect(wrapper.find('[data-testid=error-form]').text()).toBe('the backend failed');

    // No native dialog: the browser lists the server's folders; a click on a file chooses it.
    const listing = (dir: string) => ({
      dir,
      parent: dir === '/home/me' ? null : '/home/me',
      root: '/home/me',
      roots: [{ label: 'Home', path: '/home/me' }, { label: 'Bundled demos', path: '/app/resources' }],
      entries: dir === '/home/me' ? [{ name: 'models', path: '/home/me/models', kind: 'folder', size: null }] : [{ name: 'lenet.h5', path: '/home/me/models/lenet.h5', kind: 'file', size: 9 }],
      truncated: false,
    });
    fake.answers['files.list'] = (args?: { dir?: string }) => listing(args?.dir ?? '/home/me');
    await wrapper.find('[data-testid=browse-model]').trigger('click');
    await flushPromises();
    expect(fake.calls.filter((c) => c.name === 'app.pickPath')).toEqual([]);
    // It opens where the field's path is.
    expect(fake.calls.at(-1)).toEqual({ name: 'files.list', args: { dir: '/home/me' } });
    await wrapper.find('[data-testid="browser-entry-models"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-testid="browser-entry-lenet.h5"]').trigger('click');
    await flushPromises();
    expect((wrapper.find('[data-testid=new-model]').element as HTMLInputElement).value).toBe('/home/me/models/lenet.h5');
    expect(wrapper.find('[data-testid=path-browser]').exists()).toBe(false);
  });
});

describe('the header', () => {
  it('names the model file, not the network\'s internal name', () => {
    expect(modelFileLabel('/data/models/lenet.h5')).toBe('lenet.h5');
    expect(modelFileLabel('/app/resources/models/vgg_bn/')).toBe('vgg_bn');
    expect(modelFileLabel('/data/lenet5/model.json')).toBe('lenet5/model.json');
  });
});

describe('App', () => {
  it('re-opens the last project on start and reloads the graph when another project (or build) comes', async () => {
    const { default: App } = await import('../../../src/renderer/src/App.vue');
    const built = buildInfo;
    fake.answers['app.info'] = () => ({ version: 't', backend: 'cpu', backendReason: '', userDataDir: '/u', demos: [], canPickPaths: false, evaluationAvailable: true });
    fake.answers['projects.current'] = () => null;
    fake.answers['projects.recent'] = () => [{ dir: '/p/a', name: 'a', openedAt: '2026-01-01T00:00:00Z', exists: true }];
    fake.answers['projects.open'] = ({ dir }: { dir: string }) => project({ dir, name: 'a', build: built('a') });
    fake.answers['graph.get'] = () => ({ ...(graphFixture()), importance: null });
    fake.answers['interventions.list'] = () => ({ entries: [], currentId: null, canUndo: false, canRedo: false });
    const wrapper = mount(App, { global: { plugins: [pinia], stubs: { GraphCanvas: true } } });
    await flushPromises();
    expect(fake.calls.filter((c) => c.name === 'projects.open')).toEqual([{ name: 'projects.open', args: { dir: '/p/a' } }]);
    expect(wrapper.find('[data-testid=project-title]').text()).toContain('a');
    expect(fake.calls.filter((c) => c.name === 'graph.get')).toHaveLength(1);
    // Another project opened while the graph view is not shown: back on the graph, it is the new one.
    const appStore = useAppStore();
    appStore.view = 'projects';
    await flushPromises();
    fake.emit('project.changed', project({ dir: '/p/b', name: 'b', build: built('b') }));
    appStore.view = 'graph';
    await flushPromises();
    expect(fake.calls.filter((c) => c.name === 'graph.get')).toHaveLength(2);
    // The same build again (a refreshed ProjectInfo) keeps the loaded graph.
    fake.emit('project.changed', project({ dir: '/p/b', name: 'b', build: built('b') }));
    await flushPromises();
    expect(fake.calls.filter((c) => c.name === 'graph.get')).toHaveLength(2);
    wrapper.unmount();
  });
});
