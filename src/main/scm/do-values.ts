/**
 * What an intervention on a channel means for its φ value in the SCM (METHODS §0/§1):
 *   zero        → φ of the zero map (0 for fro/mean/max/std; binary reads 1, since 0 < μ + σ),
 *   scale(s)    → do(r = s·r): s·r for mean/max/logits, |s|·r for fro/std,
 *   constant(c) → φ of the constant map: fro = |c|·√(H·W), mean = max = c, std = 0.
 * Binary φ has no magnitude to scale [ours]: scale(0) acts as zero, any other s leaves r as it is.
 */
import type { PhiKind } from '../engine/phi.js';

export type ScmInterventionKind = 'zero' | 'scale' | 'constant';

export interface ScmIntervention {
  layer: string;
  channels: number[];
  kind: ScmInterventionKind;
  value?: number;
}

export interface ChannelContext {
  phi: PhiKind;
  /** Spatial size H·W of the layer's maps (1 for logits). */
  area: number;
  isLogits: boolean;
  /** Binary φ: the channel's threshold μ + σ of the Frobenius norm. */
  threshold?: number;
}

/** The φ value channel takes under the intervention, given its value r without it. */
export function intervenedValue(iv: ScmIntervention, r: number, ctx: ChannelContext): number {
  const v = iv.value ?? Number.NaN;
  if ((iv.kind === 'scale' || iv.kind === 'constant') && !Number.isFinite(v)) {
    throw new RangeError(`a ${iv.kind} intervention on ${iv.layer} needs a finite value`);
  }
  if (ctx.isLogits) return iv.kind === 'zero' ? 0 : iv.kind === 'scale' ? v * r : v;
  const binary = (fro: number) => (fro < (ctx.threshold ?? Number.POSITIVE_INFINITY) ? 1 : 0);
  switch (iv.kind) {
    case 'zero':
      return ctx.phi === 'binary' ? binary(0) : 0;
    case 'scale':
      if (ctx.phi === 'binary') return v === 0 ? binary(0) : r;
      return ctx.phi === 'fro' || ctx.phi === 'std' ? Math.abs(v) * r : v * r;
    case 'constant': {
      const fro = Math.abs(v) * Math.sqrt(ctx.area);
      if (ctx.phi === 'binary') return binary(fro);
      return ctx.phi === 'fro' ? fro : ctx.phi === 'std' ? 0 : v;
    }
  }
}
