/**
 * S4 (issue 16): calibrate the "large" cut-off of the property audit on control properties and the
 * clean model, then measure its false-positive rate and the planted bias's detection rate on
 * held-out images (docs/RESULTS.md, section properties):
 *   npx tsx bench/properties-calibration.ts [--images 200] [--json out.json]
 * Both bias-audit demo models, y = p(cat), T = 100, 1,000 permutations, a stratified seeded sample of
 * the bundled CIFAR-10 test sample split into two seeded halves: κ is chosen on the first half
 * (calibration), every rate is measured on the second (evaluation). Projects live under
 * /tmp/causeway-properties-calibration, so a rerun reuses the scored curves.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectIndices } from '../src/main/data/sampling.js';
import { twoFolds } from '../src/main/causal-effect/detection.js';
import { type CurveOutcome, calibrateCutoff, effectPerUnit, flaggedRate, type Rate } from '../src/main/properties/cutoff-calibration.js';
import { LARGE_EPGM_PER_UNIT } from '../src/main/properties/property-summary.js';
import { BIAS_AUDIT_DEMO, runPropertiesOn } from '../src/main/features/properties/properties-service.js';
import { ProjectSession } from '../src/main/project/project-session.js';

const { values } = parseArgs({ options: { images: { type: 'string', default: '200' }, json: { type: 'string' }, seed: { type: 'string', default: '0' } } });
const images = Number(values.images);
const seed = Number(values.seed);
const ALPHA = 0.05;
const CAT = BIAS_AUDIT_DEMO.biasClass;

interface SetSpec {
  model: 'biased' | 'clean';
  property: string;
  role: 'planted bias' | 'control';
  why: string;
}

const SETS: SetSpec[] = [
  { model: 'biased', property: 'patch', role: 'planted bias', why: 'the magenta bottom-right patch it was trained on' },
  { model: 'biased', property: 'patch:at=tl', role: 'control', why: 'the same patch in a corner the bias never used' },
  { model: 'biased', property: 'patch:color=00ff00', role: 'control', why: 'a green patch, a colour the bias never used' },
  { model: 'clean', property: 'patch', role: 'control', why: 'the bias property on the model trained without the bias' },
  { model: 'clean', property: 'patch:at=tl', role: 'control', why: 'corner control on the clean model' },
  { model: 'clean', property: 'patch:color=00ff00', role: 'control', why: 'colour control on the clean model' },
];

const started = performance.now();
const curves = new Map<string, (CurveOutcome & { index: number })[]>();
let indices: number[] = [];
for (const model of ['biased', 'clean'] as const) {
  const session = await ProjectSession.open(join('/tmp/causeway-properties-calibration', model), {
    modelPath: BIAS_AUDIT_DEMO.models[model],
    dataPath: BIAS_AUDIT_DEMO.data,
    preprocessing: BIAS_AUDIT_DEMO.preprocessing,
  });
  try {
    indices = selectIndices(session.dataset.labels(), { limit: images, stratified: true, seed });
    const properties = SETS.filter((s) => s.model === model).map((s) => s.property);
    const result = await runPropertiesOn(session, { properties, indices, targetClass: CAT, seed });
    for (const g of result.properties) curves.set(`${model}/${g.name}`, g.images.map((i) => ({ index: i.index, epgm: i.epgm, frames: i.frames, p: i.p })));
    process.stderr.write(`${model}: ${result.seconds.toFixed(0)} s\n`);
  } finally {
    session.close();
  }
}

const folds = twoFolds(indices.length, seed + 1);
const fold = new Map(indices.map((index, k) => [index, folds[k]]));
const half = (key: string, f: number) => curves.get(key)!.filter((c) => fold.get(c.index) === f);
const controls = SETS.filter((s) => s.role === 'control');
const cutoff = calibrateCutoff(
  controls.map((s) => half(`${s.model}/${s.property}`, 0)),
  ALPHA,
);
const pct = (r: Rate) => `${(r.rate * 100).toFixed(1)}% [${(r.lo * 100).toFixed(1)}, ${(r.hi * 100).toFixed(1)}] (${r.count}/${r.n})`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rows = SETS.map((s) => {
  const evalCurves = half(`${s.model}/${s.property}`, 1);
  return {
    ...s,
    n: evalCurves.length,
    medianEffect: median(evalCurves.map(effectPerUnit)),
    significant: flaggedRate(evalCurves, 0, ALPHA),
    atOld: flaggedRate(evalCurves, LARGE_EPGM_PER_UNIT, ALPHA),
    atCalibrated: flaggedRate(evalCurves, cutoff, ALPHA),
  };
});
const pooled = (k: 'significant' | 'atOld' | 'atCalibrated') => {
  const c = rows.filter((r) => r.role === 'control');
  const count = c.reduce((s, r) => s + r[k].count, 0);
  const n = c.reduce((s, r) => s + r[k].n, 0);
  return flaggedRate(
    Array.from({ length: n }, (_, i) => ({ epgm: i < count ? 1 : 0, frames: 2, p: 0 })),
    0.5,
    ALPHA,
  );
};
console.log(
  [
    `κ (calibrated on ${half('biased/patch', 0).length} images per control, ≤ 5% flagged on each): EPGM·T ≥ ${cutoff}; before: ${LARGE_EPGM_PER_UNIT}`,
    '',
    `| model | property | role | images (evaluation half) | median EPGM·T | significant (p < 0.05) | flagged at EPGM·T ≥ ${LARGE_EPGM_PER_UNIT} (before) | flagged at EPGM·T ≥ ${cutoff} (calibrated) |`,
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.model} | \`${r.property}\` | ${r.role}: ${r.why} | ${r.n} | ${r.medianEffect.toPrecision(2)} | ${pct(r.significant)} | ${pct(r.atOld)} | ${pct(r.atCalibrated)} |`),
    `| all controls | | pooled false-positive rate | ${rows.filter((r) => r.role === 'control').reduce((s, r) => s + r.n, 0)} | | ${pct(pooled('significant'))} | ${pct(pooled('atOld'))} | ${pct(pooled('atCalibrated'))} |`,
    '',
    `(${((performance.now() - started) / 1000).toFixed(0)} s)`,
  ].join('\n'),
);
if (values.json) {
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, JSON.stringify({ cutoff, previous: LARGE_EPGM_PER_UNIT, images, seed, rows }, null, 1));
}
