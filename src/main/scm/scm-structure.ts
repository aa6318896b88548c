/**
 * The SCM's graph (METHODS §1): one variable per (node layer, channel) plus one per class logit.
 * Parents of every channel of layer l are all channels of l's parent node layers; layers without
 * parents are exogenous (observed, no equation).
 */
export interface ScmLayer {
  name: string;
  kind: 'conv' | 'merge' | 'dense' | 'logits';
  channels: number;
  /** Activation shape without batch: [H, W, C] or [C]; φ of a constant map depends on H·W. */
  shape: number[];
  parents: string[];
  exogenous: boolean;
}

export interface NodeLayerLike {
  name: string;
  kind: 'conv' | 'merge' | 'dense' | 'logits';
  channels: number;
  shape: number[];
  parents: string[];
}

export function scmStructure(nodeLayers: NodeLayerLike[]): ScmLayer[] {
  return nodeLayers.map((n) => ({ ...n, exogenous: n.parents.length === 0 }));
}

/** Layers strictly downstream of `layer` (reachable through parent links), in topological order. */
export function descendantsOf(layers: ScmLayer[], layer: string): Set<string> {
  const out = new Set<string>();
  for (const l of layers) if (l.parents.some((p) => p === layer || out.has(p))) out.add(l.name);
  return out;
}

export function logitsLayer(layers: ScmLayer[]): ScmLayer {
  const l = layers[layers.length - 1];
  if (l.kind !== 'logits') throw new Error('the last node layer must be the logits');
  return l;
}

/** Number of SCM variables and directed edges (channel to channel). */
export function graphSize(layers: ScmLayer[]): { nodes: number; edges: number } {
  const channels = new Map(layers.map((l) => [l.name, l.channels]));
  let edges = 0;
  for (const l of layers) for (const p of l.parents) edges += channels.get(p)! * l.channels;
  return { nodes: layers.reduce((s, l) => s + l.channels, 0), edges };
}
