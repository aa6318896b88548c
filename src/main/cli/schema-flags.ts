/**
 * CLI flags derived from a zod object schema (the same one the app validates with): a field
 * `augmentImages` is the flag `--augment-images`; numbers accept a/b, a nested object is written
 * `key=value,key=value` (`--regressor-options alpha=0.5,nTrees=100`). Limits and defaults stay the
 * schema's, so the CLI and the app accept exactly the same settings.
 */
import type { z } from 'zod';
import { valueFromText } from '../../shared/schema-text.js';
import { UsageError } from './cli-error.js';
import { type Flags, optionalString } from './options.js';

type AnyObject = z.ZodObject<z.ZodRawShape>;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The schema's field names as flags. */
export function flagsOf(schema: AnyObject): string[] {
  return Object.keys(schema.shape).map(kebab);
}

/**
 * The schema's value from the flags given (over `base`), parsed with its defaults and limits; a
 * value out of bounds is a UsageError naming its flag.
 */
export function parseFlags<S extends AnyObject>(schema: S, flags: Flags, base: Record<string, unknown> = {}): z.output<S> {
  const input: Record<string, unknown> = { ...base };
  for (const [name, field] of Object.entries(schema.shape)) {
    const text = optionalString(flags, kebab(name));
    if (text === undefined) continue;
    try {
      input[name] = valueFromText(field as z.ZodType, text, `--${kebab(name)}`);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => flagProblem(issue, input)).join('; '));
  return parsed.data;
}

/** One schema issue in the CLI's words: the flag, then what is wrong with it. */
function flagProblem(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const flag = `--${issue.path.map((p) => kebab(String(p))).join(' ')}`;
  if (issue.path.length === 1 && input[String(issue.path[0])] === undefined) return `${flag} is required`;
  if (issue.code === 'invalid_value') return `${flag} must be one of ${issue.values.map(String).join(', ')}`;
  return `${flag}: ${issue.message}`;
}
