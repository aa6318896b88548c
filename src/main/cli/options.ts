/** Parsing of the option values the commands share (numbers, lists, preprocessing flags). */
import type { Preprocessing } from '../data/preprocessing.js';
import { numberFromText } from '../../shared/schema-text.js';
import { UsageError } from './cli-error.js';

export type Flags = Record<string, string | boolean | undefined>;

export function requireString(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function optionalString(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A number, or a fraction written a/b (so `--scale 1/255` works). */
export function parseNumber(text: string, name: string): number {
  try {
    return numberFromText(text, `--${name}`);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function optionalNumber(flags: Flags, name: string): number | undefined {
  const v = optionalString(flags, name);
  return v === undefined ? undefined : parseNumber(v, name);
}

export function optionalInteger(flags: Flags, name: string, min = 1): number | undefined {
  const v = optionalNumber(flags, name);
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new UsageError(`--${name} must be an integer ≥ ${min}`);
  return v;
}

export function numberList(text: string, name: string): number[] {
  return text.split(',').map((part) => parseNumber(part.trim(), name));
}

/** --scale (default 1/255), --mean R,G,B, --std R,G,B, --resize H,W. */
export function preprocessingFrom(flags: Flags): Preprocessing {
  const mean = optionalString(flags, 'mean');
  const std = optionalString(flags, 'std');
  const resize = optionalString(flags, 'resize');
  const pre: Preprocessing = { scale: optionalNumber(flags, 'scale') ?? 1 / 255 };
  if (mean) pre.mean = numberList(mean, 'mean');
  if (std) {
    pre.std = numberList(std, 'std');
    if (pre.std.some((s) => s === 0)) throw new UsageError('--std values must not be 0');
  }
  if (resize) {
    const [h, w] = numberList(resize, 'resize');
    if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) throw new UsageError('--resize must be H,W');
    pre.resize = [h, w];
  }
  return pre;
}
