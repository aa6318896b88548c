/**
 * The rows the SCM is fitted on (METHODS §1), batch by batch so a build can store each batch as it
 * comes and resume after a crash:
 * - observational: φ of every node layer for each image;
 * - intervention-augmented: for one node layer l, zero a seeded random share (≥ 1) of l's channels
 *   per image and record φ of l (zeroed channels read 0) and of every downstream layer. The prefix up
 *   to l runs once per batch; only the suffix is re-run under the masks.
 */
import type { Dataset } from '../data/dataset.js';
import { modelBatches } from '../data/model-batches.js';
import type { Preprocessing } from '../data/preprocessing.js';
import { mulberry32 } from '../data/seeded-random.js';
import type { Intervention } from '../engine/interventions.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import type { TensorPhiKind } from '../engine/phi.js';
import { checkpoint } from '../util/progress.js';
import { assertFinitePhi } from './finite-phi.js';

export interface PhiBatch {
  batchIndex: number;
  indices: number[];
  labels: Int32Array;
  /** φ per node layer, [n, C] row-major. */
  layers: Record<string, Float32Array>;
  /** Augmented batches: the zeroed channels of each row. */
  masks?: number[][];
}

export interface ExtractionOptions {
  batchSize: number;
  /** Batches already stored (resume). */
  skip?: ReadonlySet<number>;
  signal?: AbortSignal;
}

function targetShape(model: LoadedModel) {
  const [height, width, channels] = model.inputShape;
  return { height, width, channels };
}

export async function* observationalPhi(
  model: LoadedModel,
  dataset: Dataset,
  indices: number[],
  pre: Preprocessing,
  kind: TensorPhiKind,
  options: ExtractionOptions,
): AsyncGenerator<PhiBatch> {
  for await (const batch of modelBatches(dataset, indices, options.batchSize, pre, targetShape(model), options.skip)) {
    await checkpoint(options.signal, 'φ extraction');
    const out = await model.forward(batch.input, batch.n, { phi: { kinds: [kind] } });
    const layers: Record<string, Float32Array> = {};
    for (const [layer, phi] of Object.entries(out.phi)) layers[layer] = phi[kind]!;
    assertFinitePhi(layers, batch.indices, `observational ${kind}`);
    yield { batchIndex: batch.batchIndex, indices: batch.indices, labels: batch.labels, layers };
  }
}

/** The channels zeroed for one image: a function of (seed, layer, image) alone, so batching does not matter. */
export function augmentationMask(seed: number, layerIndex: number, imageIndex: number, channels: number, fraction: number): number[] {
  const count = Math.min(channels, Math.max(1, Math.round(fraction * channels)));
  const rng = mulberry32((seed * 1_000_003 + layerIndex * 7919 + imageIndex * 2_654_435_761) >>> 0);
  const order = Array.from({ length: channels }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng() * (channels - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count).sort((a, b) => a - b);
}

export async function* augmentedPhi(
  model: LoadedModel,
  dataset: Dataset,
  indices: number[],
  pre: Preprocessing,
  kind: TensorPhiKind,
  layer: string,
  settings: { fraction: number; seed: number },
  options: ExtractionOptions,
): AsyncGenerator<PhiBatch> {
  const layerIndex = model.nodeLayers.findIndex((l) => l.name === layer);
  const channels = model.nodeLayers[layerIndex].channels;
  for await (const batch of modelBatches(dataset, indices, options.batchSize, pre, targetShape(model), options.skip)) {
    await checkpoint(options.signal, 'augmentation');
    const masks = batch.indices.map((image) => augmentationMask(settings.seed, layerIndex, image, channels, settings.fraction));
    const perSample: Intervention[][] = masks.map((channelsToZero) => [{ layer, channels: channelsToZero, kind: 'zero' }]);
    const frontier = await model.captureFrontier(batch.input, batch.n, layer);
    try {
      const out = await model.forwardFromFrontier(frontier, { interventions: { perSample }, phi: { kinds: [kind] } });
      const layers: Record<string, Float32Array> = {};
      for (const [name, phi] of Object.entries(out.phi)) layers[name] = phi[kind]!;
      assertFinitePhi(layers, batch.indices, `${kind} with channels of ${layer} zeroed`);
      yield { batchIndex: batch.batchIndex, indices: batch.indices, labels: batch.labels, layers, masks };
    } finally {
      frontier.dispose();
    }
  }
}
