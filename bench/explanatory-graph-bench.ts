/**
 * Class explanatory graphs (S2) on the bundled demo models, with the project's default split of the
 * data (seed 0, 20% held out).
 *   npx tsx bench/explanatory-graph-bench.ts speed   [--models lenet5,vgg_bn,resnet] [--classes cat,automobile] [--images 20] [--candidates 16]
 *     seconds per class graph (the graph alone: node effects, screened path tests, node effects of kept nodes)
 *   npx tsx bench/explanatory-graph-bench.ts results [same flags] [--bootstrap 5] [--noise 2] [--out FILE]
 *     stability and faithfulness of each graph against the baselines, plain and chosen as the graph
 *     chooses (conditioned on the layer above) (Markdown rows; JSON to --out)
 *   npx tsx bench/explanatory-graph-bench.ts screening [--models vgg_bn] [--classes cat]
 *     the same graph with every path tested (--candidates 0) and with the screen: overlap and speed
 *   npx tsx bench/explanatory-graph-bench.ts repair  [--data PATH]
 *   npx tsx bench/explanatory-graph-bench.ts repair-seeds [--out FILE]
 *     the repair on seeds 0–4 (search images): lift reduction and gap closed with 95% t intervals
 *     the bias-audit demo: channels removed, accuracy on bias-aligned / bias-conflicting images before → after
 * Default data: the 1,017 exact CIFAR-10 test images (../shared/data/cifar10/exact/test_batch.bin).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDataset } from '../src/main/data/open-dataset.js';
import { LoadedModel } from '../src/main/engine/loaded-model.js';
import { classIndices, loadImageSet, projectSplit, propertyEdit } from '../src/main/explanatory-graph/class-images.js';
import { explainClass } from '../src/main/explanatory-graph/explain-class.js';
import { compareWithRival } from '../src/main/explanatory-graph/rival-comparison.js';
import { buildClassGraph } from '../src/main/explanatory-graph/graph-builder.js';
import { resolveGraphSettings } from '../src/main/explanatory-graph/graph-settings.js';
import { InterventionEffects } from '../src/main/explanatory-graph/intervention-effects.js';
import { repairClass } from '../src/main/explanatory-graph/repair.js';
import { pairedDifference } from '../src/main/evaluation/paired-difference.js';
import { jaccard } from '../src/main/explanatory-graph/stability.js';
import { tInterval } from '../src/main/explanatory-graph/seed-interval.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    models: { type: 'string', default: 'lenet5,vgg_bn,resnet' },
    classes: { type: 'string', default: 'cat,automobile' },
    images: { type: 'string', default: '20' },
    candidates: { type: 'string', default: '16' },
    bootstrap: { type: 'string', default: '5' },
    noise: { type: 'string', default: '2' },
    data: { type: 'string', default: '../shared/data/cifar10/exact/test_batch.bin' },
    out: { type: 'string' },
  },
});
const mode = positionals[0] ?? 'speed';
const dataset = await openDataset(values.data!);
const split = projectSplit(dataset.labels(), { seed: 0, evalFraction: 0.2 });
const names = dataset.info.classNames;
const classes = values.classes!.split(',').map((c) => (names.includes(c) ? names.indexOf(c) : Number(c)));
const settings = resolveGraphSettings({
  images: Number(values.images),
  candidates: Number(values.candidates),
  bootstrap: Number(values.bootstrap),
  noiseRepeats: Number(values.noise),
});
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
const preprocessing = { scale: 1 / 255 };

if (mode === 'speed') {
  console.log('| model | class | images | nodes | paths tested | node interventions | seconds |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const name of values.models!.split(',')) {
    const model = await LoadedModel.load(`resources/models/${name}`);
    for (const cls of classes) {
      const indices = classIndices(split.evaluation, dataset.labels(), cls, settings.images, settings.seed);
      const images = await loadImageSet(model, dataset, indices, preprocessing);
      const started = performance.now();
      const effects = await InterventionEffects.create(model, images, cls, settings);
      const graph = await buildClassGraph(effects, settings);
      const seconds = (performance.now() - started) / 1000;
      console.log(`| ${name} | ${names[cls]} | ${images.n} | ${graph.nodes.length} | ${graph.tested.paths} | ${graph.tested.nodes} | ${seconds.toFixed(1)} |`);
    }
    model.dispose();
  }
} else if (mode === 'results') {
  const all = [];
  for (const name of values.models!.split(',')) {
    const model = await LoadedModel.load(`resources/models/${name}`);
    for (const cls of classes) {
      const r = await explainClass({ model, dataset, preprocessing, heldOut: split.evaluation, disjoint: split.train, curves: true, conditionedBaselines: true }, cls, settings);
      all.push({ model: name, class: names[cls], ...r });
      const st = r.stability;
      const fa = r.faithfulness;
      console.log(`\n${name} / ${names[cls]}: ${r.indices.length} images, ${r.graph.nodes.length} nodes, ${r.graph.edges.length} edges, p_c ${f3(fa.base.probability)}, acc ${f3(fa.base.accuracy)}, ${r.seconds.total.toFixed(1)} s (graph ${r.seconds.graph.toFixed(1)} s)`);
      console.log('| set | Jaccard boot | Jaccard noise | Spearman boot | Spearman noise | sufficiency | necessity | joint suff. | joint nec. |');
      console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      console.log(`| causal graph | ${f3(st.bootstrap.jaccard)} | ${f3(st.noise.jaccard)} | ${f3(st.bootstrap.spearman)} | ${f3(st.noise.spearman)} | ${f3(fa.sufficiency)} | ${f3(fa.necessity)} | ${f3(fa.joint.sufficiency)} | ${f3(fa.joint.necessity)} |`);
      for (const b of fa.baselines) {
        const s = st.baselines.find((x) => x.name === b.name);
        const cells = s ? [s.bootstrap.jaccard, s.noise.jaccard, s.bootstrap.spearman, s.noise.spearman].map(f3) : ['', '', '', ''];
        console.log(`| ${b.name} | ${cells.join(' | ')} | ${f3(b.sufficiency)} | ${f3(b.necessity)} | ${f3(b.joint.sufficiency)} | ${f3(b.joint.necessity)} |`);
      }
      const top = model.nodeLayers.map((l) => l.name).filter((l) => st.layers?.[l]).at(-1)!;
      const topOf = (a: { bootstrap: { layers?: Record<string, { jaccard: number; spearman: number }> }; noise: { layers?: Record<string, { jaccard: number; spearman: number }> } }) =>
        [a.bootstrap.layers?.[top]?.jaccard, a.noise.layers?.[top]?.jaccard, a.bootstrap.layers?.[top]?.spearman, a.noise.layers?.[top]?.spearman].map((x) => f3(x ?? Number.NaN)).join(' / ');
      console.log(`top layer ${top} (Jaccard boot / noise, ρ boot / noise): graph ${topOf(st)}; ${st.baselines.map((b) => `${b.name} ${topOf(b)}`).join('; ')}`);
      const h = r.heldOutFaithfulness;
      if (h) {
        console.log(`held-out faithfulness (${h.indices.length} disjoint images, p_c ${f3(h.base.probability)}): graph ${f3(h.sufficiency)} / ${f3(h.necessity)}; ${h.baselines.map((b) => `${b.name} ${f3(b.sufficiency)} / ${f3(b.necessity)}`).join('; ')}`);
      }
      for (const c of r.conditioned?.stability ?? []) {
        const f = r.conditioned!.faithfulness.find((x) => x.name === c.name)!;
        const h = r.conditioned!.heldOutFaithfulness?.find((x) => x.name === c.name);
        console.log(`conditioned ${c.name}: Jaccard boot / noise ${f3(c.bootstrap.jaccard)} / ${f3(c.noise.jaccard)}, ρ ${f3(c.bootstrap.spearman)} / ${f3(c.noise.spearman)}; sufficiency / necessity ${f3(f.sufficiency)} / ${f3(f.necessity)}${h ? `, disjoint ${f3(h.sufficiency)} / ${f3(h.necessity)}` : ''}`);
      }
      for (const c of compareWithRival(r)) console.log(`rival: ${c.sentence}`);
      if (r.curves) for (const c of r.curves.sets) console.log(`curve ${c.name}: sufficiency ${c.sufficiency.map(f3).join(' ')}; necessity ${c.necessity.map(f3).join(' ')}`);
      if (values.out) writeFileSync(values.out, JSON.stringify(all, null, 1)); // after every class: a long run keeps what it finished
    }
    model.dispose();
  }
} else if (mode === 'screening') {
  console.log('| model | class | paths tested (all → screened) | seconds (all → screened) | node Jaccard | edge Jaccard | max |Δ effect| of shared nodes |');
  console.log('| --- | --- | --- | --- | ---: | ---: | ---: |');
  for (const name of values.models!.split(',')) {
    const model = await LoadedModel.load(`resources/models/${name}`);
    for (const cls of classes) {
      const indices = classIndices(split.evaluation, dataset.labels(), cls, settings.images, settings.seed);
      const images = await loadImageSet(model, dataset, indices, preprocessing);
      const runs = [];
      for (const candidates of [0, settings.candidates]) {
        const started = performance.now();
        const effects = await InterventionEffects.create(model, images, cls, settings);
        runs.push({ graph: await buildClassGraph(effects, { ...settings, candidates }), seconds: (performance.now() - started) / 1000 });
      }
      const [all, screened] = runs;
      const nodes = (g: typeof all.graph) => g.nodes.map((n) => `${n.layer}:${n.channel}`);
      const edges = (g: typeof all.graph) => g.edges.map((e) => `${e.from}>${e.to}`);
      const effectOf = new Map(all.graph.nodes.map((n) => [`${n.layer}:${n.channel}`, n.effect]));
      const diff = Math.max(0, ...screened.graph.nodes.filter((n) => effectOf.has(`${n.layer}:${n.channel}`)).map((n) => Math.abs(n.effect - effectOf.get(`${n.layer}:${n.channel}`)!)));
      console.log(
        `| ${name} | ${names[cls]} | ${all.graph.tested.paths} → ${screened.graph.tested.paths} | ${all.seconds.toFixed(1)} → ${screened.seconds.toFixed(1)} | ${f3(jaccard(nodes(all.graph), nodes(screened.graph)))} | ${f3(jaccard(edges(all.graph), edges(screened.graph)))} | ${diff.toExponential(1)} |`,
      );
    }
    model.dispose();
  }
} else if (mode === 'repair-seeds') {
  // The repair on 5 seeds (which training-split cat images the channels are looked for on): the
  // patch's lift of p̄_cat after / before, and the bias-aligned − conflicting accuracy gap before → after.
  const seeds = [0, 1, 2, 3, 4];
  const rows = [];
  for (const name of ['bias-audit-biased', 'bias-audit-clean']) {
    const model = await LoadedModel.load(`resources/models/${name}`);
    for (const seed of seeds) {
      const r = await repairClass({ model, dataset, preprocessing, heldOut: split.evaluation, train: split.train }, 3, resolveGraphSettings({ seed }), {
        feature: propertyEdit('patch'),
        threshold: 0.25,
      });
      rows.push({ model: name, seed, removed: r.removed.map((n) => `${n.layer}:${n.channel}`), lift: r.lift, before: r.before, after: r.after });
      console.log(`${name} seed ${seed}: removed ${r.removed.map((n) => `${n.layer}:${n.channel}`).join(', ') || '—'}; lift ${f3(r.lift.before)} → ${f3(r.lift.after)}; gap ${f3(r.before.aligned - r.before.conflicting)} → ${f3(r.after.aligned - r.after.conflicting)}; clean ${f3(r.before.clean)} → ${f3(r.after.clean)}`);
    }
    model.dispose();
  }
  for (const name of ['bias-audit-biased', 'bias-audit-clean']) {
    const of = rows.filter((r) => r.model === name);
    const show = (label: string, xs: number[]) => {
      const t = tInterval(xs);
      console.log(`${name} ${label}: ${f3(t.mean)} [${f3(t.lo)}, ${f3(t.hi)}] (${xs.length} seeds)`);
    };
    show('lift reduction (before − after)', of.map((r) => r.lift.before - r.lift.after));
    show('gap closed (aligned − conflicting, before − after)', of.map((r) => r.before.aligned - r.before.conflicting - (r.after.aligned - r.after.conflicting)));
    show('clean accuracy change (after − before)', of.map((r) => r.after.clean - r.before.clean));
  }
  if (values.out) writeFileSync(values.out, JSON.stringify(rows, null, 1));
} else if (mode === 'repair') {
  console.log('| model | removed | lift of p(cat) | aligned | conflicting | clean | cats w/ patch | cats clean | others clean | others w/ patch |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const name of ['bias-audit-biased', 'bias-audit-clean']) {
    const model = await LoadedModel.load(`resources/models/${name}`);
    const r = await repairClass({ model, dataset, preprocessing, heldOut: split.evaluation, train: split.train }, 3, resolveGraphSettings({}), {
      feature: propertyEdit('patch'),
      threshold: 0.25,
    });
    const arrow = (a: number, b: number) => `${(a * 100).toFixed(1)} → ${(b * 100).toFixed(1)}`;
    const g = (k: keyof typeof r.before.groups) => arrow(r.before.groups[k], r.after.groups[k]);
    console.log(
      `| ${name} | ${r.removed.map((n) => `${n.layer}:${n.channel}`).join(', ') || '—'} | ${f3(r.lift.before)} → ${f3(r.lift.after)} | ${arrow(r.before.aligned, r.after.aligned)} | ${arrow(r.before.conflicting, r.after.conflicting)} | ${arrow(r.before.clean, r.after.clean)} | ${g('classWithFeature')} | ${g('classClean')} | ${g('othersClean')} | ${g('othersWithFeature')} |`,
    );
    // After − before on the same images: Newcombe's paired 95% interval and the exact McNemar p.
    for (const group of ['conflicting', 'aligned'] as const) {
      const d = pairedDifference(r.paired[group]);
      console.log(`  ${group} change on the same images: ${(100 * d.difference).toFixed(1)} pp [${(100 * d.interval[0]).toFixed(1)}, ${(100 * d.interval[1]).toFixed(1)}], McNemar p = ${d.p.toPrecision(2)}`);
    }
    console.log(`  candidates: ${r.candidates.slice(0, 5).map((c) => `${c.layer}:${c.channel} ${c.shareGrowth.toFixed(2)}`).join(', ')}; ${r.images.search} search / ${r.images.evaluation} evaluation images; ${r.seconds.toFixed(1)} s`);
    model.dispose();
  }
}
