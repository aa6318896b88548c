/**
 * The services behind the contract, on the real LeNet-5 demo, the bundled CIFAR-10 sample, real
 * SQLite and real worker jobs. Numbers are checked against independent computations: the model's
 * accuracy by evaluateModel, the SCM's do-query by hand-written matrix loops over the fitted
 * coefficients, the network's by plain forward passes with the engine's interventions.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, Events } from '../../src/shared/contract.js';
import type { ApiHandlers } from '../../src/shared/contract.js';
import { toModelInput } from '../../src/main/data/preprocessing.js';
import { selectIndices } from '../../src/main/data/sampling.js';
import { evaluateModel } from '../../src/main/evaluation/evaluate-model.js';
import { latestBuild } from '../../src/main/scm/latest-build.js';
import { rankFilters } from '../../src/main/scm/rankings.js';
import { isLinearRegressor } from '../../src/main/scm/regressors/index.js';
import type { BuiltScm } from '../../src/main/scm/build-scm.js';
import { AppService, handlers } from '../../src/main/services/app-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { cachedEvaluation } from '../../src/main/features/rankings/rankings-extension.js';
import { evaluationPlan } from '../../src/main/features/rankings/evaluation-plan.js';
import { evaluateJob, evaluateSession } from '../../src/main/features/rankings/evaluation-service.js';

const resourcesDir = join(import.meta.dirname, '../../resources');
const model = join(resourcesDir, 'models/lenet5');
const sample = join(resourcesDir, 'data/cifar10-test-sample.bin');
const quick = { limit: 200, augmentImages: 100 };

type Seen = { [E in EventName]: { name: E; payload: Events[E] } }[EventName];

function makeService(userDataDir: string) {
  const events: Seen[] = [];
  const service = new AppService({ userDataDir, resourcesDir, emit: (name, payload) => events.push({ name, payload } as Seen) });
  return { service, h: handlers(service), events };
}

async function finished(events: Seen[], jobId: string, timeoutMs = 90_000): Promise<Seen> {
  const start = Date.now();
  for (;;) {
    const end = events.find((e) => (e.name === 'job.done' || e.name === 'job.failed') && e.payload.jobId === jobId);
    if (end) return end;
    if (Date.now() - start > timeoutMs) throw new Error('the job did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const errorOf = (p: Promise<unknown>) => p.then(() => ({ code: 'none', message: '' }), (e: { code: string; message: string }) => e);

function argmax(row: ArrayLike<number>, o: number, c: number): number {
  let best = 0;
  for (let k = 1; k < c; k++) if (row[o + k] > row[o + best]) best = k;
  return best;
}

let userData: string;
let app: ReturnType<typeof makeService>;
let h: ApiHandlers;
let projectDir: string;
let built: BuiltScm;
let session: ProjectSession;

beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'causeway-app-'));
  app = makeService(userData);
  h = app.h;
});

afterAll(async () => {
  session?.close();
  await app.service.dispose();
});

describe('before a project is open', () => {
  it('reports the backend and the bundled demos', async () => {
    const info = await h['app.info']();
    expect(info.backend).toMatch(/wasm|cpu|tensorflow/);
    expect(info.backendReason.length).toBeGreaterThan(10);
    expect(info.demos.map((d) => d.name)).toContain('lenet5');
    expect(info.canPickPaths).toBe(false);
  });

  it('answers project calls with no-project and unknown folders with not-found', async () => {
    expect((await errorOf(h['graph.get']())).code).toBe('no-project');
    expect((await errorOf(h['interventions.list']())).code).toBe('no-project');
    const missing = await errorOf(h['projects.open']({ dir: join(userData, 'nothing-here') }));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toMatch(/no Causeway project here/);
  });
});

describe('project preview', () => {
  it("shows images with predictions and the model's sample accuracy, as evaluateModel measures it", async () => {
    const preview = await h['projects.preview']({ modelPath: model, dataPath: sample, preprocessing: { scale: 1 / 255 } });
    expect(preview.warning).toBeNull();
    expect(preview.chance).toBeCloseTo(0.1, 12);
    expect(preview.sampleSize).toBe(100);
    const s = await ProjectSession.open(join(userData, 'probe'), { modelPath: model, dataPath: sample, preprocessing: { scale: 1 / 255 } });
    try {
      const indices = selectIndices(s.dataset.labels(), { limit: 100, stratified: true, seed: 0 });
      const reference = await evaluateModel(s.model, s.dataset, { indices, preprocessing: { scale: 1 / 255 } });
      expect(preview.sampleAccuracy).toBeCloseTo(reference.accuracy, 12);
    } finally {
      s.close();
    }
    expect(preview.images.length).toBe(8);
    expect(new Set(preview.images.map((i) => i.label)).size).toBe(8);
    const png = PNG.sync.read(Buffer.from(preview.images[0].png.replace('data:image/png;base64,', ''), 'base64'));
    expect([png.width, png.height]).toEqual([32, 32]);
  });

  it('warns when the accuracy is near chance and suggests the preprocessing that works', async () => {
    // Mean given in 0–255 units after scaling to 0–1: every input is about −100.
    const preview = await h['projects.preview']({ modelPath: model, dataPath: sample, preprocessing: { scale: 1 / 255, mean: [100, 100, 100] } });
    expect(preview.sampleAccuracy).toBeLessThan(0.19);
    expect(preview.warning).toMatch(/about chance/);
    expect(preview.suggestions[0].preprocessing.scale).toBeCloseTo(1 / 255, 12);
    expect(preview.suggestions[0].accuracy).toBeGreaterThan(0.5);
  });
});

describe('the demo project, built', () => {
  it('opens the demo on first start, creating it in the user data folder', async () => {
    const project = await h['projects.openDemo']();
    projectDir = project.dir;
    expect(project.dir).toBe(join(userData, 'demo-projects', 'lenet5'));
    expect(project.nodeLayers.map((l) => l.name)).toEqual(['conv1', 'conv2', 'logits']);
    expect(project.build).toBeNull();
    expect((await h['projects.recent']()).map((r) => r.dir)).toContain(project.dir);
    expect((await errorOf(h['graph.get']())).code).toBe('no-build');
  });

  it('builds in worker jobs, reporting every pipeline step in order, then the result', async () => {
    const { jobId } = await h['build.start']({ settings: quick });
    expect((await errorOf(h['build.start']({ settings: quick }))).code).toBe('busy');
    const end = await finished(app.events, jobId);
    expect(end.name).toBe('job.done');
    const steps = app.events.filter((e) => e.name === 'job.progress' && e.payload.jobId === jobId).map((e) => (e.payload as Events['job.progress']).step);
    const order = [...new Set(steps)];
    expect(order).toEqual(['load', 'phi', 'augmentation', 'fitting', 'validation', 'evaluation']);
    // Beside the row, each report carries the job's own typed step: the build job's, then the plan's validation and the ranking's.
    const jobSteps = [...new Set(app.events.filter((e) => e.name === 'job.progress' && e.payload.jobId === jobId).map((e) => (e.payload as Events['job.progress'] & { jobStep?: string }).jobStep))];
    expect(jobSteps).toEqual([undefined, 'phi', 'augmentation', 'fitting', 'validation', 'loading', 'ranking']);
    // One bar for the whole build: it never goes back and ends (nearly) full.
    const fractions = app.events.filter((e) => e.name === 'job.progress' && e.payload.jobId === jobId).map((e) => (e.payload as Events['job.progress']).overall?.fraction ?? 0);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions.at(-1)).toBeGreaterThan(0.9);
    const current = (await h['projects.current']())!;
    expect(current.build?.rankingsReady).toBe(true);
    expect(current.build?.validation.evaluationImages).toBe(40);
    session = await ProjectSession.open(projectDir);
    built = await latestBuild(session);
    expect(current.build?.validation).toEqual(built.validation);
  });

  it("sends structural-equation coefficients as edges: with every parent kept they reproduce the equation's predictions", async () => {
    const graph = await h['graph.get']({ topK: 64 });
    expect(graph.edgeKind).toBe('linear');
    const eq = built.scm.equations.conv2;
    if (!isLinearRegressor(eq)) throw new Error('expected a linear equation');
    const n = built.evaluation.n;
    const x = built.evaluation.layers.conv1;
    const predicted = eq.predict({ rows: n, cols: 6, data: Float64Array.from(x) });
    const conv2 = graph.layers.findIndex((l) => l.name === 'conv2');
    const rebuilt = new Float64Array(n * 16);
    for (let i = 0; i < n; i++) for (let k = 0; k < 16; k++) rebuilt[i * 16 + k] = eq.model.intercept[k];
    let count = 0;
    graph.edges.weight.forEach((w, e) => {
      if (graph.edges.toLayer[e] !== conv2) return;
      count++;
      expect(graph.layers[graph.edges.fromLayer[e]].name).toBe('conv1');
      const j = graph.edges.fromChannel[e];
      const k = graph.edges.toChannel[e];
      for (let i = 0; i < n; i++) rebuilt[i * 16 + k] += w * x[i * 6 + j];
    });
    expect(count).toBe(6 * 16);
    for (let i = 0; i < n * 16; i++) expect(rebuilt[i]).toBeCloseTo(predicted[i], 6);
  });

  it('keeps the k strongest parents per child, strength = |w|·σ(parent)/σ(child)', async () => {
    const graph = await h['graph.get']({ topK: 2 });
    const std = (values: Float32Array, c: number, k: number) => {
      const n = values.length / c;
      let m = 0;
      for (let i = 0; i < n; i++) m += values[i * c + k] / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (values[i * c + k] - m) ** 2 / n;
      return Math.sqrt(v);
    };
    const perChild = new Map<string, number[]>();
    graph.edges.weight.forEach((w, e) => {
      const from = graph.layers[graph.edges.fromLayer[e]];
      const to = graph.layers[graph.edges.toLayer[e]];
      const expected = (Math.abs(w) * std(built.evaluation.layers[from.name], from.channels, graph.edges.fromChannel[e])) / std(built.evaluation.layers[to.name], to.channels, graph.edges.toChannel[e]);
      expect(graph.edges.strength[e]).toBeCloseTo(expected, 5);
      const key = `${to.name}:${graph.edges.toChannel[e]}`;
      perChild.set(key, [...(perChild.get(key) ?? []), graph.edges.strength[e]]);
    });
    expect(perChild.size).toBe(16 + 10);
    for (const s of perChild.values()) {
      expect(s).toHaveLength(2);
      expect(s[0]).toBeGreaterThanOrEqual(s[1]);
    }
    const detail = await h['graph.channel']({ layer: 'conv2', channel: 3 });
    expect(detail.phi.histogram.reduce((a, b) => a + b, 0)).toBe(40);
    expect(detail.parents[0].strength).toBeCloseTo(Math.max(...perChild.get('conv2:3')!), 10);
  });

  it("predicts do(conv1 filters 0, 2 = 0) as hand-written loops over the SCM's coefficients do: counterfactual (default) and interventional", async () => {
    const preview = await h['query.run']({ interventions: [{ layer: 'conv1', channels: [0, 2], kind: 'zero' }], save: false, mode: 'interventional' });
    const { scm: counterfactual, history } = await h['query.run']({ interventions: [{ layer: 'conv1', channels: [0, 2], kind: 'zero' }] });
    const result = preview.scm;
    expect(result.mode).toBe('interventional');
    expect(counterfactual.mode).toBe('counterfactual');
    const n = built.evaluation.n;
    const eq2 = built.scm.equations.conv2;
    const eqL = built.scm.equations.logits;
    if (!isLinearRegressor(eq2) || !isLinearRegressor(eqL)) throw new Error('expected linear equations');
    const x = Float64Array.from(built.evaluation.layers.conv1);
    for (let i = 0; i < n; i++) x[i * 6] = x[i * 6 + 2] = 0;
    const layer = (input: Float64Array, p: number, q: number, m: { coef: Float64Array; intercept: Float64Array }) => {
      const out = new Float64Array(n * q);
      for (let i = 0; i < n; i++) for (let k = 0; k < q; k++) {
        let s = m.intercept[k];
        for (let j = 0; j < p; j++) s += input[i * p + j] * m.coef[j * q + k];
        out[i * q + k] = s;
      }
      return out;
    };
    const logits = layer(layer(x, 6, 16, eq2.model), 16, 10, eqL.model);
    const labels = built.evaluation.labels;
    let correct = 0;
    const classCorrect = new Array(10).fill(0);
    const classN = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      classN[labels[i]]++;
      if (argmax(logits, i * 10, 10) === labels[i]) {
        correct++;
        classCorrect[labels[i]]++;
      }
    }
    expect(result.accuracy).toBeCloseTo(correct / n, 12);
    // Counterfactual, by hand: each image keeps its noise, so in a linear chain the observed φ move by
    // the equations' coefficients times the change: conv2 += (x − x_obs)·W1, logits += Δconv2·W2.
    const x0 = Float64Array.from(built.evaluation.layers.conv1);
    const dx = x.map((v, i) => v - x0[i]);
    const zero = { coef: eq2.model.coef, intercept: new Float64Array(16) };
    const dConv2 = layer(dx, 6, 16, zero);
    const dLogits = layer(dConv2, 16, 10, { coef: eqL.model.coef, intercept: new Float64Array(10) });
    const observedLogits = built.evaluation.layers.logits;
    let cfCorrect = 0;
    const cf = new Float64Array(n * 10);
    for (let i = 0; i < n * 10; i++) cf[i] = observedLogits[i] + dLogits[i];
    for (let i = 0; i < n; i++) if (argmax(cf, i * 10, 10) === labels[i]) cfCorrect++;
    expect(counterfactual.accuracy).toBeCloseTo(cfCorrect / n, 12);
    expect(counterfactual.baselineAccuracy).toBeCloseTo(built.validation.modelAccuracy, 12);
    result.perClass.forEach((c, k) => expect(c.accuracy).toBeCloseTo(classN[k] ? classCorrect[k] / classN[k] : NaN, 12));
    expect(result.baselineAccuracy).toBeCloseTo(built.validation.scmAccuracy, 12);
    expect(result.affectedLayers).toEqual(['conv1', 'conv2', 'logits']);
    expect(result.channelEffects.conv1[1]).toBe(0);
    expect(result.channelEffects.conv1[0]).toBeLessThan(0);
    expect(history?.entries).toHaveLength(1);
    expect(history?.currentId).toBe(history?.entries[0].id);
  });

  it('verifies on the real network: as plain forward passes with the same intervention find', async () => {
    const id = (await h['interventions.list']()).currentId!;
    const entry = await h['query.verify']({ id });
    const { model: net, dataset } = session;
    const indices = built.evaluationIndices;
    const raw = await dataset.read(indices);
    const input = toModelInput(raw, { height: 32, width: 32, channels: 3 }, { scale: 1 / 255 }, { height: 32, width: 32, channels: 3 });
    const out = await net.forward(input, indices.length, { interventions: { shared: [{ layer: 'conv1', channels: [0, 2], kind: 'zero' }] } });
    let correct = 0;
    for (let i = 0; i < indices.length; i++) if (argmax(out.logits, i * 10, 10) === raw.labels[i]) correct++;
    expect(entry.real!.accuracy).toBeCloseTo(correct / indices.length, 12);
    expect(entry.real!.baselineAccuracy).toBeCloseTo(built.validation.modelAccuracy, 12);
    expect(entry.scm.accuracy).toBeGreaterThanOrEqual(0);
  });

  it('leaves the network unchanged under do(scale 1): the verified accuracy is the baseline', async () => {
    const { history } = await h['query.run']({ interventions: [{ layer: 'conv2', channels: [1, 2, 3], kind: 'scale', value: 1 }] });
    const entry = await h['query.verify']({ id: history!.currentId! });
    expect(entry.real!.accuracy).toBeCloseTo(entry.real!.baselineAccuracy, 12);
    expect(entry.scm.accuracy).toBeCloseTo(entry.scm.baselineAccuracy, 12);
  });

  it('refuses interventions on unknown layers, missing channels and the outputs, naming them', async () => {
    const bad = [
      { layer: 'conv9', channels: [0], kind: 'zero' as const },
      { layer: 'conv2', channels: [16], kind: 'zero' as const },
      { layer: 'logits', channels: [0], kind: 'zero' as const },
    ];
    for (const iv of bad) {
      const e = await errorOf(h['query.run']({ interventions: [iv] }));
      expect(e.code).toBe('invalid-args');
      expect(e.message).toMatch(new RegExp(iv.layer));
    }
    expect((await errorOf(h['query.verify']({ id: 9999 }))).code).toBe('not-found');
  });

  it('walks the history with undo and redo; a preview is not saved', async () => {
    const before = await h['interventions.list']();
    expect(before.entries).toHaveLength(2);
    const [first, second] = before.entries;
    expect(before.currentId).toBe(second.id);
    await h['query.run']({ interventions: [{ layer: 'conv2', channels: [5], kind: 'constant', value: 2 }], save: false });
    expect((await h['interventions.list']()).entries).toHaveLength(2);
    expect((await h['interventions.undo']()).currentId).toBe(first.id);
    expect((await h['interventions.undo']()).currentId).toBeNull();
    const s = await h['interventions.undo']();
    expect([s.currentId, s.canUndo, s.canRedo]).toEqual([null, false, true]);
    expect((await h['interventions.redo']()).currentId).toBe(first.id);
    const applied = await h['interventions.apply']({ id: second.id });
    expect([applied.currentId, applied.canRedo]).toEqual([second.id, false]);
    expect(app.events.some((e) => e.name === 'history.changed')).toBe(true);
  });

  it('ranks every filter as rankFilters does, once, in the build', async () => {
    const rankings = await h['rankings.get']();
    expect(rankings.status).toBe('ready');
    expect(rankings.evaluationNote.length).toBeGreaterThan(10);
    const reference = rankFilters(built.scm, built.evaluation.layers, built.evaluation.labels);
    expect(rankings.layers.map((l) => l.name)).toEqual(reference.map((r) => r.name));
    rankings.layers.forEach((l, i) => {
      expect(l.channels.map((c) => c.channel)).toEqual(reference[i].ranking.map((r) => r.channel));
      l.channels.forEach((c, j) => expect(c.importance).toBeCloseTo(reference[i].ranking[j].importance, 12));
    });
    const graph = await h['graph.get']();
    expect(graph.importance!.conv2[reference[1].ranking[0].channel]).toBeCloseTo(reference[1].ranking[0].importance, 12);
  });

  it('evaluates the rankings against the network in a job, and shows the report the evaluation service stored', async () => {
    expect((await h['rankings.get']()).evaluation).toBeNull();
    const { jobId } = await h['rankings.evaluate']({ settings: { seeds: 1, curveImages: 16, resamples: 20 } });
    const end = await finished(app.events, jobId);
    expect(end).toMatchObject({ name: 'job.done', payload: { kind: 'evaluate' } });
    const steps = new Set(app.events.filter((e) => e.name === 'job.progress' && e.payload.jobId === jobId).map((e) => (e.payload as Events['job.progress']).step));
    expect([...steps]).toEqual(['evaluation']);
    const jobSteps = new Set(app.events.filter((e) => e.name === 'job.progress' && e.payload.jobId === jobId).map((e) => (e.payload as Events['job.progress'] & { jobStep?: string }).jobStep));
    expect([...jobSteps].filter((step) => !['loading', ...evaluateJob.steps].includes(step!))).toEqual([]);
    expect(jobSteps).toContain('true ablation');
    const evaluation = (await h['rankings.get']()).evaluation!;
    const stored = cachedEvaluation(session.store, built)!;
    expect(evaluation.criteria.map((c) => c.name)).toEqual(stored.criteria.map((c) => c.name));
    expect(evaluation.criteria.map((c) => c.name)).toContain('scm');
    expect(evaluation.criteria.find((c) => c.name === 'scm')!.spearman).toBe(stored.criteria.find((c) => c.name === 'scm')!.spearman);
    expect(evaluation.layers.map((l) => l.name)).toEqual(['conv1', 'conv2']);
    const conv2 = evaluation.layers[1];
    expect(conv2.curves.every((c) => c.leastFirst.length === conv2.fractionRemoved.length)).toBe(true);
    expect(conv2.reference).toEqual(stored.layers[1].reference.leastFirst);
    expect(evaluation.curveImages).toBe(16);
    // One bar across the evaluation's stages: every report carries the whole job's share, never going back.
    const overall = app.events.filter((e) => e.name === 'job.progress' && e.payload.jobId === jobId).map((e) => (e.payload as Events['job.progress']).overall?.fraction);
    expect(overall.every((f) => f !== undefined)).toBe(true);
    for (let i = 1; i < overall.length; i++) expect(overall[i]!).toBeGreaterThanOrEqual(overall[i - 1]!);
    // Its stages found by their typed steps: the bar ends (nearly) full.
    expect(overall.at(-1)).toBeGreaterThan(0.9);
    // Every report of the evaluation carries the overall bar (above); the plan has a stage for each of the job's typed steps.
    const planned = new Set<string>(evaluationPlan(session.model.nodeLayers, built.evaluationIndices.length).map((p) => p.step));
    expect(['loading', ...evaluateJob.steps].filter((step) => !planned.has(step))).toEqual([]);
    // The fidelity beside SCM numbers now holds this evaluation (pushed with project.changed).
    const changed = app.events.filter((e) => e.name === 'project.changed').at(-1)!.payload as Events['project.changed'];
    const scm = stored.criteria.find((c) => c.name === 'scm')!;
    expect(changed!.build!.fidelity.evaluated).toBe(true);
    expect(changed!.build!.fidelity.ranking!.spearman).toBe(scm.spearman);
    expect(changed!.build!.fidelity.ranking!.truthReliability).toBe(scm.truthReliability);
  });

  it('finds an evaluation the CLI stored with its own settings (no app pointer, not the defaults)', async () => {
    session.store.deleteArtifact('app-evaluation', built.keys.equations);
    const cli = await evaluateSession(session, { seeds: 1, curveImages: 8, resamples: 10 });
    expect(cli.cached).toBe(false);
    const shown = (await h['rankings.get']()).evaluation!;
    expect(shown.curveImages).toBe(8);
    expect(shown.criteria.map((c) => c.spearman)).toEqual(cli.report.criteria.map((c) => c.spearman));
  });

  it("estimates an evaluation before it starts from the pace of the project's last evaluation", async () => {
    const pace = session.store.getArtifact<{ unitsPerSecond: number; loadSeconds: number }>('job-pace', 'evaluate')!.value;
    // Measured on the evaluation itself, not the build's pace carried over.
    expect(pace).not.toEqual(session.store.getArtifact('job-pace', 'build')!.value);
    // The plan by hand for LeNet-5 (conv1 6, conv2 16 filters) on 40 held-out images, 1 seed, 16 curve images, 10 fractions:
    // activations 40, Taylor 3 × 40, true ablation 0.1 × 40 × 22, per-layer curves 0.1 × 16 × 2 layers × (2 × 8 + 1) orders × 10,
    // global curves 0.1 × 16 × 17 × 10, multi-filter 0.1 × 40 × (3 + 5 sizes × 3 seeds); one load.
    const units = 40 + 120 + 0.1 * 40 * 22 + 0.1 * 16 * 2 * 17 * 10 + 0.1 * 16 * 17 * 10 + 0.1 * 40 * 24;
    const estimate = await h['rankings.estimate']({ settings: { seeds: 1, curveImages: 16, resamples: 20 } });
    expect(estimate.basis).toBe('last evaluation');
    expect(estimate.seconds).toBeCloseTo(pace.loadSeconds + units / pace.unitsPerSecond, 6);
  });

  it('compares projects side by side from their stores, with a row saying why one cannot be read', async () => {
    const rows = await h['compare.get']({ dirs: [projectDir, join(userData, 'nope')] });
    expect(rows[0]).toMatchObject({ name: 'lenet5 demo', problem: null, modelName: 'lenet5', nodeLayers: 3, channels: 22, phi: 'fro', regressor: 'ridge' });
    expect(rows[0].validation).toEqual(built.validation);
    expect(rows[0].layers.map((l) => l.name)).toEqual(['conv2', 'logits']);
    expect(rows[1].problem).toMatch(/does not exist/);
    // Each criterion's fidelity as the evaluation stored it, beside the accuracy.
    const stored = cachedEvaluation(session.store, built)!;
    expect(rows[0].fidelity!.criteria.map((c) => [c.name, c.spearman, c.interval])).toEqual(stored.criteria.map((c) => [c.name, c.spearman, c.spearmanInterval]));
    expect(rows[1].fidelity).toBeNull();
  });

  it("estimates a build before it starts from the pace of the project's last build", async () => {
    const pace = session.store.getArtifact<{ unitsPerSecond: number; loadSeconds: number }>('job-pace', 'build')!.value;
    expect(pace.unitsPerSecond).toBeGreaterThan(0);
    // The plan by hand: 160 + 40 images of φ, 100 augmentation images × 2 layers, fitting 25 × 2
    // layers, validation 40, ranking 22 filters; and two loads.
    const estimate = await h['build.estimate']({ settings: quick });
    expect(estimate.basis).toBe('last build');
    expect(estimate.seconds).toBeCloseTo(2 * pace.loadSeconds + (160 + 40 + 2 * 100 + 50 + 40 + 22) / pace.unitsPerSecond, 6);
  });

  it('keeps every intervention with both results when the project is opened again', async () => {
    const again = makeService(userData);
    try {
      const recent = await again.h['projects.recent']();
      expect(recent[0]).toMatchObject({ dir: projectDir, exists: true });
      const project = await again.h['projects.open']({ dir: projectDir });
      expect(project.interventionCount).toBe(2);
      const history = await again.h['interventions.list']();
      expect(history.currentId).toBeNull();
      expect(history.entries.map((e) => e.interventions[0].layer)).toEqual(['conv1', 'conv2']);
      expect(history.entries.every((e) => e.real !== null && e.scm.n === 40)).toBe(true);
    } finally {
      await again.service.dispose();
    }
  });
});

describe('changing the preprocessing', () => {
  it('saves it and sets the build aside, re-opening the project with the new inputs', async () => {
    const other = makeService(mkdtempSync(join(tmpdir(), 'causeway-app-pre-')));
    try {
      await other.h['projects.create']({ dir: join(userData, 'pre-change'), modelPath: model, dataPath: sample, preprocessing: { scale: 1 / 255 } });
      const { jobId } = await other.h['build.start']({ settings: { limit: 100, augmentImages: 20 } });
      expect((await finished(other.events, jobId)).name).toBe('job.done');
      expect((await other.h['projects.current']())!.build).not.toBeNull();
      const changed = await other.h['projects.setPreprocessing']({ preprocessing: { scale: 1 } });
      expect(changed.preprocessing).toEqual({ scale: 1 });
      expect(changed.build).toBeNull();
      expect((await errorOf(other.h['graph.get']())).code).toBe('no-build');
      // Stored: a fresh session reads the new settings and finds no latest build.
      const reopened = await ProjectSession.open(join(userData, 'pre-change'));
      try {
        expect(reopened.settings.preprocessing).toEqual({ scale: 1 });
        expect(reopened.store.getArtifact('latest-build', 'latest')).toBeUndefined();
      } finally {
        reopened.close();
      }
    } finally {
      await other.service.dispose();
    }
  });
});

describe('cancel and resume', () => {
  it('cancels within a second and builds again from where it stopped', async () => {
    const other = makeService(mkdtempSync(join(tmpdir(), 'causeway-app-cancel-')));
    try {
      const created = await other.h['projects.create']({ dir: join(userData, 'cancel-me'), modelPath: model, dataPath: sample, preprocessing: { scale: 1 / 255 } });
      expect(created.preview.warning).toBeNull();
      const { jobId } = await other.h['build.start']({ settings: { limit: 300, augmentImages: 200, batchSize: 16 } });
      while (!other.events.some((e) => e.name === 'job.progress' && e.payload.step === 'phi' && e.payload.done > 0)) await new Promise((r) => setTimeout(r, 20));
      const asked = Date.now();
      expect(await other.h['jobs.cancel']({ jobId })).toEqual({ cancelled: true });
      const end = await finished(other.events, jobId);
      // runJob hard-stops a worker 800 ms after cancel; the rest is slack for a loaded machine.
    expect(Date.now() - asked).toBeLessThan(2000);
      expect(end).toMatchObject({ name: 'job.failed', payload: { cancelled: true } });
      const again = await other.h['build.start']({ settings: { limit: 300, augmentImages: 200, batchSize: 16 } });
      expect((await finished(other.events, again.jobId)).name).toBe('job.done');
      expect((await other.h['projects.current']())?.build?.validation.evaluationImages).toBe(60);
    } finally {
      await other.service.dispose();
    }
  });
});
