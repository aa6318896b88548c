/**
 * GraphDto + what the user chose (collapsed layers, top-k, threshold, colouring) → Cytoscape
 * elements with preset positions. Expanded layers are compound nodes holding one node per channel;
 * a collapsed layer is a single node, and edges into or out of it are merged (strongest kept).
 */
import type { ElementDefinition } from 'cytoscape';
import type { GraphDto } from '../../../shared/dto.js';
import { type Palette, diverging, maxAbs, mix } from './colours.js';
import { channelPosition, layerGap, layoutGraph, nodeSize } from './layout.js';

export type ColourBy = 'importance' | 'margin' | 'effect' | 'none';

export interface GraphView {
  collapsed: ReadonlySet<string>;
  /** Show the k strongest parents of every child (k ≤ graph.topK). */
  topK: number;
  /** Hide edges weaker than this standardized strength. */
  threshold: number;
  colourBy: ColourBy;
  /** Per layer and channel: the value coloured (importance, margin drop or intervention effect). */
  values: Record<string, number[]> | null;
  classNames: string[];
  palette: Palette;
  /** Label every channel (off for big graphs: thousands of labels cost every frame). */
  channelLabels?: boolean;
  /**
   * Draw expanded layers as boxes behind their channels instead of compound parents: the same
   * picture, without Cytoscape recomputing a parent's bounds whenever a child's style changes
   * (that doubles the cost of every selection at 5,000 nodes).
   */
  flatLayers?: boolean;
}

export const layerId = (name: string) => `L:${name}`;
/** A collapsed layer is another element than the expanded compound (a different kind of node). */
export const collapsedId = (name: string) => `C:${name}`;
export const channelId = (layerIndex: number, channel: number) => `n:${layerIndex}:${channel}`;

/** A layer name that may wrap after _ - / . (a zero-width space there): "block3_2_conv1" fits a narrow column. */
export function breakable(name: string): string {
  return name.replace(/([_\-/.])/g, '$1\u200b');
}

export function parseChannelId(id: string): { layerIndex: number; channel: number } | undefined {
  const m = /^n:(\d+):(\d+)$/.exec(id);
  return m ? { layerIndex: Number(m[1]), channel: Number(m[2]) } : undefined;
}

/** Layers bigger than this start collapsed when the graph as a whole is big. */
export function defaultCollapsed(graph: GraphDto, bigGraph = 1500, bigLayer = 64): Set<string> {
  const total = graph.layers.reduce((s, l) => s + l.channels, 0);
  return new Set(total > bigGraph ? graph.layers.filter((l) => l.channels > bigLayer).map((l) => l.name) : []);
}

/** For each edge, its rank among the parents of its child (edges arrive strongest first per child). */
export function edgeRanks(graph: GraphDto): Int32Array {
  const ranks = new Int32Array(graph.edges.weight.length);
  const seen = new Map<number, number>();
  const { toLayer, toChannel } = graph.edges;
  for (let i = 0; i < ranks.length; i++) {
    const key = toLayer[i] * 1_000_000 + toChannel[i];
    const r = seen.get(key) ?? 0;
    ranks[i] = r;
    seen.set(key, r + 1);
  }
  return ranks;
}

export function graphElements(graph: GraphDto, view: GraphView, ranks = edgeRanks(graph)): ElementDefinition[] {
  const layout = layoutGraph(graph.layers.map((l) => ({ name: l.name, channels: l.channels, collapsed: view.collapsed.has(l.name) })));
  const scale = view.values ? maxAbs(Object.values(view.values)) : 1;
  const colourOf = (layer: string, k: number) => {
    const v = view.values?.[layer]?.[k];
    return view.colourBy === 'none' || v === undefined ? view.palette.neutral : diverging(v / scale, view.palette);
  };
  const nodes: ElementDefinition[] = [];
  graph.layers.forEach((layer, li) => {
    const box = layout.layers[li];
    if (box.collapsed) {
      // The layer's mean value: a tint when its filters lean one way, neutral when they do not.
      const values = view.values?.[layer.name];
      const mean = values?.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
      nodes.push({
        group: 'nodes',
        data: { id: collapsedId(layer.name), label: `${layer.name}\n${layer.channels} filters`, layer: layer.name, kind: 'collapsed', h: box.height, color: view.colourBy === 'none' ? view.palette.layerFill : diverging(mean / scale, view.palette) },
        position: { x: box.x, y: box.y },
        classes: 'collapsed',
        selectable: false,
        // Dragging across a layer box starts a box selection, as on the background.
        pannable: true,
      });
      return;
    }
    const flat = view.flatLayers === true;
    nodes.push({
      group: 'nodes',
      // The label may use the layer's column and the gap beside it, no more (ellipsis beyond).
      data: { id: layerId(layer.name), label: breakable(layer.name), layer: layer.name, kind: 'layer', labelWidth: box.width + layerGap - 24, ...(flat ? { w: box.width + 16, h: box.height + 16 } : {}) },
      ...(flat ? { position: { x: box.x, y: box.y } } : {}),
      classes: flat ? 'layer flat' : 'layer',
      selectable: false,
      pannable: true,
    });
    const logits = layer.kind === 'logits';
    for (let k = 0; k < layer.channels; k++) {
      nodes.push({
        group: 'nodes',
        data: {
          id: channelId(li, k),
          ...(view.flatLayers ? {} : { parent: layerId(layer.name) }),
          label: logits ? (view.classNames[k] ?? String(k)) : view.channelLabels === false ? '' : String(k),
          layer: layer.name,
          channel: k,
          color: colourOf(layer.name, k),
        },
        position: channelPosition(box, k),
        classes: logits ? 'channel logit' : 'channel',
        // Outputs are not filters: they cannot be intervened on.
        selectable: !logits,
        // A drag that starts on a filter still draws a selection box (dense graphs have few gaps).
        pannable: true,
      });
    }
  });

  // Edges, merged where an end is a collapsed layer (keeping the strongest).
  const merged = new Map<string, { source: string; target: string; strength: number; weight: number; count: number }>();
  const { fromLayer, fromChannel, toLayer, toChannel, weight, strength } = graph.edges;
  const endpoint = (li: number, k: number) => {
    const name = graph.layers[li].name;
    return view.collapsed.has(name) ? collapsedId(name) : channelId(li, k);
  };
  for (let i = 0; i < weight.length; i++) {
    if (ranks[i] >= view.topK || strength[i] < view.threshold) continue;
    const source = endpoint(fromLayer[i], fromChannel[i]);
    const target = endpoint(toLayer[i], toChannel[i]);
    const key = `${source}>${target}`;
    const e = merged.get(key);
    if (!e) merged.set(key, { source, target, strength: strength[i], weight: weight[i], count: 1 });
    else {
      e.count++;
      if (strength[i] > e.strength) {
        e.strength = strength[i];
        e.weight = weight[i];
      }
    }
  }
  let strongest = 0;
  for (const e of merged.values()) strongest = Math.max(strongest, e.strength);
  const edges: ElementDefinition[] = [];
  for (const [key, e] of merged) {
    const t = strongest > 0 ? e.strength / strongest : 0;
    edges.push({
      group: 'edges',
      data: {
        // Stable ids: an update after collapsing a layer keeps the edges that did not change.
        id: `e:${key}`,
        source: e.source,
        target: e.target,
        weight: e.weight,
        strength: e.strength,
        count: e.count,
        width: 0.6 + 3 * t,
        color: mix(view.palette.background, e.weight >= 0 ? view.palette.edgePositive : view.palette.edgeNegative, 0.35 + 0.65 * t),
      },
      selectable: false,
    });
  }
  return [...nodes, ...edges];
}

/** Size of a channel node (for tests and the benchmark). */
export const channelNodeSize = nodeSize;
