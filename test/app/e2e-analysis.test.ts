/**
 * End to end in Debian Chromium, web mode, for the S3 and S2 panels on the LeNet-5 demo (small
 * settings, seconds per step): the pixel causal-effect browser with its clean/adversarial toggle and
 * detection ROC, and a class's explanatory graph highlighted on the causal graph, compared with a
 * second class. Screenshots go to test-results/e2e/ (CAUSEWAY_SCREENSHOTS=docs: docs/screenshots/).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, openBrowserSession } from './helpers/browser-session.js';

let session: BrowserSession;
let page: Page;
const shot = (name: string) => session.shot(name);

beforeAll(async () => {
  session = await openBrowserSession('causeway-e2e-analysis-');
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

describe('the S3 and S2 panels in a browser', () => {
  it('builds the demo with small settings', async () => {
    // Opening the demo loads the model and the sample and creates the project: seconds on a busy machine.
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toContain('lenet5 demo');
    await page.getByTestId('setting-limit').fill('200');
    await page.getByTestId('setting-augment-images').fill('100');
    await page.getByTestId('build').click();
    await page.getByTestId('build-result').waitFor({ timeout: 90_000 });
  }, 120_000);

  it('shows an image’s CE map beside Grad-CAM, its FGSM twin, and the detection ROC', async () => {
    await page.getByTestId('tab-pixel-effects').click();
    await page.locator('[data-testid^="thumb-"]').first().click();
    await expect.poll(() => page.getByTestId('pixel-effects-caption').textContent(), { timeout: 30_000 }).toMatch(/predicted .*Spearman CE vs Grad-CAM/s);
    expect(await page.getByTestId('heat-canvas').count()).toBe(2);
    await page.getByTestId('pixel-effects-adversarial').check();
    await expect.poll(() => page.getByTestId('pixel-effects-caption').textContent(), { timeout: 30_000 }).toMatch(/FGSM ε=8\/255: attack (succeeded|failed)/);
    await page.getByTestId('pixel-effects-detect').click();
    await expect.poll(() => page.getByTestId('pixel-effects-auroc').textContent(), { timeout: 60_000 }).toMatch(/AUROC mass\s*(0|1|0\.\d+|—)/);
    expect(await page.getByTestId('pixel-effects-auroc').textContent()).toMatch(/Attack success\s*\d+\.\d%/);
    await page.waitForTimeout(300);
    await shot('cemap');
  }, 120_000);

  it('highlights a class’s explanatory graph on the causal graph and compares it with another class', async () => {
    await page.getByTestId('tab-graph').click();
    await page.waitForFunction(() => (window as unknown as { causewayGraph?: () => unknown }).causewayGraph?.());
    await page.getByTestId('explain-class').selectOption('3');
    await page.getByTestId('explain-card').waitFor({ timeout: 60_000 });
    const lit = () => page.evaluate(() => (window as unknown as { causewayGraph: () => { $(s: string): { length: number } } }).causewayGraph().$('.explain-a, .explain-shared, edge.explain').length);
    await expect.poll(lit).toBeGreaterThan(2);
    await page.getByTestId('explain-compare').selectOption('5');
    await expect.poll(() => page.getByTestId('explain-comparison').textContent(), { timeout: 60_000 }).toMatch(/Jaccard [\d.]+ · shared \d+/);
    const counts = await page.evaluate(() => {
      const cy = (window as unknown as { causewayGraph: () => { $(s: string): { length: number } } }).causewayGraph();
      return { b: cy.$('node.explain-b').length, dim: cy.$('node.channel.explain-dim').length };
    });
    expect(counts.b + counts.dim).toBeGreaterThan(0);
    expect(counts.dim).toBeGreaterThan(0);
    // Back to the first class alone: from the renderer's cache, at once.
    await page.getByTestId('explain-compare').selectOption('');
    await expect.poll(() => page.getByTestId('explain-comparison').count()).toBe(0);
    await page.getByTestId('explain-compare').selectOption('5');
    await page.getByTestId('explain-comparison').waitFor({ timeout: 5_000 });
    await page.mouse.move(5, 5);
    await page.waitForTimeout(300);
    await shot('graph-explain');
  }, 120_000);

  it('logged no errors and no Content-Security-Policy violations in the page', () => {
    expect(session.problems).toEqual([]);
  });
});
