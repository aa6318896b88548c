/**
 * The app in Debian Chromium (web mode) takes a PyTorch-exported ONNX model: the New project form
 * previews it with the sample accuracy PyTorch's own predictions give on the same images (first the
 * wrong preprocessing, with the warning and the suggestion that fixes it), then creates the project.
 * Screenshots go to test-results/onnx/.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/main/data/open-dataset.js';
import { selectIndices } from '../../src/main/data/sampling.js';
import { startWebMode, type WebMode } from '../../src/main/server/web-mode.js';
import { previewSampleSize } from '../../src/main/features/projects/project-preview.js';
import { REPO } from '../helpers/data-paths.js';
import { launchChromium } from './chromium.js';

const shots = join(import.meta.dirname, '../../test-results/onnx');
mkdirSync(shots, { recursive: true });
const model = join(REPO, 'test/fixtures/onnx/resnet18.onnx');
const sample = join(REPO, 'resources/data/cifar10-test-sample.bin');

let web: WebMode;
let browser: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  web = await startWebMode({ port: 0, userDataDir: mkdtempSync(join(tmpdir(), 'causeway-onnx-app-')) });
  browser = await launchChromium();
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(web.url);
}, 600_000); // the first start builds the renderer

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('an ONNX model in the app', () => {
  it('previews a PyTorch ResNet-18 with a preprocessing warning, then with PyTorch’s accuracy, and creates the project', { timeout: 240_000 }, async () => {
    // First start opens the bundled demo; then the Projects view.
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 120_000 }).toContain('demo');
    await page.keyboard.press('1');
    await page.getByRole('heading', { name: 'New project' }).waitFor();
    const dir = mkdtempSync(join(tmpdir(), 'causeway-onnx-project-'));
    await page.getByPlaceholder('/home/me/projects/my-model').fill(join(dir, 'resnet18'));
    await page.getByPlaceholder('/path/to/model.json').fill(model);
    await page.getByPlaceholder('/path/to/test_batch.bin').fill(sample);
    // Raw 0–255 pixels: not how the model was trained.
    await page.locator('select').first().selectOption({ label: 'raw pixels (0–255)' });
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('preview');
    await preview.waitFor({ timeout: 120_000 });
    await page.screenshot({ path: join(shots, 'preview-wrong-preprocessing.png') });
    const fixture = JSON.parse(readFileSync(join(REPO, 'test/fixtures/onnx/resnet18.json'), 'utf8')) as { predictions: number[] };
    const text = (await preview.textContent())!;
    // The suggestion list offers x/255; trying it gives PyTorch's accuracy on the preview's sample.
    await page.getByRole('button', { name: /Try scale 1\/255/ }).click();
    await expect.poll(async () => (await preview.textContent())!, { timeout: 120_000 }).not.toBe(text);
    await page.screenshot({ path: join(shots, 'preview.png') });
    // The preview's sample (previewProject: 100 stratified, seed 0) and PyTorch's predictions on it.
    const dataset = await openDataset(sample);
    const indices = selectIndices(dataset.labels(), { limit: previewSampleSize, stratified: true, seed: 0 });
    const labels = dataset.labels();
    const pytorch = indices.filter((i) => fixture.predictions[i] === labels[i]).length / indices.length;
    const match = /([\d.]+)%\s*correct on (\d+)/.exec((await preview.textContent())!);
    expect(Number(match?.[2])).toBe(indices.length);
    expect(Math.abs(Number(match?.[1]) / 100 - pytorch)).toBeLessThanOrEqual(1 / indices.length + 1e-9);
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 120_000 }).toContain('resnet18');
    await page.screenshot({ path: join(shots, 'created.png') });
    expect(problems).toEqual([]);
  });
});
