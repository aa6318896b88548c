/** Residual merges, products and channel concatenation. */
import { tf } from '../tf.js';
import type { LayerContext, LayerFn } from './layer-context.js';

export function add(ctx: LayerContext): LayerFn {
  return (inputs) => {
    if (inputs.length < 2) throw ctx.error(`needs at least two inputs, got ${inputs.length}`);
    return tf.addN(inputs);
  };
}

/** Element-wise product; a [N, 1, 1, C] gate broadcasts over H and W (squeeze-excite). */
export function multiply(ctx: LayerContext): LayerFn {
  return (inputs) => {
    if (inputs.length < 2) throw ctx.error(`needs at least two inputs, got ${inputs.length}`);
    return inputs.slice(1).reduce((acc, x) => tf.mul(acc, x), inputs[0]);
  };
}

export function concatenate(ctx: LayerContext): LayerFn {
  const axis = ctx.number('axis', -1);
  return (inputs) => tf.concat(inputs, axis);
}
