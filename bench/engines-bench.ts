/**
 * BENCHMARKS.md §engines: ONNX Runtime vs TensorFlow.js (wasm) vs PyTorch, side by side in one run,
 * for the three demo families:
 * - forward and forward + φ (Frobenius norm of every node layer): images/s, batch 64, the bundled
 *   CIFAR-10 sample repeated to --images, best of --rounds after a warm-up (PyTorch: the median of
 *   its repeats, bench/torch_forward_bench.py, 2 threads);
 * - a full true-ablation sweep (every filter of every non-logits node layer) on --ablation-images
 *   images by suffix re-runs: seconds (ONNX Runtime with 1 and with --masks masks per pass;
 *   TensorFlow.js with 1, the evaluation default);
 * - peak resident memory of each engine's process (every measurement runs in a fresh child process).
 * The machine is shared: `uptime` is printed before and after, and each model's three contenders run
 * back to back, so a load change hits them alike.
 *   npx tsx bench/engines-bench.ts [--models lenet5,vgg_bn,resnet] [--images 1024] [--ablation-images 64] [--masks 8] [--skip-ablation]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDataset } from '../src/main/data/open-dataset.js';
import { toModelInput } from '../src/main/data/preprocessing.js';
import type { EngineName } from '../src/main/engine/forward-engine.js';
import { LoadedModel } from '../src/main/engine/loaded-model.js';
import { loadImages } from '../src/main/evaluation/evaluation-images.js';
import { trueAblation } from '../src/main/evaluation/true-ablation.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'lenet5,vgg_bn,resnet' },
    images: { type: 'string', default: '1024' },
    batch: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    'ablation-images': { type: 'string', default: '64' },
    masks: { type: 'string', default: '8' },
    'skip-ablation': { type: 'boolean', default: false },
    child: { type: 'string' },
    engine: { type: 'string' },
  },
});
const SAMPLE = 'resources/data/cifar10-test-sample.bin';
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

interface EngineLine {
  model: string;
  engine: EngineName;
  reason: string;
  forwardImagesPerSec: number;
  forwardPhiImagesPerSec: number;
  ablationSeconds?: number;
  ablationSecondsManyMasks?: number;
  filters: number;
  peakRssMB: number;
}

async function measure(name: string, engine: EngineName): Promise<EngineLine> {
  const model = await LoadedModel.load(join('resources/models', name), { engine });
  const dataset = await openDataset(SAMPLE);
  const total = Number(values.images);
  const batchSize = Number(values.batch);
  const shape = { height: 32, width: 32, channels: 3 };
  const batches: Float32Array[] = [];
  for (let start = 0; start < total; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, total - start) }, (_, i) => (start + i) % dataset.info.count);
    batches.push(toModelInput(await dataset.read(indices), shape, { scale: 1 / 255 }, shape));
  }
  const rate = async (withPhi: boolean) => {
    const request = withPhi ? { phi: { kinds: ['fro' as const] } } : {};
    await model.forward(batches[0], batchSize, request); // warm-up (ORT builds the session's variant here)
    const started = performance.now();
    for (const input of batches) await model.forward(input, input.length / (32 * 32 * 3), request);
    return total / ((performance.now() - started) / 1000);
  };
  const plain: number[] = [];
  const phi: number[] = [];
  for (let r = 0; r < Number(values.rounds); r++) {
    plain.push(await rate(false));
    phi.push(await rate(true));
  }
  const layers = model.nodeLayers.filter((l) => l.kind !== 'logits');
  const line: EngineLine = {
    model: name,
    engine,
    reason: model.engine.reason,
    forwardImagesPerSec: Math.round(Math.max(...plain)),
    forwardPhiImagesPerSec: Math.round(Math.max(...phi)),
    filters: layers.reduce((s, l) => s + l.channels, 0),
    peakRssMB: 0,
  };
  if (!values['skip-ablation']) {
    const images = await loadImages(model, dataset, Array.from({ length: Number(values['ablation-images']) }, (_, i) => i), { scale: 1 / 255 }, 64);
    const sweep = async (masksPerPass: number) => {
      const started = performance.now();
      await trueAblation(model, images, layers.map((l) => l.name), { masksPerPass });
      return (performance.now() - started) / 1000;
    };
    line.ablationSeconds = round(await sweep(1), 2);
    if (engine === 'ort') line.ablationSecondsManyMasks = round(await sweep(Number(values.masks)), 2);
  }
  model.dispose();
  line.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  return line;
}

function uptime(): string {
  return execFileSync('uptime', { encoding: 'utf8' }).trim();
}

if (values.child) {
  process.stdout.write(`${JSON.stringify(await measure(values.child, values.engine as EngineName))}\n`);
} else {
  const script = fileURLToPath(import.meta.url);
  const passOn = ['--images', values.images!, '--batch', values.batch!, '--rounds', values.rounds!, '--ablation-images', values['ablation-images']!, '--masks', values.masks!];
  if (values['skip-ablation']) passOn.push('--skip-ablation');
  console.log(`# before: ${uptime()}`);
  const rows: string[] = [];
  for (const name of values.models!.split(',')) {
    const load = loadavg()[0];
    const child = (engine: EngineName): EngineLine => {
      const run = spawnSync(process.execPath, [...process.execArgv, script, '--child', name, '--engine', engine, ...passOn], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${name}/${engine} failed: ${run.stderr.split('\n').slice(-5).join(' ')}`);
      const line = JSON.parse(run.stdout.trim().split('\n').pop()!) as EngineLine;
      console.log(JSON.stringify(line));
      return line;
    };
    const ort = child('ort');
    const tfjs = child('tfjs');
    const torchRun = spawnSync('/usr/bin/python3', ['bench/torch_forward_bench.py', '--threads', '2', '--repeats', values.rounds!, '--models', name], {
      encoding: 'utf8',
      // PASSIVE: PyTorch's idle OpenMP threads sleep, as ONNX Runtime's do (ort-runtime.ts); on a
      // shared, loaded machine spinning threads collapse PyTorch's rate (BENCHMARKS.md §engines).
      env: { ...process.env, OMP_NUM_THREADS: '2', OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' },
    });
    if (torchRun.status !== 0) throw new Error(`PyTorch ${name} failed: ${torchRun.stderr.split('\n').slice(-3).join(' ')}`);
    const torch = JSON.parse(torchRun.stdout.trim().split('\n').pop()!) as { forwardImagesPerSec: number; forwardPhiImagesPerSec: number; peakRssMB: number };
    console.log(JSON.stringify({ model: name, engine: 'pytorch', ...torch }));
    const x = (a: number, b: number) => `${round(a / b, 2)}×`;
    rows.push(
      `| ${name} | ${ort.forwardImagesPerSec} / ${ort.forwardPhiImagesPerSec} | ${tfjs.forwardImagesPerSec} / ${tfjs.forwardPhiImagesPerSec} | ` +
        `${Math.round(torch.forwardImagesPerSec)} / ${Math.round(torch.forwardPhiImagesPerSec)} | ${x(ort.forwardPhiImagesPerSec, torch.forwardPhiImagesPerSec)} | ` +
        (values['skip-ablation']
          ? '– | – | – | '
          : `${ort.ablationSeconds} s (${values.masks} masks/pass: ${ort.ablationSecondsManyMasks} s) | ${tfjs.ablationSeconds} s | ` +
            `${x(tfjs.ablationSeconds!, Math.min(ort.ablationSeconds!, ort.ablationSecondsManyMasks!))} | `) +
        `${ort.peakRssMB} / ${tfjs.peakRssMB} / ${torch.peakRssMB} MB | ${round(load, 1)} |`,
    );
  }
  console.log(`# after: ${uptime()}`);
  console.log(
    [
      '',
      '| model | ORT img/s plain / +φ | tfjs-wasm plain / +φ | PyTorch plain / +φ | ORT ÷ PyTorch (+φ) | ablation sweep ORT | ablation sweep wasm | wasm ÷ ORT | peak RSS ORT / wasm / PyTorch | load (1 min) |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}
