/** Dense on the last axis (rank-2 inputs, as after Flatten or global pooling). */
import { tf } from '../tf.js';
import { activationOf } from './convolution.js';
import { fusedActivations } from './activations.js';
import type { LayerContext, LayerFn } from './layer-context.js';

/** `fused` as for conv2d: gradient runs use plain ops. */
export function dense(ctx: LayerContext, dropActivation: boolean, fused = true): LayerFn {
  const kernel = ctx.weight('kernel') as tf.Tensor2D;
  const bias = ctx.bool('use_bias', true) ? ctx.optionalWeight('bias') : undefined;
  const act = activationOf(ctx, dropActivation);
  return ([x]) => {
    if (x.rank !== 2) throw ctx.error(`expects a flat input but got shape [${x.shape.join(', ')}]`);
    if (fused && fusedActivations.has(act.name)) {
      const activation = act.name as 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';
      return tf.fused.matMul({ a: x as tf.Tensor2D, b: kernel, bias, activation });
    }
    const y = tf.matMul(x as tf.Tensor2D, kernel);
    return act.fn(bias ? tf.add(y, bias) : y);
  };
}
