/**
 * Baseline channel sets chosen the way the class graph chooses its nodes [issue 16, ours]: the top
 * layer (the node layers feeding the logits) unconditioned, by the baseline's score; every lower
 * layer only among the in-neighbours of the channels chosen in the layers it feeds, ranked by the
 * baseline's score. The graph keeps a node's k strongest incoming edges by their measured effect; a
 * baseline has no edge effects, so a node's in-neighbours are the sources of its k strongest incoming
 * connections by weight: the k input channels j with the largest Σ|W[:,:,j,k]| of a conv, and
 * channel k of every branch of a residual Add (the graph tests all of them too). A change in an upper
 * layer's choice then moves the pool below, as it does for the graph, so per-layer Jaccard compares
 * like with like on every layer.
 */
import type { LoadedModel } from '../engine/loaded-model.js';
import { incomingPaths, type PathEdge } from '../engine/weight-edits.js';
import type { ChannelSets } from './stability.js';

/** In-neighbours of channel `channel` of node layer `layer` (none where paths cannot be blocked). */
export type InNeighbours = (layer: string, channel: number) => PathEdge[];

/** The k input channels of output channel `to` with the largest L1 kernel norm (ties: lower first); `kernel` is [kh, kw, Cin, Cout]. */
export function strongestInputs(kernel: ArrayLike<number>, cin: number, cout: number, to: number, k: number): number[] {
  const norms = new Float64Array(cin);
  for (let pos = 0; pos < kernel.length; pos += cin * cout) for (let j = 0; j < cin; j++) norms[j] += Math.abs(kernel[pos + j * cout + to]);
  return Array.from({ length: cin }, (_, j) => j)
    .sort((a, b) => norms[b] - norms[a] || a - b)
    .slice(0, k);
}

/** In-neighbours by weight in a loaded model: k strongest kernel inputs of a conv, channel k of each branch of an Add. */
export function weightNeighbours(model: LoadedModel, k: number): InNeighbours {
  const cache = new Map<string, ((channel: number) => PathEdge[]) | null>();
  const of = (layer: string) => {
    if (cache.has(layer)) return cache.get(layer)!;
    let rule: ((channel: number) => PathEdge[]) | null;
    try {
      const paths = incomingPaths(model, layer);
      if (paths.kind === 'merge') rule = (c) => paths.sources.map((source) => ({ source, from: c, to: c }));
      else {
        const kernel = model.graph.spec.layers.find((l) => l.name === layer)!.weights.find((w) => w.name === 'kernel')!;
        const [cin, cout] = kernel.shape.slice(-2);
        rule = (c) => strongestInputs(kernel.values, cin, cout, c, k).map((from) => ({ source: paths.sources[0], from, to: c }));
      }
    } catch {
      rule = null; // the first node layer, or a layout path interventions do not cover: the graph stops there too
    }
    cache.set(layer, rule);
    return rule;
  };
  return (layer, channel) => of(layer)?.(channel) ?? [];
}

/**
 * The conditioned channel sets of one baseline: `layers` in topological order, `top` the layers
 * chosen unconditioned, `scores[layer][channel]` the baseline's score, `sizes[layer]` how many to
 * keep (the graph's node count there; fewer when the pool is smaller, as for the graph).
 */
export function conditionedChannels(
  layers: { name: string }[],
  top: string[],
  scores: Record<string, ArrayLike<number>>,
  sizes: Record<string, number>,
  inNeighbours: InNeighbours,
): ChannelSets {
  const byScore = (s: ArrayLike<number>) => (a: number, b: number) => s[b] - s[a] || a - b;
  const pools = new Map<string, Set<number>>();
  const out: ChannelSets = {};
  for (const { name } of [...layers].reverse()) {
    const m = sizes[name] ?? 0;
    if (m === 0 || !scores[name]) continue;
    const pool = top.includes(name) ? Array.from({ length: scores[name].length }, (_, c) => c) : [...(pools.get(name) ?? [])];
    const chosen = pool.sort(byScore(scores[name])).slice(0, m);
    if (chosen.length === 0) continue;
    out[name] = chosen;
    for (const c of chosen) {
      for (const e of inNeighbours(name, c)) {
        let pool = pools.get(e.source);
        if (!pool) pools.set(e.source, (pool = new Set()));
        pool.add(e.from);
      }
    }
  }
  return out;
}
