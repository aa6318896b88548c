/**
 * Text to the values a zod schema wants, led by the schema's own field types: the CLI's flags and the
 * app's free-text settings (regressor options) read text the same way. Only coercion happens here;
 * limits and defaults stay the schema's. Errors are RangeErrors naming the field.
 */
import type { z } from 'zod';

type AnyObject = z.ZodObject<z.ZodRawShape>;

/** The field's own type, under optional() and default(). */
function unwrap(field: z.ZodType): z.ZodType {
  let type = field;
  while (type.def.type === 'optional' || type.def.type === 'default') type = (type.def as unknown as { innerType: z.ZodType }).innerType;
  return type;
}

/** A number, or a fraction written a/b (so `1/255` works). */
export function numberFromText(text: string, name: string): number {
  const parts = text.split('/');
  const value = parts.length === 2 ? Number(parts[0]) / Number(parts[1]) : Number(text);
  if (parts.length > 2 || text.trim() === '' || !Number.isFinite(value)) throw new RangeError(`${name} must be a number (or a/b), got "${text}"`);
  return value;
}

/** One value's text as the field's type wants it. */
export function valueFromText(field: z.ZodType, text: string, name: string): unknown {
  const type = unwrap(field);
  switch (type.def.type) {
    case 'number':
      return numberFromText(text, name);
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new RangeError(`${name} must be true or false, got "${text}"`);
      return text === 'true';
    case 'array':
      return text.split(/[;,]/).map((part) => valueFromText((type.def as unknown as { element: z.ZodType }).element, part.trim(), name));
    case 'union':
      // 'sqrt' or a count: a number when it reads as one.
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'object':
      return objectFromText(type as AnyObject, text, name);
    default:
      return text;
  }
}

/** `key=value, key=value` as an object of the schema's fields (a list value is written a;b;c). */
export function objectFromText(schema: AnyObject, text: string, name: string): Record<string, unknown> {
  const shape = schema.shape;
  const out: Record<string, unknown> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value, ...extra] = pair.split('=').map((p) => p.trim());
    if (value === undefined || extra.length > 0 || !key) throw new RangeError(`${name} takes key=value pairs separated by commas, got "${pair}"`);
    if (!Object.prototype.hasOwnProperty.call(shape, key)) throw new RangeError(`${name}: unknown option "${key}" (known: ${Object.keys(shape).join(', ')})`);
    out[key] = valueFromText(shape[key] as z.ZodType, value, `${name} ${key}`);
  }
  return out;
}
