/**
 * BENCHMARKS.md §ablation. For each bundled demo model:
 * 1. true single-filter ablation of every filter of every node layer on N images of the bundled
 *    CIFAR-10 sample, by suffix re-runs from a per-batch frontier (1 and 4 masks per pass) vs a naive
 *    full forward pass per filter; the speed-up and the largest difference of any accuracy drop;
 * 2. the wall time of a full `evaluate` (default settings) on a fresh project built from the sample
 *    (default build: 80/20 split, so 100 held-out images).
 *   npx tsx bench/ablation-bench.ts [--images 32] [--batch 32] [--models lenet5,vgg_bn,resnet] [--skip-evaluate]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDataset } from '../src/main/data/open-dataset.js';
import { LoadedModel } from '../src/main/engine/loaded-model.js';
import { loadImages } from '../src/main/evaluation/evaluation-images.js';
import { trueAblation } from '../src/main/evaluation/true-ablation.js';
import { buildProject } from '../src/main/features/build/build-service.js';
import { evaluateProject } from '../src/main/features/rankings/evaluation-service.js';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '32' },
    batch: { type: 'string', default: '32' },
    models: { type: 'string', default: 'lenet5,vgg_bn,resnet' },
    'skip-evaluate': { type: 'boolean', default: false },
  },
});
const sample = 'resources/data/cifar10-test-sample.bin';
const images = Number(values.images);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

for (const name of values.models!.split(',').filter((m) => existsSync(join('resources/models', m, 'model.json')))) {
  const modelPath = join('resources/models', name);
  const model = await LoadedModel.load(modelPath);
  const dataset = await openDataset(sample);
  const batches = await loadImages(model, dataset, Array.from({ length: images }, (_, i) => i), { scale: 1 / 255 }, Number(values.batch));
  const layers = model.nodeLayers.filter((l) => l.kind !== 'logits').map((l) => l.name);
  const filters = model.nodeLayers.filter((l) => l.kind !== 'logits').reduce((s, l) => s + l.channels, 0);
  await trueAblation(model, batches.slice(0, 1), layers.slice(-1)); // warm-up
  const time = async (options: Parameters<typeof trueAblation>[3]) => {
    const started = performance.now();
    const result = await trueAblation(model, batches, layers, options);
    return { seconds: (performance.now() - started) / 1000, result };
  };
  const load = loadavg()[0];
  const suffix1 = await time({ masksPerPass: 1 });
  const suffix4 = await time({ masksPerPass: 4 });
  const naive = await time({ mode: 'naive' });
  const maxDiff = Math.max(
    ...naive.result.layers.flatMap((l, i) => l.accuracyDrop.map((d, k) => Math.abs(d - suffix1.result.layers[i].accuracyDrop[k]))),
  );
  const line: Record<string, unknown> = {
    model: name,
    backend: model.backend.name,
    filters,
    images,
    naiveSeconds: round(naive.seconds),
    suffixSeconds: round(suffix1.seconds),
    suffix4MasksPerPassSeconds: round(suffix4.seconds),
    speedUp: round(naive.seconds / suffix1.seconds),
    speedUp4: round(naive.seconds / suffix4.seconds),
    maxAccuracyDropDifference: maxDiff,
    loadAverage: round(load),
  };
  model.dispose();
  if (!values['skip-evaluate']) {
    const dir = mkdtempSync(join(tmpdir(), `ablation-bench-${name}-`));
    const buildStarted = performance.now();
    await buildProject({ project: dir, create: { modelPath, dataPath: sample, preprocessing: { scale: 1 / 255 } } });
    line.buildSeconds = round((performance.now() - buildStarted) / 1000, 1);
    const outcome = await evaluateProject({ project: dir });
    line.evaluateSeconds = round(outcome.seconds, 1);
    line.evaluationImages = outcome.report.images;
    line.curveImages = outcome.report.curveImages;
    line.loadAverageAfter = round(loadavg()[0]);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(line));
}
