/**
 * Images per second of a plain forward pass and of forward + φ (Frobenius norm of every node layer)
 * for each bundled demo model, batch 64, over the bundled CIFAR-10 sample repeated to 1,024 images.
 * Pair with bench/torch_forward_bench.py (PyTorch, 2 threads) for BENCHMARKS.md.
 *   npx tsx bench/forward-bench.ts [--images 1024] [--batch 64]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDataset } from '../src/main/data/open-dataset.js';
import { toModelInput } from '../src/main/data/preprocessing.js';
import { LoadedModel } from '../src/main/engine/loaded-model.js';

const { values } = parseArgs({ options: { images: { type: 'string', default: '1024' }, batch: { type: 'string', default: '64' } } });
const total = Number(values.images);
const batchSize = Number(values.batch);
const models = 'resources/models';
/** The three demo families of the foundation issue (other bundled models serve other demos). */
const demoModels = ['lenet5', 'vgg_bn', 'resnet'];

const dataset = await openDataset('resources/data/cifar10-test-sample.bin');
const shape = { height: 32, width: 32, channels: 3 };
const batches: Float32Array[] = [];
for (let start = 0; start < total; start += batchSize) {
  const indices = Array.from({ length: Math.min(batchSize, total - start) }, (_, i) => (start + i) % dataset.info.count);
  batches.push(toModelInput(await dataset.read(indices), shape, { scale: 1 / 255 }, shape));
}

async function imagesPerSecond(model: LoadedModel, withPhi: boolean): Promise<number> {
  const request = withPhi ? { phi: { kinds: ['fro' as const] } } : {};
  await model.forward(batches[0], batchSize, request); // warm-up
  const started = performance.now();
  for (const input of batches) await model.forward(input, input.length / (32 * 32 * 3), request);
  return total / ((performance.now() - started) / 1000);
}

for (const name of demoModels.filter((m) => existsSync(join(models, m, 'model.json')))) {
  const model = await LoadedModel.load(join(models, name));
  // Alternate the two measurements so drift in machine load hits both alike.
  const plain: number[] = [];
  const phi: number[] = [];
  for (let r = 0; r < 3; r++) {
    plain.push(await imagesPerSecond(model, false));
    phi.push(await imagesPerSecond(model, true));
  }
  const best = (xs: number[]) => Math.max(...xs);
  console.log(
    JSON.stringify({
      model: name,
      backend: model.backend.name,
      batch: batchSize,
      images: total,
      forwardImagesPerSec: Math.round(best(plain)),
      forwardPhiImagesPerSec: Math.round(best(phi)),
      phiOverheadPercent: Math.round((best(plain) / best(phi) - 1) * 1000) / 10,
    }),
  );
  model.dispose();
}
