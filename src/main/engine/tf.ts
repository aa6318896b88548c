/**
 * The one place that imports TensorFlow.js core. Other engine files import `tf` from here so the
 * backend registration (cpu, wasm, optional native) happens exactly once.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export { tf };

let gradientsRegistered = false;

/**
 * Registers tfjs's gradient functions (once, on first use). tfjs-core's CommonJS build leaves them
 * out and its ESM build cannot load under plain Node, so they come from the @tensorflow/tfjs bundle,
 * which registers them in tfjs's global registry, the same way tfjs-node gets them.
 */
export function ensureGradients(): void {
  if (gradientsRegistered) return;
  createRequire(import.meta.url)('@tensorflow/tfjs');
  gradientsRegistered = true;
}
export type Tensor = tf.Tensor;
