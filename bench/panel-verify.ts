/**
 * Issue 12's done-when check in the app: on built projects, in Debian Chromium (web mode), select two
 * filters of one layer on the causal graph, zero them, read the intervention panel's SCM number
 * (counterfactual, the default), verify on the network, read its number, then switch the panel to
 * the interventional answer and read that too. Writes a screenshot per project.
 *   npx tsx bench/panel-verify.ts DIR:LAYER_INDEX:CH_A:CH_B [...] [--out docs/screenshots]
 * (node ids on the graph are n:<node-layer index>:<channel>).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebMode, repoRoot } from '../src/main/server/web-mode.js';
import { launchChromium } from '../test/app/chromium.js';

const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
const outDir = outAt >= 0 ? argv[outAt + 1] : join(repoRoot, 'docs', 'screenshots');
const args = argv.filter((a, i) => !a.startsWith('--') && i !== outAt + 1);

type Graph = { getElementById(id: string): { nonempty(): boolean; renderedPosition(): { x: number; y: number } } };

async function main() {
  const web = await startWebMode({ port: 0, userDataDir: mkdtempSync(join(tmpdir(), 'causeway-panel-')) });
  const browser = await launchChromium({ width: 1400, height: 900 });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(300_000); // a shared, loaded machine
  const rows: Record<string, unknown>[] = [];
  try {
    await page.goto(web.url);
    for (const spec of args) {
      const [dir, layerIndex, a, b] = spec.split(':');
      await page.getByTestId('tab-projects').click();
      await page.getByTestId('open-dir').fill(dir);
      await page.keyboard.press('Enter');
      await page.getByTestId('graph-canvas').waitFor({ timeout: 300_000 });
      const ids = [`n:${layerIndex}:${a}`, `n:${layerIndex}:${b}`];
      await page.waitForFunction((id) => (window as unknown as { causewayGraph?: () => Graph }).causewayGraph?.()?.getElementById(id).nonempty(), ids[1], { timeout: 300_000 });
      await page.waitForTimeout(1000);
      const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
      const [pa, pb] = await page.evaluate((list) => list.map((id) => (window as unknown as { causewayGraph: () => Graph }).causewayGraph().getElementById(id).renderedPosition()), ids);
      await page.mouse.move(canvas.x + Math.min(pa.x, pb.x) - 6, canvas.y + Math.min(pa.y, pb.y) - 5);
      await page.mouse.down();
      await page.mouse.move(canvas.x + Math.max(pa.x, pb.x) + 6, canvas.y + Math.max(pa.y, pb.y) + 5, { steps: 8 });
      await page.mouse.up();
      const selection = await page.getByTestId('selection').innerText();
      await page.getByTestId('intervene').click();
      await page.keyboard.press('v');
      await page.getByTestId('real-result').getByText('from').waitFor({ timeout: 300_000 });
      await page.mouse.move(5, 5);
      await page.waitForTimeout(500);
      const scm = await page.getByTestId('scm-result').innerText();
      const real = await page.getByTestId('real-result').innerText();
      const name = dir.split('/').filter(Boolean).pop();
      await page.screenshot({ path: join(outDir, `panel-verify-${name}.png`) });
      await page.getByTestId('query-mode').selectOption('interventional');
      await page.waitForTimeout(1500);
      const population = await page.getByTestId('scm-result').innerText();
      await page.getByTestId('query-mode').selectOption('counterfactual');
      rows.push({ dir, selection: selection.replace(/\s+/g, ' '), scm: scm.replace(/\s+/g, ' '), real: real.replace(/\s+/g, ' '), interventional: population.replace(/\s+/g, ' ') });
      console.log(JSON.stringify(rows[rows.length - 1]));
    }
  } finally {
    await browser.close();
    await web.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
