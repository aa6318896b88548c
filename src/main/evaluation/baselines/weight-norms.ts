/**
 * Weight-norm criteria (Li et al. 2017; METHODS §2): the L1 and L2 norm of the kernel slice that
 * produces each output channel of a conv node layer. The producing kernel is Conv2D's `kernel`
 * [kh, kw, Cin, Cout], DepthwiseConv2D's `depthwise_kernel` [kh, kw, Cin, mult] (channel c·mult + m)
 * and SeparableConv2D's `pointwise_kernel` [1, 1, Cin·mult, Cout]. In all three the output channel is
 * the innermost index, so element i belongs to channel i mod Cout. Merge (Add) node layers have no
 * kernel of their own: no weight norm there.
 */
import type { LayerSpec, ModelSpec } from '../../engine/model-spec.js';

const producingKernel: Record<string, string> = {
  Conv2D: 'kernel',
  DepthwiseConv2D: 'depthwise_kernel',
  SeparableConv2D: 'pointwise_kernel',
};

export interface KernelNorms {
  l1: number[];
  l2: number[];
}

/** The conv layer (by name) whose output channels a conv node layer is; undefined for other kinds. */
export function convLayerOf(spec: ModelSpec, nodeLayer: { name: string; kind: string }): LayerSpec | undefined {
  if (nodeLayer.kind !== 'conv') return undefined;
  const layer = spec.layers.find((l) => l.name === nodeLayer.name);
  return layer && layer.className in producingKernel ? layer : undefined;
}

export function kernelNorms(spec: ModelSpec, nodeLayer: { name: string; kind: string; channels: number }): KernelNorms | undefined {
  const conv = convLayerOf(spec, nodeLayer);
  if (!conv) return undefined;
  const kernel = conv.weights.find((w) => w.name === producingKernel[conv.className]);
  if (!kernel) throw new Error(`${spec.source}: layer ${conv.name} (${conv.className}) has no ${producingKernel[conv.className]}`);
  const channels = nodeLayer.channels;
  if (kernel.values.length % channels !== 0) {
    throw new Error(`${spec.source}: ${conv.name}'s kernel [${kernel.shape.join(', ')}] does not split into ${channels} output channels`);
  }
  const l1 = new Float64Array(channels);
  const l2 = new Float64Array(channels);
  kernel.values.forEach((w, i) => {
    const k = i % channels;
    l1[k] += Math.abs(w);
    l2[k] += w * w;
  });
  return { l1: Array.from(l1), l2: Array.from(l2, Math.sqrt) };
}
