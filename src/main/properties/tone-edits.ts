/**
 * Brightness, contrast and saturation: pointwise edits, linear in t before clipping to [0, 255].
 */
import { type HwcImage, luminance, mapValues } from './hwc-image.js';
import type { EditKind } from './property-edit.js';

/** x_t = clip(x + 255·amount·t): brightens (amount > 0) or darkens (amount < 0) every value. */
export const brightness: EditKind = {
  name: 'brightness',
  description: 'adds 255·amount·t to every value (amount < 0 darkens)',
  params: [{ name: 'amount', type: 'number', default: 0.8, min: -1, max: 1, description: 'shift at t = 1, as a fraction of 255' }],
  prepare: (image, params) => {
    const shift = 255 * (params.amount as number);
    return (t) => mapValues(image, (v) => v + shift * t);
  },
};

/**
 * x_t = clip(μ + (1 − amount·t)·(x − μ)), μ the image's mean luminance (as PIL/torchvision):
 * amount = 1 fades to a flat gray of the image's mean at t = 1; amount < 0 raises the contrast.
 */
export const contrast: EditKind = {
  name: 'contrast',
  description: 'scales every value about the mean luminance by 1 − amount·t (amount 1: flat gray at t = 1)',
  params: [{ name: 'amount', type: 'number', default: 1, min: -4, max: 1, description: 'contrast removed at t = 1 (negative adds contrast)' }],
  prepare: (image, params) => {
    const luma = luminance(image);
    let mu = 0;
    for (let p = 0; p < luma.length; p++) mu += luma[p];
    mu /= luma.length;
    const amount = params.amount as number;
    return (t) => {
      const factor = 1 - amount * t;
      return mapValues(image, (v) => mu + factor * (v - mu));
    };
  },
};

/**
 * x_t = clip(g + (1 − amount·t)·(x − g)), g the pixel's own luminance: amount = 1 fades to gray at
 * t = 1; amount < 0 saturates. A gray image is unchanged.
 */
export const saturation: EditKind = {
  name: 'saturation',
  description: "scales each pixel's colour about its luminance by 1 − amount·t (amount 1: grayscale at t = 1)",
  params: [{ name: 'amount', type: 'number', default: 1, min: -4, max: 1, description: 'saturation removed at t = 1 (negative adds saturation)' }],
  prepare: (image: HwcImage, params) => {
    const luma = luminance(image);
    const amount = params.amount as number;
    const c = image.channels;
    return (t) => {
      const factor = 1 - amount * t;
      return mapValues(image, (v, i) => {
        const g = luma[(i / c) | 0];
        return g + factor * (v - g);
      });
    };
  },
};
