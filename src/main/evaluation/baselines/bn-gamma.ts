/**
 * BatchNorm |γ| (network-slimming criterion; METHODS §2): where a BatchNormalization takes the conv's
 * output directly, its scale γ_k multiplies channel k's normalized response, so a small |γ_k|
 * silences the channel (up to β). No BN after the conv, or a BN without a scale: no criterion.
 */
import type { ModelSpec } from '../../engine/model-spec.js';
import { convLayerOf } from './weight-norms.js';

export function batchNormGamma(spec: ModelSpec, nodeLayer: { name: string; kind: string; channels: number }): number[] | undefined {
  const conv = convLayerOf(spec, nodeLayer);
  if (!conv) return undefined;
  const bn = spec.layers.find((l) => l.className === 'BatchNormalization' && l.inbound.length === 1 && l.inbound[0] === conv.name);
  const gamma = bn?.weights.find((w) => w.name === 'gamma');
  if (!gamma) return undefined;
  if (gamma.values.length !== nodeLayer.channels) {
    throw new Error(`${spec.source}: ${bn!.name} has ${gamma.values.length} γ values for ${nodeLayer.channels} channels of ${conv.name}`);
  }
  return Array.from(gamma.values, Math.abs);
}
