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
  const act = activationOf(ctx, dropActivation);
  if (groups !== 1) return groupedConv2d(ctx, kernel, bias, groups, strides, padding, dilations, act.fn);
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

/**
 * Keras `groups` (ONNX `group`): input channels split into `groups` slices, each convolved with its
 * slice of the [kh, kw, I/groups, O] kernel's outputs, results concatenated. tfjs has no grouped
 * conv op; depthwise convs (groups = channels) are DepthwiseConv2D layers instead.
 */
function groupedConv2d(
  ctx: LayerContext,
  kernel: tf.Tensor4D,
  bias: Tensor | undefined,
  groups: number,
  strides: [number, number],
  padding: 'same' | 'valid',
  dilations: [number, number],
  act: (x: Tensor) => Tensor,
): LayerFn {
  const outC = kernel.shape[3];
  if (!Number.isInteger(groups) || groups < 1 || outC % groups !== 0) throw ctx.error(`has groups=${groups}, which does not divide its ${outC} filters`);
  return ([x]) => {
    if (x.shape[3] !== kernel.shape[2] * groups) throw ctx.error(`expects ${kernel.shape[2] * groups} input channels, got ${x.shape[3]}`);
    const xs = tf.split(x, groups, 3);
    const ks = tf.split(kernel, groups, 3);
    const y = tf.concat(xs.map((xi, i) => tf.conv2d(xi as tf.Tensor4D, ks[i] as tf.Tensor4D, strides, padding, 'NHWC', dilations)), 3);
    return act(bias ? tf.add(y, bias) : y);
  };
}

/**
 * `fused = false` (gradient runs): tfjs-wasm has no DepthwiseConv2dNativeBackpropInput kernel, so the
 * depthwise conv runs as a plain conv2d with the block-diagonal kernel [kh, kw, C, C·m] (zeros off the
 * diagonal, built per call: nothing is kept), whose input gradient wasm has. Same values; C× the
 * multiply-adds, only on the few images gradient lenses (Grad-CAM, Taylor, FGSM/PGD) use.
 */
export function depthwiseConv2d(ctx: LayerContext, dropActivation: boolean, fused = true): LayerFn {
  const kernel = ctx.weight('depthwise_kernel') as tf.Tensor4D;
  const bias = ctx.bool('use_bias', true) ? ctx.optionalWeight('bias') : undefined;
  const strides = ctx.pair('strides', [1, 1]);
  const dilations = ctx.pair('dilation_rate', [1, 1]);
  const padding = ctx.padding();
  const act = activationOf(ctx, dropActivation);
  const [kh, kw, channels, multiplier] = kernel.shape;
  return ([x]) => {
    let y: Tensor;
    if (fused) {
      y = tf.depthwiseConv2d(x as tf.Tensor4D, kernel, strides, padding, 'NHWC', dilations);
    } else {
      const eye = tf.reshape(tf.eye(channels), [1, 1, channels, channels, 1]);
      const block = tf.reshape(tf.mul(tf.reshape(kernel, [kh, kw, channels, 1, multiplier]), eye), [kh, kw, channels, channels * multiplier]);
      y = tf.conv2d(x as tf.Tensor4D, block as tf.Tensor4D, strides, padding, 'NHWC', dilations);
    }
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
