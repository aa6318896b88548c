/** Conv2D, DepthwiseConv2D and SeparableConv2D in NHWC, with bias and activation fused where possible. */
import { tf, type Tensor } from '../tf.js';
import { activationByName, fusedActivations } from './activations.js';
import type { LayerContext, LayerFn } from './layer-context.js';

type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';

export function activationOf(ctx: LayerContext, dropActivation: boolean): { name: string; fn: (x: Tensor) => Tensor } {
  const name = dropActivation ? 'linear' : ctx.string('activation', 'linear');
  const fn = activationByName(name);
  if (!fn) throw ctx.error(`uses activation "${name}", which is not supported`);
  return { name, fn };
}

/**
 * `fused` picks tf.fused.conv2d (bias and activation in one kernel, fastest). Its custom gradient
 * also computes the filter gradient, a kernel the wasm backend lacks, so gradient runs compile with
 * fused = false: plain ops, whose gradients tfjs prunes to the paths that lead to the inputs.
 */
export function conv2d(ctx: LayerContext, dropActivation: boolean, fused = true): LayerFn {
  const kernel = ctx.weight('kernel') as tf.Tensor4D;
  const bias = ctx.bool('use_bias', true) ? ctx.optionalWeight('bias') : undefined;
  const strides = ctx.pair('strides', [1, 1]);
  const dilations = ctx.pair('dilation_rate', [1, 1]);
  const padding = ctx.padding();
  const groups = ctx.number('groups', 1);
  if (groups !== 1) throw ctx.error(`uses groups=${groups}; grouped convolutions are not supported`);
  const act = activationOf(ctx, dropActivation);
  if (fused && fusedActivations.has(act.name)) {
    const activation = act.name as FusedActivation;
    return ([x]) =>
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: kernel, strides, pad: padding, dilations, bias, activation });
  }
  return ([x]) => {
    const y = tf.conv2d(x as tf.Tensor4D, kernel, strides, padding, 'NHWC', dilations);
    return act.fn(bias ? tf.add(y, bias) : y);
  };
}

export function depthwiseConv2d(ctx: LayerContext, dropActivation: boolean): LayerFn {
  const kernel = ctx.weight('depthwise_kernel') as tf.Tensor4D;
  const bias = ctx.bool('use_bias', true) ? ctx.optionalWeight('bias') : undefined;
  const strides = ctx.pair('strides', [1, 1]);
  const dilations = ctx.pair('dilation_rate', [1, 1]);
  const padding = ctx.padding();
  const act = activationOf(ctx, dropActivation);
  return ([x]) => {
    const y = tf.depthwiseConv2d(x as tf.Tensor4D, kernel, strides, padding, 'NHWC', dilations);
    return act.fn(bias ? tf.add(y, bias) : y);
  };
}

export function separableConv2d(ctx: LayerContext, dropActivation: boolean): LayerFn {
  const depthwise = ctx.weight('depthwise_kernel') as tf.Tensor4D;
  const pointwise = ctx.weight('pointwise_kernel') as tf.Tensor4D;
  const bias = ctx.bool('use_bias', true) ? ctx.optionalWeight('bias') : undefined;
  const strides = ctx.pair('strides', [1, 1]);
  const dilations = ctx.pair('dilation_rate', [1, 1]);
  const padding = ctx.padding();
  const act = activationOf(ctx, dropActivation);
  return ([x]) => {
    const y = tf.separableConv2d(x as tf.Tensor4D, depthwise, pointwise, strides, padding, dilations, 'NHWC');
    return act.fn(bias ? tf.add(y, bias) : y);
  };
}
