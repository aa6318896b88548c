/**
 * Full SCM build time and peak memory of each bundled demo model on the bundled CIFAR-10 sample
 * (fresh project, default settings: fro φ, ridge, 10% augmentation), in this process.
 *   npx tsx bench/scm-build-bench.ts [--data PATH] [--limit N]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildProject } from '../src/main/features/build/build-service.js';

const { values } = parseArgs({ options: { data: { type: 'string', default: 'resources/data/cifar10-test-sample.bin' }, limit: { type: 'string' } } });
const models = 'resources/models';
/** The three demo families of the foundation issue (other bundled models serve other demos). */
const demoModels = ['lenet5', 'vgg_bn', 'resnet'];

for (const name of demoModels.filter((m) => existsSync(join(models, m, 'model.json')))) {
  const dir = mkdtempSync(join(tmpdir(), `scm-bench-${name}-`));
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const summary = await buildProject({
    project: dir,
    create: { modelPath: join(models, name), dataPath: values.data!, preprocessing: { scale: 1 / 255 } },
    settings: values.limit ? { limit: Number(values.limit) } : {},
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(
    JSON.stringify({
      model: name,
      images: summary.evaluationImages * 5,
      nodeLayers: summary.nodeLayers,
      buildSeconds: Math.round(seconds * 100) / 100,
      peakRssMiB: Math.round(peak / 2 ** 20),
      modelAccuracy: summary.modelAccuracy,
      scmAccuracy: summary.scmAccuracy,
      scmAccuracyTeacherForced: summary.scmAccuracyTeacherForced,
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}
