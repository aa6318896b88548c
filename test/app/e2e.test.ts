/**
 * End to end in Debian Chromium, web mode: first start opens the demo, build it, drag-select three
 * filters on the causal graph, intervene, verify on the network, see the numbers change, restart the
 * app and find the intervention in the re-opened project's history. Screenshots go to
 * test-results/e2e/ (CAUSEWAY_SCREENSHOTS=docs also refreshes docs/screenshots/).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { selectIndices, splitIndices } from '../../src/main/data/sampling.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import type { EvaluationReport } from '../../src/main/evaluation/evaluation-report.js';
import { loadImageSet } from '../../src/main/explanatory-graph/class-images.js';
import { resolveBuildSettings } from '../../src/main/scm/build-settings.js';
import { startWebMode, type WebMode } from '../../src/main/server/web-mode.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { sig } from '../../src/renderer/src/util/format.js';
import { launchChromium } from './chromium.js';

const shots = join(import.meta.dirname, '../../test-results/e2e');
const docs = join(import.meta.dirname, '../../docs/screenshots');
mkdirSync(shots, { recursive: true });

let web: WebMode;
let browser: BrowserContext;
let page: Page;
let userData: string;
const problems: string[] = [];

/** The evaluation the app stored for the demo project (read beside the running app). */
function storedEvaluation(): EvaluationReport {
  const store = ProjectStore.open(join(userData, 'demo-projects', 'lenet5'));
  try {
    const [{ key }] = store.listArtifacts('evaluation');
    return store.getArtifact<EvaluationReport>('evaluation', key)!.value;
  } finally {
    store.close();
  }
}

/**
 * The network's accuracy on the demo build's held-out images with conv2's `zeroed` channels set to 0,
 * by forward passes here (the project's stored settings, the build's split, argmax against the labels).
 */
async function heldOutAccuracy(zeroed: number[]): Promise<number> {
  const dir = join(userData, 'demo-projects', 'lenet5');
  const store = ProjectStore.open(dir);
  let project, build;
  try {
    project = store.getSettings()!;
    build = resolveBuildSettings(store.getArtifact<{ settings: object }>('latest-build', 'latest')?.value.settings ?? {});
  } finally {
    store.close();
  }
  const dataset = await openDataset(resolve(dir, project.dataPath));
  const model = await LoadedModel.load(resolve(dir, project.modelPath));
  try {
    const labels = dataset.labels();
    const selected = selectIndices(labels, { limit: build.limit, stratified: build.limit !== undefined, seed: build.seed });
    const { evaluation } = splitIndices(selected, labels, 1 - build.evalFraction, build.seed);
    const images = await loadImageSet(model, dataset, evaluation, project.preprocessing);
    const shared = zeroed.length ? [{ layer: 'conv2', channels: zeroed, kind: 'zero' as const }] : [];
    const { logits } = await model.forward(images.input, images.n, { interventions: { shared } });
    let right = 0;
    for (let i = 0; i < images.n; i++) {
      const row = Array.from(logits.subarray(i * model.numClasses, (i + 1) * model.numClasses));
      if (row.indexOf(Math.max(...row)) === labels[evaluation[i]]) right++;
    }
    return right / images.n;
  } finally {
    model.dispose();
  }
}

async function shot(name: string) {
  const file = join(shots, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.CAUSEWAY_SCREENSHOTS === 'docs') {
    mkdirSync(docs, { recursive: true });
    copyFileSync(file, join(docs, `${name}.png`));
  }
}

async function openPage(url: string) {
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
}

/** Drags a selection box over channels of a layer, in screen coordinates from Cytoscape. */
async function dragSelect(layerIndex: number, first: number, last: number) {
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  const [a, b] = await page.evaluate(
    ([l, f, t]) => {
      const cy = (window as unknown as { causewayGraph: () => { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } }).causewayGraph();
      return [cy.getElementById(`n:${l}:${f}`).renderedPosition(), cy.getElementById(`n:${l}:${t}`).renderedPosition()];
    },
    [layerIndex, first, last],
  );
  await page.mouse.move(canvas.x + a.x - 14, canvas.y + a.y - 9);
  await page.mouse.down();
  await page.mouse.move(canvas.x + b.x + 14, canvas.y + b.y + 9, { steps: 10 });
  await page.mouse.up();
}

/** Rests the pointer on a filter, then clicks it (shift-click to add or remove). */
async function clickFilter(layerIndex: number, channel: number, shift = false) {
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  const p = await page.evaluate(
    ([l, c]) => (window as unknown as { causewayGraph: () => { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } }).causewayGraph().getElementById(`n:${l}:${c}`).renderedPosition(),
    [layerIndex, channel],
  );
  await page.mouse.move(canvas.x + p.x, canvas.y + p.y);
  await page.waitForTimeout(120);
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.down();
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
}

beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'causeway-e2e-'));
  web = await startWebMode({ port: 0, userDataDir: userData });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('the app in a browser', () => {
  it('opens the bundled demo on first start and builds it, every step reaching done', async () => {
    await openPage(web.url);
    // Opening the demo loads the model and the sample and creates the project: seconds on a busy machine.
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toContain('lenet5 demo');
    await page.getByTestId('setting-limit').fill('400');
    await page.getByTestId('setting-augment-images').fill('400');
    await page.getByTestId('build').click();
    // One bar for the whole build: its percentage never goes back, its elapsed time runs on.
    const seen: { percent: number | null; elapsed: string }[] = [];
    let watching = true;
    const watcher = (async () => {
      try {
        while (watching) {
          const text = await page.getByTestId('build-progress').textContent({ timeout: 200 }).catch(() => null);
          if (text) seen.push({ percent: /(\d+)%/.test(text) ? Number(/(\d+)%/.exec(text)![1]) : null, elapsed: /([\d.]+ s|\d+ min \d+ s) elapsed/.exec(text)?.[1] ?? '' });
          await page.waitForTimeout(150);
        }
      } catch {
        // the page went away (a failed test closes it): nothing more to watch
      }
    })();
    try {
      // Mid-build: one step running with its progress, the earlier ones done.
      await page.locator('[data-step].running').first().waitFor({ timeout: 60_000 });
      await page.locator('[data-step].done').first().waitFor({ timeout: 60_000 });
      await shot('pipeline-running');
      await page.getByTestId('build-result').waitFor({ timeout: 120_000 });
      await page.getByTestId('build-progress').waitFor({ state: 'detached', timeout: 10_000 });
    } finally {
      watching = false;
      await watcher;
    }
    const percents = seen.map((s) => s.percent).filter((p): p is number => p !== null);
    expect(percents.length).toBeGreaterThan(3);
    for (let i = 1; i < percents.length; i++) expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1]);
    expect(new Set(percents).size).toBeGreaterThan(2);
    // The ONNX Runtime engine builds this demo in a few seconds: elapsed time must move on at least once.
    expect(new Set(seen.map((s) => s.elapsed)).size).toBeGreaterThan(1);
    const statuses = await page.locator('[data-step]').evaluateAll((els) => els.map((e) => e.className));
    expect(statuses.every((c) => c.includes('done'))).toBe(true);
    expect(await page.getByTestId('build-result').textContent()).toMatch(/network accuracy\s*\d+\.\d%/);
    await shot('pipeline');
  });

  it('selects a filter with a click, adds and removes with shift-click, and Esc clears it all', async () => {
    await page.getByTestId('tab-graph').click();
    await page.getByTestId('graph-canvas').waitFor();
    await page.waitForFunction(() => (window as unknown as { causewayGraph?: () => unknown }).causewayGraph?.());
    await page.waitForTimeout(300);
    // At the filter's centre, with the pointer resting there first (its edges light up on hover).
    await clickFilter(1, 5);
    await expect.poll(() => page.getByTestId('selection').textContent()).toMatch(/1 filter(?!s).*conv2: 5/s);
    await clickFilter(1, 7, true);
    await clickFilter(1, 9, true);
    await expect.poll(() => page.getByTestId('selection').textContent()).toMatch(/3 filters.*conv2: 5, 7, 9/s);
    await clickFilter(1, 7, true);
    await expect.poll(() => page.getByTestId('selection').textContent()).toMatch(/2 filters.*conv2: 5, 9/s);
    // Shift-click selects no page text.
    expect(await page.evaluate(() => String(window.getSelection()))).toBe('');
    await expect.poll(() => page.getByTestId('scm-result').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('selection').count()).toBe(0);
    expect(await page.getByTestId('scm-result').count()).toBe(0);
  });

  it('drag-selects three filters on the graph, intervenes, verifies, and the numbers change', async () => {
    await dragSelect(1, 1, 3);
    await expect.poll(() => page.getByTestId('selection').textContent()).toMatch(/3 filters.*conv2: 1–3/s);
    // The SCM's prediction appears for the selection before anything is saved.
    await expect.poll(() => page.getByTestId('scm-result').textContent()).toMatch(/SCM predicts, counterfactual \(preview\)/);
    await page.getByTestId('intervene').click();
    await expect.poll(() => page.getByTestId('history-entry').count()).toBe(1);
    await page.keyboard.press('v');
    await expect.poll(() => page.getByTestId('real-result').textContent(), { timeout: 30_000 }).toMatch(/\d+\.\d%/);
    const scm = (await page.getByTestId('scm-result').textContent())!;
    const real = (await page.getByTestId('real-result').textContent())!;
    const numbers = (text: string) => [...text.matchAll(/(\d+\.\d)%/g)].map((m) => Number(m[1]));
    const [scmNow, scmBefore] = numbers(scm);
    const [realNow, realBefore] = numbers(real);
    // The network's numbers are the held-out accuracy with and without conv2:1–3, as forward passes here give them…
    const [independentBefore, independentNow] = [await heldOutAccuracy([]), await heldOutAccuracy([1, 2, 3])];
    expect(realBefore).toBe(Number((100 * independentBefore).toFixed(1)));
    expect(realNow).toBe(Number((100 * independentNow).toFixed(1)));
    expect(independentNow).not.toBe(independentBefore); // zeroing three of sixteen filters changes what it gets right
    // …and the SCM's are the prediction the project stored for this intervention.
    const stored = ProjectStore.open(join(userData, 'demo-projects', 'lenet5'));
    try {
      const [record] = stored.listInterventions();
      const prediction = record.scmResult as { accuracy: number; baselineAccuracy: number };
      expect([scmNow, scmBefore]).toEqual([prediction.accuracy, prediction.baselineAccuracy].map((a) => Number((100 * a).toFixed(1))));
    } finally {
      stored.close();
    }
    expect(await page.getByTestId('history-entry').first().textContent()).toMatch(/conv2: 1–3 = 0.*SCM \d+\.\d%.*network \d+\.\d%/s);
    await page.mouse.move(10, 10);
    await shot('graph-intervention');
    // Esc: no selection, and no result of filters no longer selected left on screen.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('real-result').count()).toBe(0);
    expect(await page.getByTestId('scm-result').count()).toBe(0);
    // Back to the saved intervention through the history.
    await page.getByTestId('history-entry').first().click();
    await expect.poll(() => page.getByTestId('real-result').textContent()).toMatch(/\d+\.\d%/);
  });

  it('shows a hover card and a dark theme', async () => {
    await page.keyboard.press('t');
    const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
    const p = await page.evaluate(() => (window as unknown as { causewayGraph: () => { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } }).causewayGraph().getElementById('n:1:7').renderedPosition());
    await page.mouse.move(canvas.x + p.x, canvas.y + p.y);
    await page.getByTestId('hover-card').waitFor();
    expect(await page.getByTestId('hover-card').textContent()).toMatch(/conv2:7.*strongest parents.*conv1:\d/s);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await shot('graph-dark-hover');
    await page.keyboard.press('t');
  });

  it('ranks the filters, evaluates them against the network, and compares projects', async () => {
    await page.getByTestId('tab-rankings').click();
    await page.getByTestId('rankings-table').waitFor();
    expect(await page.getByTestId('rankings-table').locator('tbody tr').count()).toBe(6);
    await page.getByTestId('evaluation').getByLabel('seeds').fill('1');
    await page.getByTestId('evaluation').getByLabel('curve images').fill('16');
    await page.getByTestId('evaluate').click();
    await page.getByTestId('criteria-table').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('criteria-table').textContent()).toMatch(/SCM/);
    await page.locator('button', { hasText: 'conv2' }).first().click();
    await page.waitForTimeout(300);
    // Every ρ beside the truth's reliability: the criteria table's ceiling column and the layer's own line,
    // equal to what the project store holds; layers below 0.8 warned of.
    const stored = storedEvaluation();
    const conv2 = stored.layers.find((l) => l.name === 'conv2')!;
    expect(await page.getByTestId('criteria-table').textContent()).toContain('truth reliability (ceiling)');
    expect(await page.getByTestId('layer-fidelity').textContent()).toContain(`truth reliability in this layer ${sig(conv2.truth.reliability.reliability, 2)}`);
    expect(await page.getByTestId('reliability-warning').count()).toBe(stored.warnings.length);
    await shot('rankings');
    await page.getByText('Ablation curves: conv2').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await shot('ablation-curves');
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('compare-run').click();
    await page.getByTestId('compare-table').waitFor();
    expect(await page.getByTestId('compare-table').textContent()).toContain('lenet5 demo');
    // (docs/screenshots/compare.png, with two models side by side, comes from bench/app-screenshots.ts)
    await page.screenshot({ path: join(shots, 'compare.png') });
  });

  it('previews the report in a sandboxed frame, styled under the strict CSP, and exports it as PDF', async () => {
    await page.getByTestId('tab-graph').click();
    await page.keyboard.press('p');
    const frame = page.frameLocator('[data-testid="report-frame"]');
    await frame.locator('h1').waitFor();
    // Defaults: what the project has stored (no S2/S3/S4 results yet: those sections unticked).
    await expect.poll(() => page.getByTestId('report-section-summary').isChecked()).toBe(true);
    for (const lens of ['pixel-effects', 'properties', 'explanations']) expect(await page.getByTestId(`report-section-${lens}`).isChecked()).toBe(false);
    // No horizontal scrollbar in the preview: the frame's window is as tall as its document's view.
    const scrollbar = () => page.getByTestId('report-frame').evaluate((f) => (f as HTMLIFrameElement).contentWindow!.innerHeight - (f as HTMLIFrameElement).contentDocument!.documentElement.clientHeight);
    await expect.poll(scrollbar).toBe(0);
    await expect.poll(() => frame.locator('body').textContent()).toMatch(/SCM validation.*\d+\.\d%/s);
    // The report's own CSS applies (handed over through the CSSOM): its h1 is not the browser default size.
    const h1 = await frame.locator('h1').evaluate((el) => getComputedStyle(el).fontSize);
    expect(Number.parseFloat(h1)).toBeCloseTo((16 * 4) / 3, 1);
    expect(await page.getByTestId('report-frame').getAttribute('sandbox')).toBe('allow-same-origin');
    await page.getByTestId('report-section-plots').uncheck();
    await page.getByTestId('report-preview').click();
    await expect.poll(() => frame.locator('body').textContent()).not.toMatch(/Ablation curves/);
    await shot('report');
    // The shortcut does nothing while the preview is still rendering (its button is disabled then).
    await expect.poll(() => page.getByTestId('report-export-pdf').isEnabled()).toBe(true);
    await page.getByTestId('report-preview').focus();
    await page.keyboard.press('p');
    // Printing launches its own Chromium beside the suite's other workers: poll (not one 30 s locator wait) for up to 2 min.
    const savedLine = page.getByTestId('report-saved');
    await expect.poll(async () => ((await savedLine.count()) > 0 ? savedLine.textContent() : ''), { timeout: 120_000 }).toMatch(/reports\/report-.*\.pdf \(\d+ pages\)/);
    const saved = (await page.getByTestId('report-saved').locator('.mono').textContent())!;
    expect(readFileSync(saved).subarray(0, 5).toString()).toBe('%PDF-');
  }, 240_000);

  it('audits a property on held-out images (S4): curve with its shuffled band, EPGM and p', async () => {
    await page.getByTestId('tab-properties').click();
    await expect.poll(() => page.getByTestId('s4-thumb').count()).toBeGreaterThan(6);
    await page.getByTestId('s4-kind-contrast').check();
    await page.getByTestId('s4-steps').fill('16');
    await page.getByTestId('s4-permutations').fill('100');
    await page.getByTestId('s4-run').click();
    // One card per property, with a summary per tracked class (the class each image is predicted as).
    await page.getByTestId('s4-group').first().waitFor({ timeout: 60_000 });
    const groups = await page.getByTestId('s4-group').allTextContents();
    expect(groups.filter((g) => /^brightness · 6 images/.test(g))).toHaveLength(1);
    expect(groups.filter((g) => /^contrast · 6 images/.test(g))).toHaveLength(1);
    expect(groups[0]).toMatch(/tracked class\s*images\s*median EPGM\s*significant/);
    const audited = await page.getByTestId('s4-group').first().getByTestId('s4-class-row').evaluateAll((rows) => rows.map((r) => Number(r.children[1].textContent)));
    expect(audited.reduce((a, b) => a + b, 0)).toBe(6);
    // A p below the test's resolution reads "< 0.01" (100 permutations), never "0".
    const ps = await page.getByTestId('s4-image-row').evaluateAll((rows) => rows.map((r) => r.children[4].textContent!.trim()));
    expect(ps.length).toBe(12);
    for (const p of ps) expect(p).toMatch(/^(< 0\.01|0\.\d+|1)$/);
    await page.getByTestId('s4-image-row').first().click();
    await expect.poll(() => page.getByTestId('s4-curve').textContent()).toMatch(/brightness: EPGM \d.*p (< )?\d/);
    await page.waitForTimeout(300);
    await shot('properties');
  });

  it('finds the intervention, verified, in the history after the app restarts', async () => {
    await browser.close();
    await web.close();
    web = await startWebMode({ port: 0, userDataDir: userData });
    browser = await launchChromium();
    await openPage(web.url);
    // Later starts re-open the last project (loading its model and build: slow on a busy machine).
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toContain('lenet5 demo');
    await page.getByTestId('history-entry').first().waitFor();
    expect(await page.getByTestId('history-entry').first().textContent()).toMatch(/#1.*conv2: 1–3 = 0.*network \d+\.\d%/s);
    await page.getByTestId('tab-projects').click();
    await expect.poll(() => page.getByTestId('recent-projects').textContent()).toContain('lenet5 demo');
    await shot('projects');
  });

  it('creates a project from a model and a dataset picked in the file browser, errors beside the field', async () => {
    await page.getByTestId('tab-projects').click();
    await page.getByTestId('new-dir').fill(join(userData, 'failed-project'));
    await page.getByTestId('new-model').fill(join(userData, 'no-such-model.h5'));
    await page.getByTestId('new-data').fill('/nowhere/data.bin');
    await page.getByTestId('create-project').click();
    // The model is read first: its error sits beside its field, not in a toast, and nothing is written.
    await expect.poll(() => page.getByTestId('error-model').textContent()).toMatch(/no-such-model\.h5/);
    expect(await page.getByTestId('error-data').count()).toBe(0);
    expect(await page.getByTestId('notice').count()).toBe(0);
    expect(existsSync(join(userData, 'failed-project', 'project.causeway.sqlite'))).toBe(false);
    await page.getByTestId('browse-model').click();
    await page.getByTestId('browser-root-Bundled demos').click();
    await page.getByTestId('browser-entry-models').click();
    await page.getByTestId('browser-entry-lenet5').click();
    await page.getByTestId('browser-choose-folder').click();
    await page.getByTestId('browse-data').click();
    await page.getByTestId('browser-root-Bundled demos').click();
    await page.getByTestId('browser-entry-data').click();
    await page.getByTestId('browser-entry-cifar10-test-sample.bin').click();
    expect(await page.getByTestId('new-data').inputValue()).toMatch(/resources\/data\/cifar10-test-sample\.bin$/);
    await page.getByTestId('new-dir').fill(join(userData, 'picked-project'));
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 60_000 }).toContain('picked-project');
    // The header names the model file; the Pipeline shows the preprocessing.
    expect(await page.getByTestId('model-file').textContent()).toContain('lenet5');
    expect(await page.getByTestId('preprocessing-text').textContent()).toMatch(/pixels ÷255/);
  });

  it('logged no errors and no Content-Security-Policy violations in the page', () => {
    expect(problems).toEqual([]);
  });
});
