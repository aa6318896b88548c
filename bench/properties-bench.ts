/**
 * Images per second of the property audit (each image = T + 1 frames through the model in one
 * batch, then EPGM, Pearson ρ and 1,000-permutation shuffle tests and the band), per demo model,
 * and the part of it that is the forward pass.
 *   npx tsx bench/properties-bench.ts [--images 20] [--steps 100] [--property patch]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDataset } from '../src/main/data/open-dataset.js';
import { LoadedModel } from '../src/main/engine/loaded-model.js';
import { parsePropertySpec } from '../src/main/properties/edit-registry.js';
import { editFrames, imageSeed } from '../src/main/properties/edit-sequence.js';
import { framesToModelInput } from '../src/main/properties/frames-to-input.js';
import { runPropertyAudit } from '../src/main/properties/run-properties.js';

const { values } = parseArgs({
  options: { images: { type: 'string', default: '20' }, steps: { type: 'string', default: '100' }, property: { type: 'string', default: 'patch' } },
});
const images = Number(values.images);
const steps = Number(values.steps);
const models = 'resources/models';
const dataset = await openDataset('resources/data/cifar10-test-sample.bin');
const shape = { height: 32, width: 32, channels: 3 };
const indices = Array.from({ length: images }, (_, i) => i);
const edit = parsePropertySpec(values.property!);

for (const name of readdirSync(models).filter((m) => existsSync(join(models, m, 'model.json')))) {
  const model = await LoadedModel.load(join(models, name));
  const ctx = { model, dataset, preprocessing: { scale: 1 / 255 } };
  await runPropertyAudit(ctx, { properties: [values.property!], indices: [0], steps }); // warm-up
  let best = Infinity;
  for (let r = 0; r < 2; r++) {
    const started = performance.now();
    await runPropertyAudit(ctx, { properties: [values.property!], indices, steps });
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  // the forward passes alone, on the same frames
  const inputs = await Promise.all(
    indices.map(async (i) => framesToModelInput(editFrames(edit, { data: (await dataset.read([i])).pixels, ...shape }, steps, imageSeed(0, i)), steps + 1, shape, ctx.preprocessing, shape)),
  );
  const started = performance.now();
  for (const input of inputs) await model.forward(input, steps + 1);
  const forward = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      model: name,
      backend: model.backend.name,
      property: edit.spec,
      steps,
      images,
      imagesPerSec: Math.round((images / best) * 10) / 10,
      framesPerSec: Math.round((images * (steps + 1)) / best),
      forwardShare: Math.round((forward / best) * 100) / 100,
    }),
  );
  model.dispose();
}
