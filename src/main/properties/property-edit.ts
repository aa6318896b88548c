/**
 * A property edit: a documented parametric function x_t = edit(x, t) of the strength t ∈ [0, 1]
 * with edit(x, 0) = x (METHODS §5). Each kind declares its parameters (with defaults) so that the
 * CLI, the app's picker and the cache key all read the same description.
 */
import type { HwcImage } from './hwc-image.js';

export type ParamValue = number | string;

export interface ParamSpec {
  name: string;
  type: 'number' | 'color' | 'choice';
  default: ParamValue;
  description: string;
  min?: number;
  max?: number;
  integer?: boolean;
  choices?: string[];
}

/** x_t for one prepared image; t ∈ [0, 1]. */
export type FrameAt = (t: number) => Float32Array;

export interface EditKind {
  name: string;
  /** One sentence: what t does (shown in the CLI help, the README and the app). */
  description: string;
  params: ParamSpec[];
  /**
   * Prepares the edit of one image (per-image constants, a seeded noise field…) and returns x_t.
   * `seed` is per image, so a sequence is reproducible and its frames share one noise field.
   */
  prepare(image: HwcImage, params: Record<string, ParamValue>, seed: number): FrameAt;
}

/** An edit kind with its parameters resolved; `spec` names it canonically (non-default params only). */
export interface PropertyEdit {
  kind: EditKind;
  params: Record<string, ParamValue>;
  spec: string;
}

export function prepareEdit(edit: PropertyEdit, image: HwcImage, seed: number): FrameAt {
  const frame = edit.kind.prepare(image, edit.params, seed);
  return (t: number) => {
    if (!(t >= 0 && t <= 1)) throw new Error(`property ${edit.spec}: strength t must be in [0, 1], got ${t}`);
    return frame(t);
  };
}

/** `rrggbb` (or `#rrggbb`) → [r, g, b] on 0–255. */
export function parseColor(text: string): [number, number, number] {
  const hex = text.replace(/^#/, '');
  if (!/^[0-9a-f]{6}$/i.test(hex)) throw new Error(`colour must be rrggbb hex (e.g. ff00ff), got "${text}"`);
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}
