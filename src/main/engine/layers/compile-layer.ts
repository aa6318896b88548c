/** The registry: Keras class name → the function that runs it. */
import { tf, type Tensor } from '../tf.js';
import { activationByName } from './activations.js';
import { batchNormalization } from './batch-normalization.js';
import { conv2d, depthwiseConv2d, separableConv2d } from './convolution.js';
import { dense } from './dense.js';
import type { LayerContext, LayerFn } from './layer-context.js';
import { add, concatenate, multiply } from './merge.js';
import { globalPooling2d, pooling2d } from './pooling.js';
import { flatten, identity, permute, reshape, rescaling, zeroPadding2d } from './shape-layers.js';

export interface CompiledLayer {
  fn: LayerFn;
  /** Tensors derived from the weights at compile time, freed with the model. */
  owned: Tensor[];
}

type Compiler = (ctx: LayerContext, dropActivation: boolean, fused: boolean) => LayerFn | CompiledLayer;

const compilers: Record<string, Compiler> = {
  InputLayer: () => identity,
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  Dense: dense,
  BatchNormalization: (ctx) => batchNormalization(ctx),
  Activation: (ctx, drop) => {
    const name = drop ? 'linear' : ctx.string('activation', 'linear');
    const fn = activationByName(name);
    if (!fn) throw ctx.error(`uses activation "${name}", which is not supported`);
    return ([x]) => fn(x);
  },
  ReLU: (ctx) => {
    const maxValue = ctx.spec.config.max_value;
    const slope = ctx.number('negative_slope', 0);
    const threshold = ctx.number('threshold', 0);
    if (threshold !== 0) throw ctx.error('uses a non-zero threshold, which is not supported');
    return ([x]) => {
      const y = slope === 0 ? tf.relu(x) : tf.leakyRelu(x, slope);
      return typeof maxValue === 'number' ? tf.minimum(y, maxValue) : y;
    };
  },
  LeakyReLU: (ctx) => {
    const alpha = ctx.number('negative_slope', ctx.number('alpha', 0.3));
    return ([x]) => tf.leakyRelu(x, alpha);
  },
  ELU: (ctx) => {
    const alpha = ctx.number('alpha', 1);
    return ([x]) => (alpha === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(tf.sub(tf.exp(x), 1), alpha)));
  },
  Softmax: (_ctx, drop) => (drop ? identity : ([x]) => tf.softmax(x)),
  MaxPooling2D: (ctx) => pooling2d(ctx, 'max'),
  AveragePooling2D: (ctx) => pooling2d(ctx, 'avg'),
  GlobalAveragePooling2D: (ctx) => globalPooling2d(ctx, 'avg'),
  GlobalMaxPooling2D: (ctx) => globalPooling2d(ctx, 'max'),
  Flatten: () => flatten(),
  Reshape: reshape,
  Dropout: () => identity,
  SpatialDropout2D: () => identity,
  GaussianNoise: () => identity,
  ZeroPadding2D: zeroPadding2d,
  Rescaling: rescaling,
  Add: add,
  Multiply: multiply,
  Permute: permute,
  Concatenate: concatenate,
};

export const supportedLayerClasses = Object.keys(compilers);

/**
 * Compiles one layer. `dropActivation` strips a trailing softmax so the executor ends at the logits
 * (METHODS §0: the logit node is pre-softmax). `fused = false` compiles for gradient runs.
 */
export function compileLayer(ctx: LayerContext, dropActivation = false, fused = true): CompiledLayer {
  const compiler = compilers[ctx.spec.className];
  if (!compiler) {
    throw ctx.error(`is not supported; supported layers: ${supportedLayerClasses.join(', ')}`);
  }
  const result = compiler(ctx, dropActivation, fused);
  return typeof result === 'function' ? { fn: result, owned: [] } : result;
}
