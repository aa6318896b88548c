/** Keras activation names → TensorFlow.js ops. */
import { tf, type Tensor } from '../tf.js';

type Activation = (x: Tensor) => Tensor;

const activations: Record<string, Activation> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  sigmoid: (x) => tf.sigmoid(x),
  hard_sigmoid: (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
  tanh: (x) => tf.tanh(x),
  softmax: (x) => tf.softmax(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  exponential: (x) => tf.exp(x),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  // Keras 3 names; ONNX HardSwish: x·relu6(x + 3)/6
  hard_silu: (x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)),
  hard_swish: (x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)),
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1)),
};

/** The fused activations TensorFlow.js kernels take directly (faster than a separate op). */
export const fusedActivations = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid']);

export function activationByName(name: string): Activation | undefined {
  return activations[name];
}

export const activationNames = Object.keys(activations);
