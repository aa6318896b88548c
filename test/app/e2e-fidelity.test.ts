/**
 * End to end in Debian Chromium, web mode (issue 15, items 6 and 2): the SCM's measured fidelity
 * beside its numbers — the pipeline's result, the rankings before and after evaluating, the
 * intervention panel in both SCM answers — each equal to what the project store holds, with the
 * warning shown exactly when the stated thresholds call it poor; and the S2 repair run from the
 * Class explanations panel on the bias-audit demo, its numbers equal to the stored repair.
 * Screenshots go to test-results/e2e/ (CAUSEWAY_SCREENSHOTS=docs: docs/screenshots/).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../src/main/evaluation/evaluation-report.js';
import { wilsonInterval } from '../../src/main/evaluation/wilson-interval.js';
import { pairedDifference } from '../../src/main/evaluation/paired-difference.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import type { Validation } from '../../src/main/scm/build-scm.js';
import { REPAIR_ARTIFACT, type RepairDto } from '../../src/main/features/explain/explain-service.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { regressors } from '../../src/shared/choices.js';
import { fidelityThresholds } from '../../src/shared/fidelity.js';
import { type BrowserSession, openBrowserSession } from './helpers/browser-session.js';

let session: BrowserSession;
let page: Page;
let userData: string;

/** Reads one project's store beside the running app. */
function stored<T>(project: string, read: (store: ProjectStore) => T): T {
  const store = ProjectStore.open(join(userData, 'demo-projects', project));
  try {
    return read(store);
  } finally {
    store.close();
  }
}
const validationOf = (project: string) => stored(project, (s) => s.getArtifact<{ validation: Validation }>('latest-build', 'latest')!.value.validation);
const evaluationOf = (project: string) =>
  stored(project, (s) => {
    const [{ key }] = s.listArtifacts('evaluation');
    return s.getArtifact<EvaluationReport>('evaluation', key)!.value;
  });

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const text = (testid: string) => page.getByTestId(testid).first().textContent();

const shot = (name: string) => session.shot(name);

async function buildSmall(limit: string, augmentImages: string) {
  await page.getByTestId('tab-pipeline').click();
  await page.getByTestId('setting-limit').fill(limit);
  await page.getByTestId('setting-augment-images').fill(augmentImages);
  await page.getByTestId('build').click();
  await page.getByTestId('build-result').waitFor({ timeout: 120_000 });
}

beforeAll(async () => {
  session = await openBrowserSession('causeway-e2e-fidelity-');
  ({ page, userData } = session);
});

afterAll(async () => {
  await session?.close();
});

describe('fidelity beside every SCM number, and the repair, in a browser', () => {
  it('puts the chained SCM’s distance from the network beside the build’s result, and names the engine', async () => {
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toContain('lenet5 demo');
    await buildSmall('200', '100');
    const v = validationOf('lenet5');
    const gap = 100 * Math.abs(v.scmAccuracy - v.modelAccuracy);
    expect(await text('fidelity-build')).toContain(`Chained SCM ${pct(v.scmAccuracy)} vs network ${pct(v.modelAccuracy)} on ${v.evaluationImages} held-out images: ${gap.toFixed(1)} pp off`);
    expect(await page.getByTestId('fidelity-build-warning').count()).toBe(gap > fidelityThresholds.chainedGapPoints ? 1 : 0);
    // The engine the store recorded with the build's equations.
    const engine = stored('lenet5', (s) => s.engineTally().find((t) => t.kind === 'scm')!.engine);
    expect(await text('project-engines')).toMatch(new RegExp(`computed by .*${engine === 'ort' ? 'ONNX Runtime' : 'TensorFlow.js'} \\([^)]*SCM equations`));
    expect(await text('project-engines')).toContain('Node layers: conv');
  }, 150_000);

  it('says the rankings are not evaluated, then shows ρ with its interval and ceiling as evaluate stored them', async () => {
    await page.getByTestId('tab-rankings').click();
    await page.getByTestId('rankings-table').waitFor();
    expect(await text('fidelity-ranking-missing')).toContain('Not evaluated yet');
    await page.getByTestId('fidelity-ranking-evaluate').click();
    await page.getByTestId('evaluation').getByLabel('seeds').fill('1');
    await page.getByTestId('evaluation').getByLabel('curve images').fill('16');
    await page.getByTestId('evaluate').click();
    await page.getByTestId('criteria-table').waitFor({ timeout: 90_000 });
    await page.getByTestId('fidelity-ranking').waitFor({ timeout: 10_000 });

    const e = evaluationOf('lenet5');
    const scm = e.criteria.find((c) => c.name === 'scm')!;
    const others = e.criteria.filter((c) => c.name !== 'scm' && c.name !== 'random');
    const best = others.reduce((b, c) => (c.spearman > b.spearman ? c : b));
    const line = await text('fidelity-ranking');
    expect(line).toContain(`Spearman ρ ${scm.spearman.toFixed(2)} [${scm.spearmanInterval![0].toFixed(2)}, ${scm.spearmanInterval![1].toFixed(2)}] (mean over ${scm.layers} layers)`);
    expect(line).toContain(`the truth's noise ceiling ${scm.truthReliability.toFixed(2)}`);
    expect(line).toContain(`best other criterion ${best.label} ${best.spearman.toFixed(2)}`);
    const t = fidelityThresholds;
    const poor = scm.spearman < best.spearman || scm.spearman < t.rankingShareOfCeiling * scm.truthReliability || scm.truthReliability < t.truthReliability;
    expect(await page.getByTestId('fidelity-ranking-warning').count()).toBe(poor ? 1 : 0);
    if (scm.spearman < best.spearman) expect(await text('fidelity-ranking-warning')).toContain(`below the ${best.label} baseline ${best.spearman.toFixed(2)}: prefer the baseline here`);
    // The surrogate line says what it compares: margins (it said "accuracy drop" before).
    const s = e.surrogate;
    expect(await text('fidelity-surrogate')).toContain(`SCM-predicted vs true margin drop per filter over ${s.filters} filters: Pearson r ${s.pearson.toFixed(2)}, Spearman ρ ${s.spearman.toFixed(2)}`);
    expect(await text('surrogate-line')).not.toContain('accuracy drop');
    await page.getByTestId('fidelity-ranking').scrollIntoViewIfNeeded();
    await shot('rankings-fidelity');
  }, 150_000);

  it('shows the do-answers’ measured error in the intervention panel, per SCM answer', async () => {
    await page.getByTestId('tab-graph').click();
    // A click on a filter selects it: the SCM's preview answer appears, its fidelity beside it.
    await page.waitForFunction(() => (window as unknown as { causewayGraph?: () => unknown }).causewayGraph?.());
    const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
    const at = await page.evaluate(() => (window as unknown as { causewayGraph: () => { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } }).causewayGraph().getElementById('n:1:3').renderedPosition());
    await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
    await page.getByTestId('intervention-fidelity').waitFor({ timeout: 30_000 });
    // The hover card's SCM importance has the ranking's fidelity under it.
    const scm = evaluationOf('lenet5').criteria.find((c) => c.name === 'scm')!;
    await expect.poll(() => text('hover-fidelity'), { timeout: 10_000 }).toContain(`ρ ${scm.spearman.toFixed(2)} with true ablation (ceiling ${scm.truthReliability.toFixed(2)})`);
    const multi = evaluationOf('lenet5').surrogate.multiFilter;
    const draws = multi.reduce((n, m) => n + m.draws, 0);
    const pooled = (f: (m: (typeof multi)[number]) => number) => multi.reduce((sum, m) => sum + m.draws * f(m), 0) / draws;
    for (const mode of ['counterfactual', 'interventional'] as const) {
      await page.getByTestId('query-mode').selectOption(mode);
      const error = pooled((m) => (mode === 'counterfactual' ? m.maePoints : m.maePointsInterventional));
      await expect.poll(() => text('fidelity-queries')).toContain(`(${draws} draws): the SCM's ${mode} accuracy is ${error.toFixed(1)} pp off the network's on average`);
      expect(await page.getByTestId('fidelity-queries-warning').count()).toBe(error > fidelityThresholds.queryErrorPoints ? 1 : 0);
    }
    await page.getByTestId('query-mode').selectOption('counterfactual');
    expect(await text('fidelity-chained')).toContain('Chained SCM');
    await page.mouse.move(5, 5);
    await shot('graph-fidelity');
  }, 60_000);

  it('runs the repair on the bias-audit demo from the class explanations panel', async () => {
    await page.getByTestId('tab-properties').click();
    await page.getByTestId('bias-demo').first().click();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toContain('bias audit');
    await buildSmall('300', '100');
    await page.getByTestId('tab-graph').click();
    await page.getByTestId('explain-class').selectOption('3');
    await page.getByTestId('explain-card').waitFor({ timeout: 90_000 });
    await page.getByTestId('repair-run').click();
    await page.getByTestId('repair-sentence').waitFor({ timeout: 90_000 });

    const repair = stored('bias-audit', (s) => {
      const [{ key }] = s.listArtifacts(REPAIR_ARTIFACT);
      return s.getArtifact<Omit<RepairDto, 'seconds' | 'cached'>>(REPAIR_ARTIFACT, key)!.value;
    });
    const n = repair.images.evaluation;
    const span = (p: number) => wilsonInterval(Math.round(p * n), n).map((x) => (100 * x).toFixed(0));
    const cell = async (id: string, p: number) => expect(await text(id)).toBe(`${pct(p)} [${span(p)[0]}%, ${span(p)[1]}%]`);
    await cell('repair-conflicting-before', repair.before.conflicting);
    await cell('repair-conflicting-after', repair.after.conflicting);
    // the paired change from the stored per-image table (its statistics are pinned in test/evaluation/paired-difference.test.ts)
    const change = pairedDifference(repair.paired!.conflicting);
    const points = (x: number) => (100 * x).toFixed(0);
    expect(await text('repair-conflicting-change')).toMatch(
      new RegExp(`^\\+?${points(change.difference)} pp \\[${points(change.interval[0])}, ${points(change.interval[1])}\\] p [<=] `),
    );
    const sentence = await text('repair-sentence');
    if (repair.removed.length) {
      expect(sentence).toContain(`Removing ${repair.removed.map((r) => r.id).join(', ')}`);
      expect(sentence).toContain(`from ${pct(repair.before.conflicting, 0)} [${span(repair.before.conflicting).join(', ')}] to ${pct(repair.after.conflicting, 0)}`);
    } else {
      expect(sentence).toContain('nothing was removed');
    }
    await page.getByTestId('explain-repair').scrollIntoViewIfNeeded();
    await shot('graph-repair');
  }, 240_000);

  it('creates a project with dense node layers and the mlp equations from the new-project form', async () => {
    const dir = join(userData, 'lenet-dense');
    const root = join(import.meta.dirname, '../..');
    await page.getByTestId('tab-projects').click();
    await page.getByTestId('new-dir').fill(dir);
    await page.getByTestId('new-model').fill(join(root, 'resources/models/lenet5'));
    await page.getByTestId('new-data').fill(join(root, 'resources/data/cifar10-test-sample.bin'));
    await page.getByTestId('new-node-layers').selectOption('conv,dense');
    // The form offers every regressor of shared/choices.ts, grouped by the family of φ it fits, as the
    // Pipeline view does; a regressor of the other family switches φ to match.
    const groups = await page.getByTestId('new-regressor').locator('optgroup').evaluateAll((gs) =>
      gs.map((g) => ({ label: g.getAttribute('label'), names: Array.from(g.querySelectorAll('option'), (o) => o.value) })),
    );
    expect(groups).toEqual([
      { label: 'continuous φ', names: regressors.filter((r) => r.family === 'continuous').map((r) => r.name) },
      { label: 'binary φ', names: regressors.filter((r) => r.family === 'binary').map((r) => r.name) },
    ]);
    expect(groups.flatMap((g) => g.names)).toEqual(expect.arrayContaining(['lasso', 'lars', 'logistic', 'svm', 'random-forest']));
    await page.getByTestId('new-regressor').selectOption('logistic');
    await expect.poll(() => page.getByTestId('new-phi').inputValue()).toBe('binary');
    await shot('new-project-equations');
    await page.getByTestId('new-phi').selectOption('fro');
    // a continuous φ clears a binary regressor: back to "default"
    await expect.poll(() => page.getByTestId('new-regressor').evaluate((el) => (el as HTMLSelectElement).selectedIndex)).toBe(0);
    await page.getByTestId('new-regressor').selectOption('mlp');
    expect(await page.getByTestId('new-phi').inputValue()).toBe('fro');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toContain('lenet-dense');
    await buildSmall('200', '50');
    // The node layers the model loader finds with dense layers included, each fitted with the mlp equations.
    const model = await LoadedModel.load(join(root, 'resources/models/lenet5'), { nodeLayers: ['conv', 'dense'] });
    const fitted = model.nodeLayers.slice(1).map((l) => l.name);
    model.dispose();
    expect(model.nodeLayers.some((l) => l.kind === 'dense')).toBe(true);
    const rows = await page.getByTestId('build-result').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[2].textContent]));
    expect(rows).toEqual(fitted.map((name) => [name, 'mlp']));
    expect(await text('project-engines')).toContain('Node layers: conv + dense (with merges and logits) · equations: mlp');
    const settings = ProjectStore.open(dir);
    try {
      expect(settings.getSettings()!.nodeLayers).toEqual(['conv', 'dense']);
    } finally {
      settings.close();
    }
    await shot('pipeline-dense-mlp');
    expect(session.problems).toEqual([]);
  }, 240_000);
});
