/**
 * How a feature declares its part of the contract: each method once, with its zod argument schema
 * (defaults and limits) and its result type; each pushed event once, with its payload type. The
 * contract, the transports (IPC, WebSocket, preload, renderer bridge) and the services' handler type
 * are all derived from these declarations (see contract.ts).
 */
import type { z } from 'zod';

/** One method: the schema its arguments must match, and (as a type only) what it resolves to. */
export interface MethodDeclaration<S extends z.ZodTypeAny = z.ZodTypeAny, R = unknown> {
  readonly args: S;
  /** Never set: carries the result type. */
  readonly result?: R;
}

/** `method<Result>()(argsSchema)`: the result type is given, the schema's type inferred. */
export function method<R>() {
  return <S extends z.ZodTypeAny>(args: S): MethodDeclaration<S, R> => ({ args });
}

/** One pushed event (its payload as a type only). */
export interface EventDeclaration<P = unknown> {
  /** Never set: carries the payload type. */
  readonly payload?: P;
}

export function event<P>(): EventDeclaration<P> {
  return {};
}

export type ResultOf<D> = D extends MethodDeclaration<z.ZodTypeAny, infer R> ? R : never;
export type PayloadOf<D> = D extends EventDeclaration<infer P> ? P : never;
