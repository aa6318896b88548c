/**
 * A loaded model in a format-neutral form: the Keras-style layer graph and its weights.
 * Every loader (TensorFlow.js LayersModel, Keras .h5, Keras v3 .keras, ONNX) produces this; the
 * executor (graph-model.ts) runs it with TensorFlow.js ops. Keeping this plain data is what lets
 * another engine (ONNX Runtime, say) implement the same interface later.
 */

/** One weight array of a layer, named by its Keras short name (kernel, bias, gamma, ...). */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface LayerSpec {
  name: string;
  /** Keras class name as written in the file, e.g. 'Conv2D', 'BatchNormalization', 'Add'. */
  className: string;
  /** The layer's Keras config, keys as in the file (snake_case). */
  config: Record<string, unknown>;
  /** Names of the layers whose outputs feed this one, in call order; [] for the input layer. */
  inbound: string[];
  /**
   * Weights in Keras order: Conv2D/Dense kernel, bias; BatchNormalization gamma, beta, moving_mean,
   * moving_variance (those present per center/scale); DepthwiseConv2D depthwise_kernel, bias;
   * SeparableConv2D depthwise_kernel, pointwise_kernel, bias.
   */
  weights: NamedWeight[];
}

export type ModelFormat = 'tfjs-layers' | 'keras-h5' | 'keras-v3' | 'onnx';

export interface ModelSpec {
  /** Model name from the file, or the file's base name. */
  name: string;
  format: ModelFormat;
  /** Keras version that wrote the file, when recorded. */
  kerasVersion?: string;
  /** What wrote the file when it is not Keras, e.g. "pytorch 1.13.1, ONNX opset 13". */
  producer?: string;
  /** Absolute path of the file the model was read from. */
  source: string;
  /** Input shape without the batch dimension, channels last: [H, W, C]. */
  inputShape: number[];
  inputLayer: string;
  outputLayer: string;
  /** All layers in a topological order (inputs first). */
  layers: LayerSpec[];
}

/** A model file that cannot be read or uses something we do not support; the message names the file. */
export class ModelLoadError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ModelLoadError';
  }
}

/** Every layer `name` depends on (itself included): what a pass to `name` must run. */
export function specAncestors(spec: ModelSpec, name: string): Set<string> {
  const byName = new Map(spec.layers.map((l) => [l.name, l]));
  const seen = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(byName.get(n)?.inbound ?? []));
  }
  return seen;
}
