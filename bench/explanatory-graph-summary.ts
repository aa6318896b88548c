/**
 * S2 across classes (docs/RESULTS.md, section explanatory-graph): reads the JSON that
 * `bench/explanatory-graph-bench.ts results --out FILE` writes and prints, per model, the graph beside
 * each baseline with 95% Student-t intervals over classes of the paired difference (graph − baseline):
 * top-layer Jaccard (the layer both choose unconditioned; mean of bootstrap and noise), all-layer
 * Jaccard, and sufficiency / necessity on the same images and on disjoint ones; then the mean
 * sufficiency and necessity curves over set size k.
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
interface Row {
  model: string;
  class: string;
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
