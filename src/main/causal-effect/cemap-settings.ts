/** Settings of a CE-map run and of an attack, with defaults and validation in one place. */
import type { LoadedModel } from '../engine/loaded-model.js';
import { ATTACK_KINDS, type AttackKind } from './attacks.js';
import { FILL_KINDS, type FillKind } from './fills.js';
import { defaultCamLayer, requireSpatialLayer } from './grad-cam.js';

export interface CemapRequest {
  /** How many images (a stratified, seeded sample of the dataset); default 100. */
  images?: number;
  /** Grid size g (g×g cells); default 8. */
  grid?: number;
  fill?: FillKind;
  /** Node layer for Grad-CAM and feature-level CE; default the last convolutional one. */
  layer?: string;
  /** Seed of the image sample and of PGD's random start; default 0. */
  seed?: number;
}

export interface CemapSettings {
  images: number;
  grid: number;
  fill: FillKind;
  layer: string;
  seed: number;
}

export interface AttackRequest {
  attack: AttackKind;
  /** ε in 0–255 units of the input range: 8 means 8/255 of it. */
  eps: number;
  /** PGD steps (default 10). */
  steps?: number;
}

export interface AttackSettings {
  attack: AttackKind;
  eps: number;
  /** ε as a fraction of the input range (eps/255). */
  epsilon: number;
  /** 1 for FGSM. */
  steps: number;
  /** PGD step size as a fraction of ε (1/4); 1 for FGSM. */
  stepFraction: number;
}

export function resolveCemapSettings(model: LoadedModel, datasetCount: number, request: CemapRequest = {}): CemapSettings {
  const [h, w] = model.inputShape;
  const images = request.images ?? Math.min(100, datasetCount);
  if (!Number.isInteger(images) || images < 1) throw new RangeError(`images must be a positive integer, got ${images}`);
  if (images > datasetCount) throw new RangeError(`the dataset has ${datasetCount} images; ${images} were asked for`);
  const grid = request.grid ?? 8;
  if (!Number.isInteger(grid) || grid < 2 || grid > Math.min(h, w)) {
    throw new RangeError(`grid must be an integer from 2 to ${Math.min(h, w)} for ${h}×${w} inputs, got ${grid}`);
  }
  const fill = request.fill ?? 'zero';
  if (!FILL_KINDS.includes(fill)) throw new RangeError(`fill must be one of ${FILL_KINDS.join(', ')}, got ${String(fill)}`);
  const layer = request.layer ?? defaultCamLayer(model);
  requireSpatialLayer(model, layer);
  const seed = request.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  return { images, grid, fill, layer, seed };
}

export function resolveAttackSettings(request: AttackRequest): AttackSettings {
  if (!ATTACK_KINDS.includes(request.attack)) throw new RangeError(`attack must be one of ${ATTACK_KINDS.join(', ')}, got ${String(request.attack)}`);
  if (!Number.isFinite(request.eps) || request.eps <= 0 || request.eps > 255) throw new RangeError(`eps must be in (0, 255] (units of 1/255 of the input range), got ${request.eps}`);
  const pgd = request.attack === 'pgd';
  const steps = pgd ? (request.steps ?? 10) : 1;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  return { attack: request.attack, eps: request.eps, epsilon: request.eps / 255, steps, stepFraction: pgd ? 0.25 : 1 };
}
