/** Layers that only move, pad, rescale or pass values through at inference time. */
import { tf } from '../tf.js';
import type { LayerContext, LayerFn } from './layer-context.js';

export const identity: LayerFn = ([x]) => x;

export function flatten(): LayerFn {
  return ([x]) => tf.reshape(x, [x.shape[0], -1]);
}

export function reshape(ctx: LayerContext): LayerFn {
  const target = ctx.spec.config.target_shape;
  if (!Array.isArray(target) || !target.every((n) => typeof n === 'number')) {
    throw ctx.error('has no numeric target_shape');
  }
  return ([x]) => tf.reshape(x, [x.shape[0], ...(target as number[])]);
}

/** Keras Permute: `dims` are 1-based axes after the batch, e.g. [3, 1, 2] turns NHWC into NCHW. */
export function permute(ctx: LayerContext): LayerFn {
  const dims = ctx.spec.config.dims;
  if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d >= 1)) throw ctx.error('has no valid dims');
  const perm = [0, ...(dims as number[])];
  return ([x]) => tf.transpose(x, perm);
}

export function zeroPadding2d(ctx: LayerContext): LayerFn {
  const p = ctx.spec.config.padding;
  let pads: [[number, number], [number, number]];
  if (typeof p === 'number') pads = [[p, p], [p, p]];
  else if (Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number')) {
    pads = [[p[0], p[0]], [p[1], p[1]]];
  } else if (Array.isArray(p) && p.length === 2 && p.every((v) => Array.isArray(v) && v.length === 2)) {
    pads = p as [[number, number], [number, number]];
  } else throw ctx.error(`has padding ${JSON.stringify(p)}, expected n, [h, w] or [[t, b], [l, r]]`);
  return ([x]) => tf.pad(x, [[0, 0], pads[0], pads[1], [0, 0]]);
}

export function rescaling(ctx: LayerContext): LayerFn {
  const scale = ctx.number('scale', 1);
  const offset = ctx.number('offset', 0);
  return ([x]) => tf.add(tf.mul(x, scale), offset);
}
