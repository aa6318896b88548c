/**
 * The one door into the services for every transport: checks that the method exists and that its
 * arguments match the contract's schema before any handler sees them, and turns any failure into
 * an ApiError (code + one readable line).
 */
import { type ApiHandlers, argsSchemas, type MethodName } from '../../shared/contract.js';
import { ApiError } from '../../shared/errors.js';
import { toApiError } from './service-errors.js';

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(argsSchemas, name);
}

/** Validated arguments for `name`, or an 'invalid-args' ApiError naming each problem. */
export function parseArgs(name: MethodName, args: unknown): unknown {
  const checked = argsSchemas[name].safeParse(args);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'arguments'}: ${i.message}`).join('; ');
    throw new ApiError('invalid-args', `${name}: ${problems}`);
  }
  return checked.data;
}

export async function dispatch(handlers: ApiHandlers, name: string, args: unknown): Promise<unknown> {
  if (!isMethodName(name)) throw new ApiError('unknown-method', `no API method named "${name.slice(0, 100)}"`);
  const parsed = parseArgs(name, args);
  try {
    return await (handlers[name] as (a: unknown) => Promise<unknown>)(parsed);
  } catch (error) {
    throw toApiError(error);
  }
}
