/**
 * Grad-CAM (Selvaraju et al. 2017) on a node layer, from the engine's gradients of the class logit:
 * w_k = mean_{h,w} ∂y_c/∂A_k, map = ReLU(Σ_k w_k·A_k) at the layer's resolution. For comparison with
 * a CE map it is upsampled bilinearly to the input size (half-pixel centres, as cv2.resize) and
 * averaged over each grid cell.
 */
import { resizeBilinear } from '../data/resize-bilinear.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import { checkpoint } from '../util/progress.js';
import { cellMeans, type Grid } from './grid.js';

export interface GradCam {
  /** w_k per channel of the layer. */
  weights: Float64Array;
  /** ReLU(Σ_k w_k A_k), [height, width] row-major at the layer's resolution. */
  map: Float64Array;
  height: number;
  width: number;
  /** The map on the g×g grid. */
  grid: Float64Array;
}

/** Weights and map from one image's activation and gradient, both [h, w, K] row-major. */
export function gradCamFromGradients(activation: ArrayLike<number>, gradient: ArrayLike<number>, [h, w, k]: number[]) {
  const weights = new Float64Array(k);
  for (let p = 0; p < h * w; p++) for (let c = 0; c < k; c++) weights[c] += gradient[p * k + c] / (h * w);
  const map = new Float64Array(h * w);
  for (let p = 0; p < h * w; p++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += weights[c] * activation[p * k + c];
    map[p] = Math.max(0, s);
  }
  return { weights, map };
}

/** A layer-resolution map → the g×g grid of the input. */
export function camToGrid(map: ArrayLike<number>, height: number, width: number, grid: Grid): Float64Array {
  return cellMeans(resizeBilinear(map, height, width, 1, grid.height, grid.width), grid);
}

/** The spatial node layer Grad-CAM uses by default: the last one before the logits. */
export function defaultCamLayer(model: LoadedModel): string {
  const spatial = model.nodeLayers.filter((l) => l.shape.length === 3);
  if (spatial.length === 0) throw new Error('the model has no convolutional node layer for Grad-CAM');
  return spatial[spatial.length - 1].name;
}

export function requireSpatialLayer(model: LoadedModel, layer: string): number[] {
  const node = model.nodeLayers.find((l) => l.name === layer);
  if (!node) throw new RangeError(`no node layer named ${layer}; node layers: ${model.nodeLayers.map((l) => l.name).join(', ')}`);
  if (node.shape.length !== 3) throw new RangeError(`node layer ${layer} has no spatial map (shape [${node.shape.join(', ')}]); choose a convolutional one`);
  return node.shape;
}

/** Grad-CAM of each image for class classes[i] on node layer `layer`. */
export async function gradCams(
  model: LoadedModel,
  images: Float32Array,
  n: number,
  layer: string,
  classes: ArrayLike<number>,
  grid: Grid,
  maxBatch = 32,
  signal?: AbortSignal,
): Promise<GradCam[]> {
  const shape = requireSpatialLayer(model, layer);
  const [h, w] = shape;
  const size = images.length / n;
  const per = shape.reduce((a, b) => a * b, 1);
  const out: GradCam[] = [];
  for (let start = 0; start < n; start += maxBatch) {
    const count = Math.min(maxBatch, n - start);
    const targets = Array.from({ length: count }, (_, j) => classes[start + j]);
    const g = await model.gradients(images.subarray(start * size, (start + count) * size), count, { objective: 'logit', targets, layers: [layer] });
    const { activation, gradient } = g.layers[layer];
    for (let j = 0; j < count; j++) {
      const cam = gradCamFromGradients(activation.subarray(j * per, (j + 1) * per), gradient.subarray(j * per, (j + 1) * per), shape);
      out.push({ ...cam, height: h, width: w, grid: camToGrid(cam.map, h, w, grid) });
    }
    await checkpoint(signal);
  }
  return out;
}
