/**
 * How well each structural-equation family predicts the network (issue 12 items 2–4): for every
 * regressor, on one project: chained / teacher-forced / chained-from-l accuracy, the linear-probe
 * ceiling, the counterfactual and interventional SCM rankings against true single-filter ablation
 * (margin key, per layer Spearman and Pearson), and random k-filter zeroings (SCM vs network).
 *   npx tsx bench/scm-fidelity-bench.ts --model resources/models/vgg_bn [--data FILE] [--regressors ridge,mlp]
 *                                        [--work DIR] [--ks 1,2,4,8,16] [--seeds 3] [--out FILE.json]
 * The true ablation of a project is cached in --work (it does not depend on the SCM).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { loadImages } from '../src/main/evaluation/evaluation-images.js';
import { layerDropAgreement, multiFilterDraws, multiFilterFidelity } from '../src/main/evaluation/surrogate-fidelity.js';
import { type AblationResult, trueAblation } from '../src/main/evaluation/true-ablation.js';
import { latestBuild } from '../src/main/scm/latest-build.js';
import { rankFilters } from '../src/main/scm/rankings.js';
import type { RegressorName } from '../src/main/scm/regressors/regressor.js';
import { buildProject } from '../src/main/features/build/build-service.js';
import { ProjectSession } from '../src/main/project/project-session.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string', default: '../shared/data/cifar10/exact/test_batch.bin' },
    regressors: { type: 'string', default: 'ridge,mlp' },
    work: { type: 'string', default: join(tmpdir(), 'causeway-scm-fidelity') },
    ks: { type: 'string', default: '1,2,4,8,16' },
    seeds: { type: 'string', default: '3' },
    'augment-images': { type: 'string', default: '1000' },
    out: { type: 'string' },
  },
});
if (!values.model) throw new Error('--model is required');
const name = basename(values.model).replace(/\.[a-z0-9]+$/i, '');
const project = join(values.work!, name);
mkdirSync(values.work!, { recursive: true });
const create = { modelPath: values.model, dataPath: values.data!, preprocessing: { scale: 1 / 255 } };
const results: Record<string, unknown> = {};
let truth: AblationResult | undefined;
const truthFile = join(values.work!, `${name}.truth.json`);

for (const regressor of values.regressors!.split(',') as RegressorName[]) {
  const t0 = performance.now();
  await buildProject({ project, create, settings: { regressor, augmentImages: Number(values['augment-images']) } });
  const buildSeconds = (performance.now() - t0) / 1000;
  const session = await ProjectSession.open(project);
  const built = await latestBuild(session);
  const layers = built.scm.layers.filter((l) => l.kind !== 'logits');
  const batches = await loadImages(session.model, session.dataset, built.evaluationIndices, session.settings.preprocessing, 64);
  if (!truth && existsSync(truthFile)) truth = JSON.parse(readFileSync(truthFile, 'utf8')) as AblationResult;
  if (!truth || truth.images !== built.evaluation.n) {
    truth = await trueAblation(session.model, batches, layers.map((l) => l.name));
    writeFileSync(truthFile, JSON.stringify(truth));
  }
  const t1 = performance.now();
  const cf = rankFilters(built.scm, built.evaluation.layers, built.evaluation.labels);
  const rankSeconds = (performance.now() - t1) / 1000;
  const pop = rankFilters(built.scm, built.evaluation.layers, built.evaluation.labels, { mode: 'interventional' });
  const agreement = (ranking: typeof cf) =>
    layerDropAgreement(
      ranking.map((r) => {
        const drops = new Array<number>(r.ranking.length);
        for (const c of r.ranking) drops[c.channel] = c.marginDrop;
        return { layer: r.name, scm: drops, truth: truth!.layers.find((t) => t.name === r.name)!.marginDrop };
      }),
    );
  const draws = multiFilterDraws(layers, values.ks!.split(',').map(Number), Number(values.seeds));
  const multi = await multiFilterFidelity(session.model, batches, built.scm, built.evaluation, draws);
  results[regressor] = {
    buildSeconds,
    rankSeconds,
    validation: built.validation,
    fit: built.report.map((r) => ({ name: r.name, avgR2: r.avgR2, minR2: r.minR2 })),
    counterfactual: agreement(cf),
    interventional: agreement(pop),
    multiFilterByLayer: multi.byLayer,
    multiFilterByK: multi.byK,
  };
  session.close();
  const r = results[regressor] as { counterfactual: ReturnType<typeof agreement>; interventional: ReturnType<typeof agreement> };
  const v = built.validation;
  console.log(`\n== ${name} · ${regressor} (build ${buildSeconds.toFixed(1)} s, ranking ${rankSeconds.toFixed(1)} s, ${built.evaluation.n} held-out images)`);
  console.log(`accuracy: network ${pct(v.modelAccuracy)}, chained ${pct(v.scmAccuracy)}, teacher-forced ${pct(v.scmAccuracyTeacherForced)}, probe ${pct(v.probe?.accuracy ?? NaN)}`);
  console.log(`chained from: ${(v.chainedFrom ?? []).map((c) => `${c.layer} ${pct(c.accuracy)}`).join(', ')}`);
  console.log(`ranking ρ (margin) cf: ${r.counterfactual.layers.map((l) => `${l.layer} ${fx(l.spearman)}`).join(', ')} | mean ${fx(r.counterfactual.meanSpearman)} min ${fx(r.counterfactual.minSpearman)}`);
  console.log(`ranking ρ (margin) int: ${r.interventional.layers.map((l) => `${l.layer} ${fx(l.spearman)}`).join(', ')} | mean ${fx(r.interventional.meanSpearman)}`);
  for (const m of multi.byLayer) {
    console.log(`  ${m.layer} k=${m.k}: SCM ${pct(m.scmAccuracy)} real ${pct(m.realAccuracy)} MAE ${m.maePoints.toFixed(1)} pp (interventional ${m.maePointsInterventional.toFixed(1)}), margin ${m.scmMargin.toFixed(2)} vs ${m.realMargin.toFixed(2)}`);
  }
}
if (values.out) writeFileSync(values.out, JSON.stringify({ model: values.model, data: values.data, truthImages: truth?.images, results }, null, 1));

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
function fx(x: number | null): string {
  return x === null ? '—' : x.toFixed(2);
}
