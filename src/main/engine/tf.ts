/**
 * The one place that imports TensorFlow.js core. Other engine files import `tf` from here so the
 * backend registration (cpu, wasm, optional native) happens exactly once.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export { tf };
export type Tensor = tf.Tensor;
