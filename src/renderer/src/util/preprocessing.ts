/** The usual ways a CNN's inputs are scaled, and a preprocessing written as people read it. */
import type { PreprocessingDto } from '../../../shared/dto.js';

export const preprocessingPresets: { label: string; pre: PreprocessingDto }[] = [
  { label: 'x / 255 (inputs in 0–1)', pre: { scale: 1 / 255 } },
  { label: 'raw pixels (0–255)', pre: { scale: 1 } },
  { label: 'inputs in −1…1', pre: { scale: 1 / 127.5, mean: [1, 1, 1] } },
  { label: 'ImageNet mean/std', pre: { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } },
];

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const sameList = (a: number[] | undefined, b: number[] | undefined) => (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => near(v, b![i]));

/** The preset `pre` is (its scale, mean and std), or -1. */
export function presetIndex(pre: PreprocessingDto): number {
  return preprocessingPresets.findIndex((p) => near(p.pre.scale, pre.scale) && sameList(p.pre.mean, pre.mean) && sameList(p.pre.std, pre.std));
}

function scaleText(scale: number): string {
  if (near(scale, 1)) return '×1 (raw 0–255)';
  const inverse = 1 / scale;
  return Math.abs(inverse - Math.round(inverse)) < 1e-6 ? `÷${Math.round(inverse)}` : `×${+scale.toPrecision(4)}`;
}

/** "÷255, mean 0.485, 0.456, 0.406, std 0.229, 0.224, 0.225, resize 32×32". */
export function describePreprocessing(pre: PreprocessingDto): string {
  const parts = [`pixels ${scaleText(pre.scale)}`];
  if (pre.mean?.length) parts.push(`minus mean ${pre.mean.map((v) => +v.toPrecision(4)).join(', ')}`);
  if (pre.std?.length) parts.push(`over std ${pre.std.map((v) => +v.toPrecision(4)).join(', ')}`);
  if (pre.channels) parts.push(pre.channels === 1 ? 'as grayscale' : 'as RGB');
  if (pre.resize) parts.push(`resized to ${pre.resize[0]}×${pre.resize[1]}`);
  return parts.join(', ');
}
