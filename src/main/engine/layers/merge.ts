/** Residual merges and channel concatenation. */
import { tf } from '../tf.js';
import type { LayerContext, LayerFn } from './layer-context.js';

export function add(ctx: LayerContext): LayerFn {
  return (inputs) => {
    if (inputs.length < 2) throw ctx.error(`needs at least two inputs, got ${inputs.length}`);
    return tf.addN(inputs);
  };
}

export function concatenate(ctx: LayerContext): LayerFn {
  const axis = ctx.number('axis', -1);
  return (inputs) => tf.concat(inputs, axis);
}
