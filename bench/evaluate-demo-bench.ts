/**
 * BENCHMARKS.md §evaluate-demo: wall time of the demo workflow with default settings on the demo
 * dataset (resources/data/cifar10-test-demo.bin): a fresh project, `build` (80/20 split), then a full
 * `evaluate` (5 seeds, 1000 resamples, curves on 128 images), per demo model; with the truth's
 * reliability per layer and the stage times. One JSON line per model.
 *   nice -n 10 npx tsx bench/evaluate-demo-bench.ts [--models lenet5,vgg_bn,resnet] [--data resources/data/cifar10-test-demo.bin]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildProject } from '../src/main/features/build/build-service.js';
import { evaluateProject } from '../src/main/features/rankings/evaluation-service.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'lenet5,vgg_bn,resnet' },
    data: { type: 'string', default: 'resources/data/cifar10-test-demo.bin' },
  },
});
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

for (const name of values.models!.split(',')) {
  const dir = mkdtempSync(join(tmpdir(), `causeway-evaluate-bench-${name}-`));
  const project = join(dir, name);
  try {
    const loadBefore = loadavg()[0];
    let started = performance.now();
    await buildProject({ project, create: { modelPath: join('resources/models', name), dataPath: values.data!, preprocessing: { scale: 1 / 255 } } });
    const buildSeconds = (performance.now() - started) / 1000;
    const stages = new Map<string, number>();
    let stage = '';
    let stageStart = performance.now();
    started = performance.now();
    const outcome = await evaluateProject(
      { project },
      {
        onProgress: (p) => {
          if (p.stage !== stage) {
            if (stage) stages.set(stage, (stages.get(stage) ?? 0) + (performance.now() - stageStart) / 1000);
            stage = p.stage;
            stageStart = performance.now();
          }
        },
      },
    );
    stages.set(stage, (stages.get(stage) ?? 0) + (performance.now() - stageStart) / 1000);
    const evaluateSeconds = (performance.now() - started) / 1000;
    const r = outcome.report;
    console.log(
      JSON.stringify({
        model: name,
        data: values.data,
        heldOut: r.images,
        curveImages: r.curveImages,
        buildSeconds: round(buildSeconds),
        evaluateSeconds: round(evaluateSeconds),
        stages: Object.fromEntries([...stages].map(([k, v]) => [k, round(v)])),
        modelAccuracy: round(r.modelAccuracy * 100, 2),
        truthReliability: Object.fromEntries(Object.entries(r.truthReliability).map(([k, v]) => [k, round(v, 3)])),
        minReliability: round(Math.min(...Object.values(r.truthReliability)), 3),
        warnings: r.warnings.length,
        criteria: Object.fromEntries(r.criteria.map((c) => [c.name, { spearman: round(c.spearman, 3), ceiling: round(c.truthReliability, 3) }])),
        load: [round(loadBefore, 1), round(loadavg()[0], 1)],
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
