/**
 * S3 speed and results on the bundled demo models (CIFAR-10 sample, input x/255).
 *
 * Speed (BENCHMARKS.md, section cemap): images/s of CE maps (g = 8 → 64 masked copies per image),
 * of the full per-image analysis (CE + Grad-CAM + deletion/insertion curves + feature CE) and of
 * PGD (10 steps) and FGSM:
 *   npx tsx bench/cemap-bench.ts [--images 64]
 * Results (docs/RESULTS.md, section cemap): CE vs Grad-CAM agreement and faithfulness per fill,
 * attack success and detection AUROC per attack and ε, as Markdown, through the same service the
 * app and CLI use (projects under /tmp/causeway-cemap-results, so a rerun reuses finished images):
 *   npx tsx bench/cemap-bench.ts --results [--images 200] [--models lenet5,vgg_bn,resnet] [--fills zero,mean,blur] [--json FILE]
 * The detection rows of runs already stored there (e.g. while a long run is going):
 *   npx tsx bench/cemap-bench.ts --stored [--models …]
 * (attacks use the zero fill; the clean zero-fill maps are shared with the first table).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeImages, argmaxRow, fillsFor } from '../src/main/causal-effect/analysis.js';
import { attack, inputRange } from '../src/main/causal-effect/attacks.js';
import { causalEffectMaps } from '../src/main/causal-effect/ce-map.js';
import type { FillKind } from '../src/main/causal-effect/fills.js';
import { defaultCamLayer } from '../src/main/causal-effect/grad-cam.js';
import { makeGrid } from '../src/main/causal-effect/grid.js';
import { probabilitiesOf } from '../src/main/causal-effect/masked-probabilities.js';
import { openDataset } from '../src/main/data/open-dataset.js';
import { toModelInput } from '../src/main/data/preprocessing.js';
import { LoadedModel } from '../src/main/engine/loaded-model.js';
import { ADVERSARIAL_RUN_ARTIFACT, type StoredAdversarialRun, adversarialReport, cemapReport } from '../src/main/features/pixel-effects/pixel-effects-service.js';
import { ProjectSession } from '../src/main/project/project-session.js';

const { values } = parseArgs({
  options: { images: { type: 'string' }, results: { type: 'boolean' }, stored: { type: 'boolean' }, models: { type: 'string' }, fills: { type: 'string' }, json: { type: 'string' } },
});
const MODELS = 'resources/models';
const SAMPLE = 'resources/data/cifar10-test-sample.bin';
// The demo models (other folders in resources/models belong to other features' experiments).
const models = (values.models?.split(',') ?? ['lenet5', 'vgg_bn', 'resnet']).filter((m) => existsSync(join(MODELS, m, 'model.json')));

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
}

async function speed(images: number) {
  const dataset = await openDataset(SAMPLE);
  const shape = { height: 32, width: 32, channels: 3 };
  const raw = await dataset.read(Array.from({ length: images }, (_, i) => i));
  const input = toModelInput(raw, shape, { scale: 1 / 255 }, shape);
  const labels = Array.from(raw.labels);
  const grid = makeGrid(32, 32, 8);
  for (const name of models) {
    const model = await LoadedModel.load(join(MODELS, name));
    const layer = defaultCamLayer(model);
    const set = { images: input, fills: fillsFor(input, images, grid, 3, { kind: 'zero' }), grid, channels: 3 };
    const clean = await probabilitiesOf(model, input, images);
    const classes = Array.from({ length: images }, (_, i) => argmaxRow(clean, i, model.numClasses));
    await causalEffectMaps(model, set, 4, clean, classes); // warm-up
    const [, ce] = await timed(() => causalEffectMaps(model, set, images, clean, classes));
    const [, full] = await timed(() => analyzeImages(model, input, images, { grid, fill: { kind: 'zero' }, layer, faithfulness: true, featureEffects: true }));
    const range = inputRange({ scale: 1 / 255 }, 3);
    const attackBatch = async (kind: 'fgsm' | 'pgd') => {
      for (let s = 0; s < images; s += 32) {
        const n = Math.min(32, images - s);
        await attack(model, input.subarray(s * 3072, (s + n) * 3072), n, labels.slice(s, s + n), { kind, epsilon: 8 / 255, range, seeds: labels.slice(s, s + n).map((_, j) => s + j) });
      }
    };
    const [, pgd] = await timed(() => attackBatch('pgd'));
    const [, fgsm] = await timed(() => attackBatch('fgsm'));
    const rate = (s: number) => Math.round((images / s) * 10) / 10;
    console.log(JSON.stringify({ model: name, backend: model.backend.name, images, layer, ceMapImagesPerSec: rate(ce), maskedCopiesPerSec: Math.round((images * 64) / ce), fullAnalysisImagesPerSec: rate(full), pgdImagesPerSec: rate(pgd), fgsmImagesPerSec: rate(fgsm) }));
    model.dispose();
  }
}

const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const f2 = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const ci = (i: { estimate: number | null; lo: number | null; hi: number | null }) => `${f2(i.estimate)} [${f2(i.lo)}, ${f2(i.hi)}]`;


type Detection = Awaited<ReturnType<typeof adversarialReport>>['detection'];

/** One Markdown row of the detection table. */
function detectionRow(name: string, kind: string, eps: number, d: Detection): string {
  const score = (n: string) => d.scores.find((x) => x.name === n)!;
  return `| ${name} | ${kind.toUpperCase()} | ${eps}/255 | ${d.positives} / ${d.negatives} | ${['ce-mass', 'log-ce-mass', 'logit-ce-mass', 'low-confidence', 'predictive-entropy'].map((n) => f3(score(n).oneSided.estimate)).join(' / ')} | ${ci(score('ce-mass').twoSided)} | ${ci(score('logit-ce-mass').twoSided)} | ${ci(score('low-confidence').twoSided)} | ${ci(score('predictive-entropy').twoSided)} | ${ci(d.oneSidedPrimary.difference)} ${d.oneSidedPrimary.verdict} | ${ci(d.primary.difference)} ${d.primary.verdict} | ${score(d.best.ce).label} vs ${score(d.best.baseline).label}: ${ci(d.best.difference)} |`;
}

/** The detection rows of the runs already stored in the bench projects (while a run is still going). */
async function stored() {
  for (const name of models) {
    const session = await ProjectSession.open(join('/tmp/causeway-cemap-results', name));
    try {
      for (const { key } of session.store.listArtifacts(ADVERSARIAL_RUN_ARTIFACT)) {
        const r = session.store.getArtifact<StoredAdversarialRun>(ADVERSARIAL_RUN_ARTIFACT, key)!.value;
        if (r.detection) console.log(`${detectionRow(name, r.settings.attack, r.settings.eps, r.detection)} ${r.settings.images} images, attack success ${pct(r.attackSuccess)}`);
      }
    } finally {
      session.close();
    }
  }
}

async function results(images: number) {
  const agreement: string[] = [];
  const attacks: string[] = [];
  const detection: string[] = [];
  const verdicts: string[] = [];
  const records: unknown[] = [];
  const started = performance.now();
  for (const name of models) {
    const session = await ProjectSession.open(join('/tmp/causeway-cemap-results', name), { modelPath: join(MODELS, name), dataPath: SAMPLE, preprocessing: { scale: 1 / 255 } });
    try {
      for (const fill of (values.fills ?? 'zero,mean,blur').split(',') as FillKind[]) {
        const r = await cemapReport(session, { images, fill });
        const s = r.summary;
        agreement.push(
          `| ${name} | ${r.settings.layer} | ${fill} | ${s.images} | ${pct(s.accuracy)} | ${f3(s.medianGradcamSpearman)} | ${f3(s.meanDeletionAuc.ce)} / ${f3(s.meanDeletionAuc.gradcam)} / ${f3(s.meanDeletionAuc.random)} | ${f3(s.meanInsertionAuc.ce)} / ${f3(s.meanInsertionAuc.gradcam)} / ${f3(s.meanInsertionAuc.random)} | ${pct(s.ceWinsDeletion)} | ${f3(s.medianFeatureGradcamSpearman)} |`,
        );
        process.stderr.write(`${name} ${fill}: ${r.seconds.toFixed(1)} s\n`);
      }
      for (const kind of ['fgsm', 'pgd'] as const)
        for (const eps of [2, 4, 8]) {
          const r = await adversarialReport(session, { images, attack: kind, eps });
          attacks.push(
            `| ${name} | ${kind.toUpperCase()} | ${eps}/255 | ${pct(r.attackSuccess)} (${r.successes}/${r.cleanCorrect}) | ${f3(r.auroc.mass)} | ${f3(r.auroc.max)} | ${f3(r.auroc.entropy)} | ${f3(r.meanStatistics.clean.mass)} → ${f3(r.meanStatistics.adversarial.mass)} |`,
          );
          const d = r.detection;
          detection.push(detectionRow(name, kind, eps, d));
          verdicts.push(d.primary.verdict);
          records.push({ model: name, attack: kind, eps, attackSuccess: r.attackSuccess, successes: r.successes, cleanCorrect: r.cleanCorrect, detection: d });
          process.stderr.write(`${name} ${kind} ${eps}: ${r.seconds.toFixed(1)} s\n`);
        }
    } finally {
      session.close();
    }
  }
  console.log(
    [
      '| model | Grad-CAM layer | fill | images | accuracy | median Spearman(CE, Grad-CAM) | deletion AUC ↓ CE / Grad-CAM / random | insertion AUC ↑ CE / Grad-CAM / random | CE deletes faster | median Spearman(channel CE, Grad-CAM weight) |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...agreement,
      '',
      '| model | attack | ε | attack success | AUROC mass | AUROC max | AUROC entropy | mean mass clean → adversarial |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
      ...attacks,
      '',
      '| model | attack | ε | adversarial / clean | one-sided AUROC: CE mass / CE mass (log p) / CE mass (logit) / 1 − max softmax / predictive entropy | two-sided AUROC: CE mass | CE mass (logit) | 1 − max softmax | predictive entropy | CE mass − confidence (one-sided) | CE mass − confidence (two-sided) | best CE − best baseline (two-sided, chosen on these images) |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...detection,
      '',
      `verdicts (CE mass vs 1 − max softmax, two-sided): ${['better', 'worse', 'indistinguishable', 'undetermined'].map((v) => `${v} ${verdicts.filter((x) => x === v).length}`).join(', ')}`,
      '',
      `(${((performance.now() - started) / 1000).toFixed(0)} s)`,
    ].join('\n'),
  );
  if (values.json) {
    mkdirSync(join(values.json, '..'), { recursive: true });
    writeFileSync(values.json, JSON.stringify(records, null, 1));
  }
}

if (values.stored) await stored();
else if (values.results) await results(Number(values.images ?? 200));
else await speed(Number(values.images ?? 64));
