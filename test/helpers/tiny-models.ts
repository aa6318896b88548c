/** Hand-built ModelSpecs with seeded random weights, for engine tests that need exact control. */
import type { LayerSpec, ModelSpec, NamedWeight } from '../../src/main/engine/model-spec.js';

export function seededValues(seed: number, n: number, scale = 0.5): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

export function weight(name: string, shape: number[], seed: number, scale = 0.5): NamedWeight {
  return { name, shape, values: seededValues(seed, shape.reduce((a, b) => a * b, 1), scale) };
}

export function layer(
  name: string,
  className: string,
  inbound: string[],
  config: Record<string, unknown> = {},
  weights: NamedWeight[] = [],
): LayerSpec {
  return { name, className, inbound, config: { name, ...config }, weights };
}

export function model(layers: LayerSpec[], inputShape: number[], name = 'tiny'): ModelSpec {
  return {
    name,
    format: 'tfjs-layers',
    source: `<${name}>`,
    inputShape,
    inputLayer: layers[0].name,
    outputLayer: layers[layers.length - 1].name,
    layers,
  };
}

/**
 * input 6×6×2 → convA 3×3 valid (4 ch, relu) → convB 3×3 valid (3 ch, linear) → GAP → dense (5).
 * Nothing lies between convA's output and convB, so an intervention on convA's channel k equals an
 * edit of convB's kernel slice for input channel k.
 */
export function twoConvChain(overrides: { convBKernel?: Float32Array; convBBias?: Float32Array } = {}): ModelSpec {
  const kernelB = weight('kernel', [3, 3, 4, 3], 12);
  const biasB = weight('bias', [3], 13);
  if (overrides.convBKernel) kernelB.values = overrides.convBKernel;
  if (overrides.convBBias) biasB.values = overrides.convBBias;
  return model(
    [
      layer('input', 'InputLayer', [], { batch_input_shape: [null, 6, 6, 2] }),
      layer('convA', 'Conv2D', ['input'], { filters: 4, kernel_size: [3, 3], padding: 'valid', activation: 'relu' }, [
        weight('kernel', [3, 3, 2, 4], 10),
        weight('bias', [4], 11),
      ]),
      layer('convB', 'Conv2D', ['convA'], { filters: 3, kernel_size: [3, 3], padding: 'valid', activation: 'linear' }, [
        kernelB,
        biasB,
      ]),
      layer('gap', 'GlobalAveragePooling2D', ['convB']),
      layer('dense', 'Dense', ['gap'], { units: 5, activation: 'softmax' }, [
        weight('kernel', [3, 5], 14),
        weight('bias', [5], 15),
      ]),
    ],
    [6, 6, 2],
  );
}

/**
 * A residual block with BatchNorm: stem conv → BN → relu; branch conv → BN; Add(stem, branch) → relu;
 * GAP → dense. Exercises node layers after BN/activation and frontiers that bypass a layer.
 */
export function residualBlock(): ModelSpec {
  const bn = (name: string, inbound: string, c: number, seed: number): LayerSpec =>
    layer(name, 'BatchNormalization', [inbound], { epsilon: 1e-3, axis: -1 }, [
      weight('gamma', [c], seed, 1),
      weight('beta', [c], seed + 1),
      weight('moving_mean', [c], seed + 2),
      { name: 'moving_variance', shape: [c], values: seededValues(seed + 3, c).map((v) => 1 + Math.abs(v)) },
    ]);
  return model(
    [
      layer('input', 'InputLayer', [], { batch_input_shape: [null, 8, 8, 3] }),
      layer('stem', 'Conv2D', ['input'], { filters: 4, kernel_size: [3, 3], padding: 'same', use_bias: false }, [
        weight('kernel', [3, 3, 3, 4], 20),
      ]),
      bn('stem_bn', 'stem', 4, 21),
      layer('stem_relu', 'Activation', ['stem_bn'], { activation: 'relu' }),
      layer('branch', 'Conv2D', ['stem_relu'], { filters: 4, kernel_size: [3, 3], padding: 'same', use_bias: false }, [
        weight('kernel', [3, 3, 4, 4], 30),
      ]),
      bn('branch_bn', 'branch', 4, 31),
      layer('add', 'Add', ['stem_relu', 'branch_bn']),
      layer('add_relu', 'Activation', ['add'], { activation: 'relu' }),
      layer('pool', 'MaxPooling2D', ['add_relu'], { pool_size: [2, 2], strides: [2, 2], padding: 'valid' }),
      layer('drop', 'Dropout', ['pool'], { rate: 0.5 }),
      layer('gap', 'GlobalAveragePooling2D', ['drop']),
      layer('logits', 'Dense', ['gap'], { units: 3, activation: 'linear' }, [
        weight('kernel', [4, 3], 40),
        weight('bias', [3], 41),
      ]),
      layer('probs', 'Activation', ['logits'], { activation: 'softmax' }),
    ],
    [8, 8, 3],
  );
}
