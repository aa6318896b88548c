/**
 * A class's causal explanatory graph (METHODS §3, algorithm [ours] in the spirit of Ahmad et al.
 * 2023). From the class node backwards:
 * 1. in the node layer(s) feeding the logits, the class effect E_{x∈D_c}[p_c(x) − p_c(x | do(A_k = 0))]
 *    of every channel; keep the top k positive (or every one above τ);
 * 2. for each kept node, block each incoming path on its own (conv: every kernel slice j → k from the
 *    parent layer; residual Add: each branch's channel k) and keep its top-k positive edges (or > τ);
 * 3. in the parent layer the nodes are the sources of kept edges, ranked by the summed effect of
 *    their kept edges and capped per layer; their own node effects are measured; recurse.
 * Layers are visited in reverse topological order, so a layer feeding both a residual Add and a
 * conv collects candidate edges from both before its nodes are chosen. Image weights (bootstrap
 * counts) reweight the per-image effects without re-running anything already run.
 */
import { incomingPaths, type PathEdge } from '../engine/weight-edits.js';
import { type GraphSettings, nodeCap, selectTop } from './graph-settings.js';
import { type InterventionEffects, weightedMean } from './intervention-effects.js';

export interface GraphNode {
  layer: string;
  channel: number;
  /** Class effect of do(A = 0) on p_c. */
  effect: number;
}

export interface GraphEdge {
  /** "layer:channel"; the class node is "logits:c". */
  from: string;
  to: string;
  effect: number;
}

export interface ExplanatoryGraph {
  cls: number;
  /** The logits node layer (the class node's layer). */
  classLayer: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Interventions the graph needed (nodes measured, paths tested). */
  tested: { nodes: number; paths: number };
  /** Layers where the recursion had to stop, and why. */
  notes: string[];
}

export const nodeId = (layer: string, channel: number) => `${layer}:${channel}`;

interface Candidate {
  to: string;
  effect: number;
}

export async function buildClassGraph(
  effects: InterventionEffects,
  settings: Pick<GraphSettings, 'k' | 'tau' | 'maxNodes' | 'candidates'>,
  weights?: ArrayLike<number>,
): Promise<ExplanatoryGraph> {
  const { model, cls } = effects;
  const layers = model.nodeLayers;
  const logits = layers[layers.length - 1];
  const cap = nodeCap(settings);
  const mean = (d: Float64Array) => weightedMean(d, weights);
  const nodes = new Map<string, Map<number, number>>();
  const candidates = new Map<string, Map<number, Candidate[]>>();
  const graph: ExplanatoryGraph = { cls, classLayer: logits.name, nodes: [], edges: [], tested: { nodes: 0, paths: 0 }, notes: [] };
  const classNode = nodeId(logits.name, cls);

  for (const name of logits.parents) {
    const channels = Array.from({ length: layers.find((l) => l.name === name)!.channels }, (_, k) => k);
    const measured = (await effects.nodeDeltas(name, channels)).map((d, channel) => ({ channel, effect: mean(d) }));
    graph.tested.nodes += channels.length;
    const kept = selectTop(measured, settings, cap);
    nodes.set(name, new Map(kept.map((n) => [n.channel, n.effect])));
    for (const n of kept) graph.edges.push({ from: nodeId(name, n.channel), to: classNode, effect: n.effect });
  }

  for (const layer of [...layers].reverse()) {
    if (layer.kind === 'logits') continue;
    if (!nodes.has(layer.name)) {
      // Sources of kept edges, strongest (summed kept edge effect) first.
      const pool = [...(candidates.get(layer.name) ?? new Map<number, Candidate[]>())].map(([channel, out]) => ({
        channel,
        effect: out.reduce((s, c) => s + c.effect, 0),
        out,
      }));
      const chosen = pool.sort((a, b) => b.effect - a.effect || a.channel - b.channel).slice(0, cap);
      const measured = await effects.nodeDeltas(layer.name, chosen.map((c) => c.channel));
      graph.tested.nodes += chosen.length;
      nodes.set(layer.name, new Map(chosen.map((c, i) => [c.channel, mean(measured[i])])));
      for (const c of chosen) for (const e of c.out) graph.edges.push({ from: nodeId(layer.name, c.channel), to: e.to, effect: e.effect });
    }
    const kept = [...nodes.get(layer.name)!.keys()];
    if (kept.length === 0 || layer.parents.length === 0) continue;
    let paths;
    try {
      paths = incomingPaths(model, layer.name);
    } catch (error) {
      graph.notes.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    const tests: PathEdge[] = [];
    for (const source of paths.sources) {
      const width = layers.find((l) => l.name === source)!.channels;
      if (paths.kind === 'merge') for (const to of kept) tests.push({ source, from: to, to });
      else if (settings.candidates > 0 && settings.candidates < width) {
        const estimates = await effects.pathEstimates(layer.name, kept);
        kept.forEach((to, m) => {
          const means = columnMeans(estimates[m], width, weights);
          const order = Array.from({ length: width }, (_, j) => j).sort((a, b) => means[b] - means[a] || a - b);
          for (const from of order.slice(0, settings.candidates)) tests.push({ source, from, to });
        });
      } else for (const to of kept) for (let from = 0; from < width; from++) tests.push({ source, from, to });
    }
    const deltas = await effects.pathDeltas(layer.name, tests);
    graph.tested.paths += tests.length;
    for (const to of kept) {
      const incoming = tests.map((e, i) => ({ e, effect: mean(deltas[i]) })).filter((x) => x.e.to === to);
      for (const { e, effect } of selectTop(incoming, settings, settings.tau === undefined ? settings.k : settings.maxNodes)) {
        let bySource = candidates.get(e.source);
        if (!bySource) candidates.set(e.source, (bySource = new Map()));
        const list = bySource.get(e.from) ?? [];
        list.push({ to: nodeId(layer.name, to), effect });
        bySource.set(e.from, list);
      }
    }
  }

  for (const layer of layers) {
    for (const [channel, effect] of nodes.get(layer.name) ?? []) graph.nodes.push({ layer: layer.name, channel, effect });
  }
  return graph;
}

/** Weighted mean over images of each column of an image-major [n, cols] array. */
function columnMeans(values: Float64Array, cols: number, weights?: ArrayLike<number>): Float64Array {
  const n = values.length / cols;
  const out = new Float64Array(cols);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    total += w;
    for (let j = 0; j < cols; j++) out[j] += w * values[i * cols + j];
  }
  return out.map((v) => v / total);
}
