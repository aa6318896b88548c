/**
 * A class graph beside its strongest simple rival, in plain words [issue 16]: Grad-CAM's channel
 * weights turned into a channel set of the same sizes (on the bundled models the best of the three
 * attribution baselines). Three paired comparisons, each with a 95% Student-t interval:
 * - stability of the top layer (the only layer both choose unconditioned): Jaccard per run
 *   (bootstrap resample or noisy copy), paired run by run;
 * - sufficiency and necessity, per image, on images disjoint from those the sets were chosen on
 *   when there are some (else on the same images, said so).
 * Verdict: "better" when the interval of graph − rival lies above 0, "worse" below, else
 * "indistinguishable".
 */
import type { BaselineName } from './baseline-scores.js';
import type { ClassExplanation } from './explain-class.js';
import { tInterval } from './seed-interval.js';

export type RivalVerdict = 'better' | 'worse' | 'indistinguishable' | 'undetermined';

export interface RivalComparison {
  measure: 'top-layer stability' | 'sufficiency' | 'necessity';
  rival: BaselineName;
  graph: number;
  rivalValue: number;
  /** Mean of graph − rival over the paired units, with its 95% interval. */
  difference: { mean: number; lo: number; hi: number };
  /** Paired units: runs (stability) or images (faithfulness). */
  n: number;
  verdict: RivalVerdict;
  sentence: string;
}

export const STRONGEST_RIVAL: BaselineName = 'grad-cam';
const RIVAL_LABEL: Record<BaselineName, string> = { 'grad-cam': 'Grad-CAM', 'gradient-x-activation': 'gradient × activation', taylor: 'Taylor' };

function paired(a: number[], b: number[]) {
  const d = tInterval(a.map((x, i) => x - b[i]));
  const verdict: RivalVerdict = !Number.isFinite(d.lo) ? 'undetermined' : d.lo > 0 ? 'better' : d.hi < 0 ? 'worse' : 'indistinguishable';
  return { difference: d, verdict };
}

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(xs.length, 1);
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');

function sentence(what: string, graph: number, rivalName: string, rival: number, d: { mean: number; lo: number; hi: number }, verdict: RivalVerdict, unit: string): string {
  const numbers = `graph ${f2(graph)}, ${rivalName} ${f2(rival)}; graph − ${rivalName} ${f2(d.mean)} [${f2(d.lo)}, ${f2(d.hi)}] over ${unit}`;
  switch (verdict) {
    case 'better':
      return `The graph's ${what} is better than ${rivalName}'s (${numbers}).`;
    case 'worse':
      return `${rivalName}'s ${what} is better than the graph's (${numbers}).`;
    case 'indistinguishable':
      return `The graph and ${rivalName} are indistinguishable in ${what} (${numbers}: the interval includes 0).`;
    default:
      return `Too few ${unit} to compare ${what} with ${rivalName}.`;
  }
}

export function compareWithRival(r: ClassExplanation, rival: BaselineName = STRONGEST_RIVAL): RivalComparison[] {
  const label = RIVAL_LABEL[rival];
  const out: RivalComparison[] = [];
  const top = r.stability.topLayer;
  const g = top.graph;
  const b = top.baselines[rival];
  const s = paired(g, b);
  out.push({
    measure: 'top-layer stability',
    rival,
    graph: mean(g),
    rivalValue: mean(b),
    ...s,
    n: g.length,
    sentence: sentence(`stability of its ${top.layer} channels (Jaccard across resamples and noise)`, mean(g), label, mean(b), s.difference, s.verdict, `${g.length} runs`),
  });
  const faith = r.heldOutFaithfulness ?? r.faithfulness;
  const where = r.heldOutFaithfulness ? `${r.heldOutFaithfulness.indices.length} images not used to choose the sets` : `the ${r.indices.length} images the sets were chosen on`;
  const rivalFaith = faith.baselines.find((x) => x.name === rival)!;
  for (const measure of ['sufficiency', 'necessity'] as const) {
    const a = faith.perImage?.[measure];
    const c = rivalFaith.perImage?.[measure];
    if (!a || !c) continue;
    const p = paired(a, c);
    const what = measure === 'sufficiency' ? 'sufficiency (p_c with only the set kept)' : 'necessity (drop of p_c with the set removed)';
    out.push({ measure, rival, graph: faith[measure], rivalValue: rivalFaith[measure], ...p, n: a.length, sentence: sentence(what, faith[measure], label, rivalFaith[measure], p.difference, p.verdict, where) });
  }
  return out;
}
