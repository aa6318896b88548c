/**
 * S2 across classes (docs/RESULTS.md, section explanatory-graph): reads the JSON that
 * `bench/explanatory-graph-bench.ts results --out FILE` writes and prints, per model, the graph beside
 * each baseline with 95% Student-t intervals over classes of the paired difference (graph − baseline):
 * top-layer Jaccard (the layer both choose unconditioned; mean of bootstrap and noise), all-layer
 * Jaccard, and sufficiency / necessity on the same images and on disjoint ones, for each baseline
 * plain and conditioned (chosen as the graph chooses, when the run has them); per layer, Jaccard and
 * Spearman of the graph and of Grad-CAM plain and conditioned; then the mean sufficiency and necessity
 * curves over set size k.
 *   npx tsx bench/explanatory-graph-summary.ts FILE.json [FILE2.json …]
 */
import { readFileSync } from 'node:fs';
import { tInterval } from '../src/main/explanatory-graph/seed-interval.js';

interface Agreement {
  jaccard: number;
  spearman: number;
  layers?: Record<string, { jaccard: number; spearman: number }>;
}
interface Faith {
  sufficiency: number;
  necessity: number;
  baselines: { name: string; sufficiency: number; necessity: number }[];
}
type Stab = { name: string; bootstrap: Agreement; noise: Agreement } & Agreement;
interface Row {
  model: string;
  class: string;
  conditioned?: { stability: Stab[]; faithfulness: Faith['baselines']; heldOutFaithfulness?: Faith['baselines'] };
  graph: { nodes: { layer: string }[] };
  stability: Agreement & { bootstrap: Agreement; noise: Agreement; baselines: ({ name: string; bootstrap: Agreement; noise: Agreement } & Agreement)[] };
  faithfulness: Faith;
  heldOutFaithfulness?: Faith & { indices: number[] };
  curves?: { k: number[]; sets: { name: string; sufficiency: number[]; necessity: number[] }[] };
}

const rows: Row[] = process.argv.slice(2).flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as Row[]);
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const withCi = (xs: number[]) => {
  const t = tInterval(xs);
  const verdict = !Number.isFinite(t.lo) ? '' : t.lo > 0 ? ' graph better' : t.hi < 0 ? ' graph worse' : ' indistinguishable';
  return `${f2(t.mean)} [${f2(t.lo)}, ${f2(t.hi)}]${verdict}`;
};

for (const model of [...new Set(rows.map((r) => r.model))]) {
  const of = rows.filter((r) => r.model === model);
  const top = (r: Row) => {
    const layers = Object.keys(r.stability.bootstrap.layers ?? {});
    // the graph's deepest layer: the last one in the node order of its nodes
    return r.graph.nodes.map((n) => n.layer).filter((l) => layers.includes(l)).at(-1)!;
  };
  const topJ = (a: { bootstrap: Agreement; noise: Agreement }, layer: string) => ((a.bootstrap.layers?.[layer]?.jaccard ?? NaN) + (a.noise.layers?.[layer]?.jaccard ?? NaN)) / 2;
  const allJ = (a: { bootstrap: Agreement; noise: Agreement }) => (a.bootstrap.jaccard + a.noise.jaccard) / 2;
  console.log(`\n${model}: ${of.length} classes (${of.map((r) => r.class).join(', ')}); top layer ${[...new Set(of.map(top))].join(', ')}`);
  console.log('| set | top-layer Jaccard | all-layer Jaccard | sufficiency (same images) | necessity (same images) | sufficiency (disjoint images) | necessity (disjoint images) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const held = (r: Row) => r.heldOutFaithfulness ?? r.faithfulness;
  console.log(
    `| **causal graph** | ${f2(mean(of.map((r) => topJ(r.stability, top(r)))))} | ${f2(mean(of.map((r) => allJ(r.stability))))} | ${f2(mean(of.map((r) => r.faithfulness.sufficiency)))} | ${f2(mean(of.map((r) => r.faithfulness.necessity)))} | ${f2(mean(of.map((r) => held(r).sufficiency)))} | ${f2(mean(of.map((r) => held(r).necessity)))} |`,
  );
  for (const name of ['grad-cam', 'gradient-x-activation', 'taylor', 'random']) {
    const b = (f: Faith) => f.baselines.find((x) => x.name === name)!;
    const st = (r: Row) => r.stability.baselines.find((x) => x.name === name);
    const jTop = name === 'random' ? '' : f2(mean(of.map((r) => topJ(st(r)!, top(r)))));
    const jAll = name === 'random' ? '' : f2(mean(of.map((r) => allJ(st(r)!))));
    console.log(
      `| ${name} | ${jTop} | ${jAll} | ${f2(mean(of.map((r) => b(r.faithfulness).sufficiency)))} | ${f2(mean(of.map((r) => b(r.faithfulness).necessity)))} | ${f2(mean(of.map((r) => b(held(r)).sufficiency)))} | ${f2(mean(of.map((r) => b(held(r)).necessity)))} |`,
    );
    const d = (pick: (r: Row) => number) => withCi(of.map(pick));
    console.log(
      `| graph − ${name} (95% t over classes) | ${name === 'random' ? '' : d((r) => topJ(r.stability, top(r)) - topJ(st(r)!, top(r)))} | ${name === 'random' ? '' : d((r) => allJ(r.stability) - allJ(st(r)!))} | ${d((r) => r.faithfulness.sufficiency - b(r.faithfulness).sufficiency)} | ${d((r) => r.faithfulness.necessity - b(r.faithfulness).necessity)} | ${d((r) => held(r).sufficiency - b(held(r)).sufficiency)} | ${d((r) => held(r).necessity - b(held(r)).necessity)} |`,
    );
  }
  // Baselines chosen as the graph chooses (conditioned on the layer above): the same columns.
  const conditioned = of.filter((r) => r.conditioned);
  if (conditioned.length === of.length) {
    for (const name of ['grad-cam', 'gradient-x-activation', 'taylor']) {
      const st = (r: Row) => r.conditioned!.stability.find((x) => x.name === name)!;
      const same = (r: Row) => r.conditioned!.faithfulness.find((x) => x.name === name)!;
      const disjoint = (r: Row) => (r.conditioned!.heldOutFaithfulness ?? r.conditioned!.faithfulness).find((x) => x.name === name)!;
      const cells = [(r: Row) => topJ(st(r), top(r)), (r: Row) => allJ(st(r)), (r: Row) => same(r).sufficiency, (r: Row) => same(r).necessity, (r: Row) => disjoint(r).sufficiency, (r: Row) => disjoint(r).necessity];
      const graphCells = [(r: Row) => topJ(r.stability, top(r)), (r: Row) => allJ(r.stability), (r: Row) => r.faithfulness.sufficiency, (r: Row) => r.faithfulness.necessity, (r: Row) => held(r).sufficiency, (r: Row) => held(r).necessity];
      console.log(`| ${name}, conditioned | ${cells.map((c) => f2(mean(of.map(c)))).join(' | ')} |`);
      console.log(`| graph − ${name}, conditioned (95% t over classes) | ${cells.map((c, i) => withCi(of.map((r) => graphCells[i](r) - c(r)))).join(' | ')} |`);
    }
    // Per layer: Jaccard and Spearman (mean of bootstrap and noise) of the graph, Grad-CAM plain and conditioned.
    const layers = [...new Set(of.flatMap((r) => Object.keys(r.stability.bootstrap.layers ?? {})))];
    const perLayer = (a: { bootstrap: Agreement; noise: Agreement }, layer: string, key: 'jaccard' | 'spearman') => {
      const xs = [a.bootstrap.layers?.[layer]?.[key], a.noise.layers?.[layer]?.[key]].filter((x): x is number => x !== undefined && Number.isFinite(x));
      return xs.length ? mean(xs) : NaN;
    };
    const finiteMean = (xs: number[]) => (xs.some(Number.isFinite) ? mean(xs.filter(Number.isFinite)) : NaN);
    const gc = (r: Row) => r.stability.baselines.find((x) => x.name === 'grad-cam')!;
    const gcc = (r: Row) => r.conditioned!.stability.find((x) => x.name === 'grad-cam')!;
    console.log(`\nper layer, mean over classes (bootstrap and noise runs averaged); intervals over classes`);
    console.log('| layer | graph Jaccard | Grad-CAM | Grad-CAM conditioned | graph − conditioned | graph ρ | Grad-CAM ρ | Grad-CAM conditioned ρ | graph − conditioned ρ |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const order = (of[0].graph.nodes.map((n) => n.layer) as string[]).filter((l, i, a) => a.indexOf(l) === i);
    for (const layer of [...order, ...layers.filter((l) => !order.includes(l))].reverse()) {
      const j = (a: (r: Row) => { bootstrap: Agreement; noise: Agreement }) => finiteMean(of.map((r) => perLayer(a(r), layer, 'jaccard')));
      const rho = (a: (r: Row) => { bootstrap: Agreement; noise: Agreement }) => finiteMean(of.map((r) => perLayer(a(r), layer, 'spearman')));
      const diff = (key: 'jaccard' | 'spearman') => {
        const d = of.map((r) => perLayer(r.stability, layer, key) - perLayer(gcc(r), layer, key)).filter(Number.isFinite);
        return d.length > 1 ? withCi(d) : '—';
      };
      console.log(`| ${layer} | ${f2(j((r) => r.stability))} | ${f2(j(gc))} | ${f2(j(gcc))} | ${diff('jaccard')} | ${f2(rho((r) => r.stability))} | ${f2(rho(gc))} | ${f2(rho(gcc))} | ${diff('spearman')} |`);
    }
  }
  const withCurves = of.filter((r) => r.curves);
  if (withCurves.length) {
    const ks = withCurves[0].curves!.k;
    console.log(`\nmean over ${withCurves.length} classes, disjoint images, top k channels per layer`);
    console.log(`| set | ${ks.map((k) => `suff. k=${k}`).join(' | ')} | ${ks.map((k) => `nec. k=${k}`).join(' | ')} |`);
    console.log(`| --- | ${ks.map(() => '---:').join(' | ')} | ${ks.map(() => '---:').join(' | ')} |`);
    for (const name of withCurves[0].curves!.sets.map((s) => s.name)) {
      const at = (key: 'sufficiency' | 'necessity', i: number) => f2(mean(withCurves.map((r) => r.curves!.sets.find((s) => s.name === name)![key][i])));
      console.log(`| ${name} | ${ks.map((_, i) => at('sufficiency', i)).join(' | ')} | ${ks.map((_, i) => at('necessity', i)).join(' | ')} |`);
    }
  }
}
