/** Max/average pooling and their global forms (NHWC). */
import { tf } from '../tf.js';
import type { LayerContext, LayerFn } from './layer-context.js';

export function pooling2d(ctx: LayerContext, kind: 'max' | 'avg'): LayerFn {
  const pool = ctx.pair('pool_size', [2, 2]);
  const strides = ctx.pair('strides', pool);
  const padding = ctx.padding();
  return kind === 'max'
    ? ([x]) => tf.maxPool(x as tf.Tensor4D, pool, strides, padding)
    : ([x]) => tf.avgPool(x as tf.Tensor4D, pool, strides, padding);
}

export function globalPooling2d(ctx: LayerContext, kind: 'max' | 'avg'): LayerFn {
  const keepDims = ctx.bool('keepdims', false);
  return kind === 'max' ? ([x]) => tf.max(x, [1, 2], keepDims) : ([x]) => tf.mean(x, [1, 2], keepDims);
}
