/**
 * Inference-mode BatchNormalization on the last axis, folded into one scale and one shift per
 * channel: y = x·γ/√(var+ε) + (β − mean·γ/√(var+ε)).
 */
import { tf, type Tensor } from '../tf.js';
import type { LayerContext, LayerFn } from './layer-context.js';

export function batchNormalization(ctx: LayerContext): { fn: LayerFn; owned: Tensor[] } {
  const axis = ctx.spec.config.axis;
  const axisValue = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : NaN) : (axis ?? -1);
  if (axisValue !== -1 && axisValue !== 3 && axisValue !== 1) {
    throw ctx.error(`normalizes axis ${JSON.stringify(axis)}; only the channel (last) axis is supported`);
  }
  const epsilon = ctx.number('epsilon', 1e-3);
  const mean = ctx.weight('moving_mean');
  const variance = ctx.weight('moving_variance');
  const gamma = ctx.bool('scale', true) ? ctx.weight('gamma') : undefined;
  const beta = ctx.bool('center', true) ? ctx.weight('beta') : undefined;
  const [scale, shift] = tf.tidy(() => {
    const inv = tf.rsqrt(tf.add(variance, epsilon));
    const s = gamma ? tf.mul(inv, gamma) : inv;
    const b = tf.neg(tf.mul(mean, s));
    return [s, beta ? tf.add(b, beta) : b];
  });
  return {
    fn: ([x]) => {
      if (axisValue === 1 && x.rank !== 2) throw ctx.error('normalizes axis 1 of a feature map (channels_first)');
      return tf.add(tf.mul(x, scale), shift);
    },
    owned: [scale, shift],
  };
}
