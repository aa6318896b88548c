/**
 * The README's screenshots of real demo models beyond the end-to-end test's LeNet-5: builds the
 * LeNet-5 and VGG-BN demos (300 sample images) in a temporary folder and evaluates their rankings
 * (3 seeds, 32 curve images), then in Debian Chromium opens VGG-BN's causal graph, zeroes four conv5
 * filters, verifies (the SCM's measured fidelity beside its answer), and compares the two projects.
 *   npx tsx bench/app-screenshots.ts          (writes docs/screenshots/graph-vgg-bn.png, compare.png)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebMode, repoRoot } from '../src/main/server/web-mode.js';
import { buildProject } from '../src/main/features/build/build-service.js';
import { evaluateProject } from '../src/main/features/rankings/evaluation-service.js';
import { rankProject } from '../src/main/features/rankings/ranking-job.js';
import { launchChromium } from '../test/app/chromium.js';

const out = join(repoRoot, 'docs', 'screenshots');
const work = mkdtempSync(join(tmpdir(), 'causeway-shots-'));
const sample = join(repoRoot, 'resources', 'data', 'cifar10-test-sample.bin');

async function project(name: string) {
  const dir = join(work, name);
  await buildProject({ project: dir, create: { modelPath: join(repoRoot, 'resources', 'models', name), dataPath: sample, preprocessing: { scale: 1 / 255 }, name }, settings: { limit: 300, augmentImages: 150 } });
  await rankProject({ project: dir });
  await evaluateProject({ project: dir, settings: { seeds: 3, curveImages: 32, resamples: 200 } });
  return dir;
}

async function main() {
  const lenet = await project('lenet5');
  const vgg = await project('vgg_bn');
  const web = await startWebMode({ port: 0, userDataDir: join(work, 'user-data') });
  const browser = await launchChromium({ width: 1400, height: 860 });
  const page = browser.pages()[0] ?? (await browser.newPage());
  try {
    await page.goto(web.url);
    for (const dir of [lenet, vgg]) {
      await page.getByTestId('tab-projects').click();
      await page.getByTestId('open-dir').fill(dir);
      await page.keyboard.press('Enter');
      await page.getByTestId('graph-canvas').waitFor();
    }
    await page.waitForFunction(() => (window as unknown as { causewayGraph?: () => { getElementById(id: string): { nonempty(): boolean } } }).causewayGraph?.()?.getElementById('n:4:11').nonempty());
    await page.waitForTimeout(1000);
    const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
    const [a, b] = await page.evaluate(() =>
      ['n:4:8', 'n:4:11'].map((id) => (window as unknown as { causewayGraph: () => { getElementById(i: string): { renderedPosition(): { x: number; y: number } } } }).causewayGraph().getElementById(id).renderedPosition()),
    );
    await page.mouse.move(canvas.x + a.x - 6, canvas.y + a.y - 5);
    await page.mouse.down();
    await page.mouse.move(canvas.x + b.x + 6, canvas.y + b.y + 5, { steps: 8 });
    await page.mouse.up();
    await page.getByTestId('selection').waitFor();
    await page.getByTestId('intervene').click();
    await page.keyboard.press('v');
    await page.getByTestId('real-result').getByText('from').waitFor({ timeout: 120_000 });
    await page.mouse.move(5, 5);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'graph-vgg-bn.png') });
    await page.getByTestId('tab-compare').click();
    // The demo the first start opened has no build: left out of the comparison.
    await page.locator('label', { hasText: 'lenet5 demo' }).locator('input[type=checkbox]').uncheck();
    await page.getByTestId('compare-run').click();
    await page.getByTestId('compare-table').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'compare.png') });
  } finally {
    await browser.close();
    await web.close();
  }
  console.log(`wrote ${join(out, 'graph-vgg-bn.png')} and compare.png`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
