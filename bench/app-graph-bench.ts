/**
 * The causal graph at VGG scale in Debian Chromium: a synthetic VGG-19-shaped SCM (16 conv layers,
 * 5,504 filters + 10 logits) served by a stand-in service over the real web-mode server and renderer.
 * Measures layout + first render (big layers collapsed, then everything expanded), frame times while
 * zooming and panning, and the latency of box selection, hover cards and expanding a layer.
 *   npx tsx bench/app-graph-bench.ts            (writes bench/results/app-graph.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ApiHandlers } from '../src/shared/contract.js';
import type { GraphDto, ProjectInfo } from '../src/shared/dto.js';
import { mulberry32 } from '../src/main/data/seeded-random.js';
import { scmFidelity } from '../src/main/evaluation/scm-fidelity.js';
import { EventHub } from '../src/main/server/event-hub.js';
import { ensureRendererBuilt } from '../src/main/server/renderer-build.js';
import { repoRoot } from '../src/main/server/web-mode.js';
import { startWebServer } from '../src/main/server/web-server.js';
import { launchChromium } from '../test/app/chromium.js';

const vgg19 = [64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512];
const sentTopK = 8;

function syntheticGraph(): GraphDto {
  const rand = mulberry32(7);
  const layers: GraphDto['layers'] = vgg19.map((channels, i) => ({
    name: `conv${i + 1}`,
    kind: 'conv',
    channels,
    shape: [4, 4, channels],
    parents: i ? [`conv${i}`] : [],
    exogenous: i === 0,
    fit: i ? { avgR2: 0.5 + 0.4 * rand(), avgMse: rand() } : null,
  }));
  layers.push({ name: 'logits', kind: 'logits', channels: 10, shape: [10], parents: [`conv${vgg19.length}`], exogenous: false, fit: { avgR2: 0.7, avgMse: 1 } });
  const edges: GraphDto['edges'] = { fromLayer: [], fromChannel: [], toLayer: [], toChannel: [], weight: [], strength: [] };
  for (let li = 1; li < layers.length; li++) {
    for (let k = 0; k < layers[li].channels; k++) {
      const strengths = Array.from({ length: sentTopK }, () => rand()).sort((a, b) => b - a);
      for (const s of strengths) {
        edges.fromLayer.push(li - 1);
        edges.fromChannel.push(Math.floor(rand() * layers[li - 1].channels));
        edges.toLayer.push(li);
        edges.toChannel.push(k);
        edges.weight.push(rand() < 0.5 ? -s : s);
        edges.strength.push(s);
      }
    }
  }
  const importance: Record<string, number[]> = {};
  for (const l of layers.slice(0, -1)) importance[l.name] = Array.from({ length: l.channels }, () => (rand() - 0.4) * 0.02);
  return { phi: 'fro', regressor: 'ridge', layers, edgeKind: 'linear', topK: sentTopK, edges, importance };
}

const graph = syntheticGraph();
const channels = graph.layers.reduce((s, l) => s + l.channels, 0);
const validation = { modelAccuracy: 0.9, scmAccuracy: 0.8, scmAccuracyTeacherForced: 0.85, evaluationImages: 100 };
const project: ProjectInfo = {
  dir: '/synthetic/vgg19',
  name: 'synthetic VGG-19 SCM',
  modelPath: '/synthetic',
  dataPath: '/synthetic',
  preprocessing: { scale: 1 / 255 },
  modelName: 'vgg19 (synthetic)',
  inputShape: [32, 32, 3],
  params: 0,
  numClasses: 10,
  classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  datasetImages: 0,
  nodeLayers: graph.layers,
  build: { key: 'synthetic', settings: {}, validation, layers: [], rankingsReady: true, fidelity: scmFidelity({ validation, build: {}, evaluateHow: 'synthetic' }) },
  job: null,
  interventionCount: 0,
  nodeLayerFamilies: ['conv'],
  engines: [],
};
const scm = { n: 100, accuracy: 0.7, baselineAccuracy: 0.8, perClass: [], meanMargin: 1, affectedLayers: [], channelEffects: {} };
const handlers = {
  'app.info': async () => ({ version: 'bench', backend: 'none', backendReason: 'synthetic', userDataDir: '/tmp', demos: [], canPickPaths: false, evaluationAvailable: false }),
  'projects.current': async () => project,
  'projects.recent': async () => [],
  'interventions.list': async () => ({ entries: [], currentId: null, canUndo: false, canRedo: false }),
  'graph.get': async () => graph,
  'graph.channel': async ({ layer, channel }: { layer: string; channel: number }) => ({ layer, channel, phi: { mean: 1, std: 0.5, min: 0, max: 3, histogram: [1, 4, 9, 12, 8, 5, 2, 1] }, importance: null, parents: [], children: [] }),
  'query.run': async () => ({ scm, history: null }),
} as unknown as ApiHandlers;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : Number.NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;

async function lastMeasure(page: Page, name: string, after: number): Promise<number> {
  const ms = await page.waitForFunction(
    ([n, t]) => {
      const m = performance.getEntriesByName(n as string).filter((e) => e.startTime >= (t as number));
      return m.length ? m[m.length - 1].duration : null;
    },
    [name, after] as const,
    { timeout: 120_000 },
  );
  return (await ms.jsonValue()) as number;
}

/**
 * Input-to-frame latency while `interact` runs: for every wheel/mouse event, the time until the frame
 * after it has started (two animation frames later: whatever the event caused has been drawn).
 */
async function latency(page: Page, interact: () => Promise<void>) {
  // A string, not a function: tsx would wrap inner functions in a helper the page lacks.
  await page.evaluate(`(() => {
    window.__lat = [];
    window.__listen = (e) => {
      const t = performance.now();
      requestAnimationFrame(() => requestAnimationFrame((f) => window.__lat.push(f - t)));
    };
    for (const type of ['wheel', 'mousemove', 'mouseup']) window.addEventListener(type, window.__listen, true);
  })()`);
  await interact();
  await page.waitForTimeout(2500);
  const ms = (await page.evaluate(`(() => {
    for (const type of ['wheel', 'mousemove', 'mouseup']) window.removeEventListener(type, window.__listen, true);
    return window.__lat;
  })()`)) as number[];
  return { events: ms.length, medianMs: round(quantile(ms, 0.5)), p95Ms: round(quantile(ms, 0.95)), maxMs: round(Math.max(...ms)) };
}

async function main() {
  const rendererDir = await ensureRendererBuilt(repoRoot, (l) => console.error(l));
  const server = await startWebServer({ handlers, hub: new EventHub(), rendererDir });
  if (process.argv.includes('--serve')) {
    // Just the synthetic project, to look at (or profile) in a browser.
    console.log(server.url);
    return;
  }
  const browser = await launchChromium({ width: 1600, height: 1000 });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const results: Record<string, unknown> = { channels, edgesSent: graph.edges.weight.length, viewport: '1600×1000', chromium: '/usr/bin/chromium, headless, --disable-gpu (software rendering)' };
  try {
    const t0 = Date.now();
    await page.goto(server.url);
    const collapsed = await lastMeasure(page, 'causeway:graph-layout', 0);
    const counts = () => page.evaluate(() => {
      const cy = (window as unknown as { causewayGraph: () => { nodes(s?: string): { length: number }; edges(): { length: number } } }).causewayGraph();
      return { nodes: cy.nodes('.channel').length, edges: cy.edges().length };
    });
    results.openToGraphMs = Date.now() - t0;
    results.collapsedDefault = { layoutAndFirstRenderMs: round(collapsed), ...(await counts()) };
    const shots = join(repoRoot, 'test-results', 'bench');
    mkdirSync(shots, { recursive: true });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, 'graph-vgg19-collapsed.png') });

    const before = await page.evaluate(() => performance.now());
    await page.keyboard.press('e');
    const expanded = await lastMeasure(page, 'causeway:graph-layout', before);
    const build = await lastMeasure(page, 'causeway:graph-build', before);
    results.allExpanded = { layoutAndFirstRenderMs: round(expanded), elementsBuildMs: round(build), ...(await counts()) };
    await page.keyboard.press('f');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(shots, 'graph-vgg19-expanded.png') });

    const box = (await page.getByTestId('graph-canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    const zoom = () => page.evaluate(() => (window as unknown as { causewayGraph: () => { zoom(): number } }).causewayGraph().zoom().toFixed(3));
    const zoomBefore = await zoom();
    results.zoomWheel = await latency(page, async () => {
      for (let i = 0; i < 20; i++) {
        await page.mouse.wheel(0, i < 12 ? -120 : 120);
        await page.waitForTimeout(40);
      }
    });
    (results.zoomWheel as Record<string, unknown>).zoom = `${zoomBefore} → ${await zoom()}`;
    // Right-drag moves the drawn canvas with CSS and pans once on release.
    results.panRightDrag = await latency(page, async () => {
      await page.mouse.down({ button: 'right' });
      for (let i = 0; i < 30; i++) await page.mouse.move(cx + i * 8, cy + i * 3);
      await page.mouse.up({ button: 'right' });
    });
    // Space+drag is Cytoscape's own pan, drawn from a texture while it moves.
    await page.keyboard.down(' ');
    results.panSpaceDrag = await latency(page, async () => {
      await page.mouse.down();
      for (let i = 0; i < 30; i++) await page.mouse.move(cx + 240 - i * 8, cy + 90 - i * 3);
      await page.mouse.up();
    });
    await page.keyboard.up(' ');

    // Box selection: from mouse-up to the interventions panel showing the count.
    const selectLatency = async (x1: number, y1: number, x2: number, y2: number) => {
      await page.mouse.move(x1, y1);
      await page.mouse.down();
      await page.mouse.move(x2, y2, { steps: 10 });
      const start = await page.evaluate(() => performance.now());
      await page.mouse.up();
      const handle = await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid=selection] b');
        return el ? [performance.now(), el.textContent] : null;
      });
      const [end, text] = (await handle.jsonValue()) as [number, string];
      return { ms: round(end - start), selected: text };
    };
    results.boxSelectMany = await selectLatency(cx - 200, cy - 150, cx + 200, cy + 150);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1500);
    results.boxSelectFew = await selectLatency(cx - 20, cy - 20, cx + 20, cy + 20);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1500);

    // Hover card: pointer onto a channel until the card is on screen (one graph.channel round trip).
    const target = await page.evaluate(
      ([w, h]) => {
        const g = (window as unknown as { causewayGraph: () => { nodes(s: string): { renderedPosition(): { x: number; y: number } }[] } }).causewayGraph();
        const inside = g.nodes('.channel').map((n) => n.renderedPosition()).filter((p) => p.x > 50 && p.y > 50 && p.x < w - 50 && p.y < h - 50);
        return inside[Math.floor(inside.length / 2)];
      },
      [box.width, box.height],
    );
    const hoverStart = await page.evaluate(() => performance.now());
    await page.mouse.move(box.x + target.x, box.y + target.y);
    const hoverEnd = (await (await page.waitForFunction(() => (document.querySelector('[data-testid=hover-card]') ? performance.now() : null))).jsonValue()) as number;
    results.hoverCardMs = round(hoverEnd - hoverStart);

    // Collapsing one 512-filter layer rebuilds the elements.
    const t1 = await page.evaluate(() => performance.now());
    await page.evaluate(() => {
      const g = (window as unknown as { causewayGraph: () => { getElementById(id: string): { emit(e: string): void } } }).causewayGraph();
      g.getElementById('L:conv16').emit('dbltap');
    });
    results.collapseOneLayerMs = round(await lastMeasure(page, 'causeway:graph-layout', t1));
  } finally {
    await browser.close();
    await server.close();
  }
  mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench', 'results', 'app-graph.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
