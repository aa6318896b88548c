/**
 * The built-in property edits by name, and the spec syntax that picks one with its parameters:
 * `name` or `name:key=value:key=value` (e.g. `blur:sigma=3`, `patch:color=00ff00:at=tl`). The
 * canonical spec lists only non-default parameters, in declaration order, so equal edits share
 * one cache key.
 */
import { blur } from './blur-edit.js';
import { hue } from './hue-edit.js';
import { noise } from './noise-edit.js';
import { patch } from './patch-edit.js';
import { type EditKind, type ParamSpec, type ParamValue, type PropertyEdit, parseColor } from './property-edit.js';
import { rotation } from './rotation-edit.js';
import { brightness, contrast, saturation } from './tone-edits.js';

export const EDIT_KINDS: readonly EditKind[] = [brightness, contrast, saturation, hue, blur, noise, patch, rotation];

export function editKind(name: string): EditKind {
  const kind = EDIT_KINDS.find((k) => k.name === name);
  if (!kind) throw new Error(`unknown property "${name}"; known: ${EDIT_KINDS.map((k) => k.name).join(', ')}`);
  return kind;
}

function parseValue(spec: ParamSpec, text: string, where: string): ParamValue {
  if (spec.type === 'color') {
    parseColor(text);
    return text.replace(/^#/, '').toLowerCase();
  }
  if (spec.type === 'choice') {
    if (!spec.choices!.includes(text)) throw new Error(`${where}: ${spec.name} must be one of ${spec.choices!.join(', ')}, got "${text}"`);
    return text;
  }
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`${where}: ${spec.name} must be a number, got "${text}"`);
  if (spec.integer && !Number.isInteger(value)) throw new Error(`${where}: ${spec.name} must be an integer, got ${text}`);
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    throw new Error(`${where}: ${spec.name} must be in [${spec.min}, ${spec.max}], got ${text}`);
  }
  return value;
}

/** Parses `name[:key=value…]` into a resolved edit; errors name the spec and the bad part. */
export function parsePropertySpec(text: string): PropertyEdit {
  const [name, ...parts] = text.trim().split(':');
  const kind = editKind(name);
  const params: Record<string, ParamValue> = Object.fromEntries(kind.params.map((p) => [p.name, p.default]));
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const spec = kind.params.find((p) => p.name === key);
    if (eq < 0 || !spec) {
      throw new Error(`property "${text}": "${part}" is not key=value with key one of ${kind.params.map((p) => p.name).join(', ')}`);
    }
    params[key] = parseValue(spec, part.slice(eq + 1), `property "${text}"`);
  }
  const changed = kind.params.filter((p) => params[p.name] !== p.default).map((p) => `${p.name}=${params[p.name]}`);
  return { kind, params, spec: [kind.name, ...changed].join(':') };
}

/** What the app's picker and the CLI help show. */
export function describeEditKinds(): { name: string; description: string; params: ParamSpec[] }[] {
  return EDIT_KINDS.map(({ name, description, params }) => ({ name, description, params: params.map((p) => ({ ...p })) }));
}
