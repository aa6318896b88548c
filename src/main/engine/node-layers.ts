/**
 * METHODS §0: which layer outputs become SCM variables ("node layers") and their parents.
 * - every Conv2D / DepthwiseConv2D / SeparableConv2D, taken after the BatchNormalization and the
 *   activation that directly follow it (the post-activation output);
 * - every residual merge (Add), taken after an activation that directly follows it [ours: the
 *   block output, as ResNet's post-Add ReLU];
 * - the classifier's logits (the output layer with any final softmax removed);
 * - optionally [ours] every other Dense layer, after the BatchNormalization and activation that
 *   follow it (`nodeLayers: ['conv', 'dense']`): its units become SCM variables (φ of a unit is its
 *   value), so a LeNet's logits need not regress on 16 conv norms through two hidden layers.
 * Parents of a node layer are its nearest node-layer ancestors in the network graph.
 * Pure graph analysis on the ModelSpec: no tensors here.
 */
import type { NodeLayerFamily } from '../../shared/choices.js';
import type { LayerSpec, ModelSpec } from './model-spec.js';
import { ModelLoadError } from './model-spec.js';

export type NodeLayerKind = 'conv' | 'merge' | 'dense' | 'logits';

export { type NodeLayerFamily, nodeLayerFamilies } from '../../shared/choices.js';

export interface AnalyzeOptions {
  nodeLayers?: readonly NodeLayerFamily[];
}

export interface NodeLayerStructure {
  /** The name users see: the conv, Add or logits layer. */
  name: string;
  kind: NodeLayerKind;
  /** The layer whose output is the variable (after BN/activation for convs). */
  outputLayer: string;
  parents: string[];
}

export interface NetworkStructure {
  nodeLayers: NodeLayerStructure[];
  /** The layer producing the logits; execution ends here. */
  logitsLayer: string;
  /** True when the logits layer's own activation is a softmax the executor must skip. */
  logitsDropActivation: boolean;
}

const convClasses = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);
const activationClasses = new Set(['Activation', 'ReLU', 'LeakyReLU', 'ELU']);

function isSoftmax(layer: LayerSpec): boolean {
  return (
    layer.className === 'Softmax' ||
    (layer.className === 'Activation' && String(layer.config.activation).toLowerCase() === 'softmax')
  );
}

export function analyzeNetwork(spec: ModelSpec, options: AnalyzeOptions = {}): NetworkStructure {
  const families = new Set(options.nodeLayers ?? ['conv']);
  const byName = new Map(spec.layers.map((l) => [l.name, l]));
  const consumers = new Map<string, string[]>(spec.layers.map((l) => [l.name, []]));
  for (const layer of spec.layers) for (const input of layer.inbound) consumers.get(input)?.push(layer.name);

  // Logits: the output with a final softmax removed.
  let logits = byName.get(spec.outputLayer);
  if (!logits) throw new ModelLoadError(spec.source, `output layer ${spec.outputLayer} is not in the model`);
  let logitsDropActivation = false;
  if (isSoftmax(logits)) {
    const producer = byName.get(logits.inbound[0]);
    if (!producer) throw new ModelLoadError(spec.source, `softmax ${logits.name} has no input`);
    logits = producer;
  }
  if (String(logits.config.activation ?? '').toLowerCase() === 'softmax') logitsDropActivation = true;

  const single = (name: string): LayerSpec | undefined => {
    const next = consumers.get(name) ?? [];
    return next.length === 1 ? byName.get(next[0]) : undefined;
  };
  const followThrough = (start: LayerSpec, allowBatchNorm: boolean): string => {
    let current = start;
    let seenBatchNorm = !allowBatchNorm;
    let seenActivation = false;
    for (;;) {
      if (current.name === logits.name) return current.name;
      const next = single(current.name);
      if (!next || next.name === logits.name) return current.name;
      if (!seenBatchNorm && !seenActivation && next.className === 'BatchNormalization') seenBatchNorm = true;
      else if (!seenActivation && activationClasses.has(next.className) && !isSoftmax(next)) seenActivation = true;
      else return current.name;
      current = next;
    }
  };

  const found: Omit<NodeLayerStructure, 'parents'>[] = [];
  for (const layer of spec.layers) {
    if (layer.name === logits.name) continue;
    if (convClasses.has(layer.className)) {
      if (families.has('conv')) found.push({ name: layer.name, kind: 'conv', outputLayer: followThrough(layer, true) });
    } else if (layer.className === 'Dense' && families.has('dense')) {
      found.push({ name: layer.name, kind: 'dense', outputLayer: followThrough(layer, true) });
    } else if (layer.className === 'Add') {
      found.push({ name: layer.name, kind: 'merge', outputLayer: followThrough(layer, false) });
    }
  }
  found.push({ name: logits.name, kind: 'logits', outputLayer: logits.name });

  const nodeByOutput = new Map(found.map((n) => [n.outputLayer, n.name]));
  const parentsOf = (startName: string): string[] => {
    const parents = new Set<string>();
    const seen = new Set<string>();
    const stack = [...(byName.get(startName)?.inbound ?? [])];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const node = nodeByOutput.get(name);
      if (node) parents.add(node);
      else stack.push(...(byName.get(name)?.inbound ?? []));
    }
    const order = new Map(found.map((n, i) => [n.name, i]));
    return [...parents].sort((a, b) => order.get(a)! - order.get(b)!);
  };
  return {
    nodeLayers: found.map((n) => ({ ...n, parents: parentsOf(n.name) })),
    logitsLayer: logits.name,
    logitsDropActivation,
  };
}
