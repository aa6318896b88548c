/**
 * Builds a `CausewayApi` from two primitives a transport provides: `call(name, args)` and
 * `subscribe(event, listener)`, one function per method of the contract's `methodNames` (the preload
 * does the same on its side of the bridge).
 */
import { type CausewayApi, type EventName, type Events, type MethodName, methodNames } from '../../../shared/contract.js';

export type Caller = (name: MethodName, args: unknown) => Promise<unknown>;
export type Subscriber = <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => () => void;

export function bridgeApi(call: Caller, subscribe: Subscriber): CausewayApi {
  const api: Record<string, unknown> = { on: subscribe };
  for (const name of methodNames) api[name] = (args?: unknown) => call(name, args);
  return api as CausewayApi;
}
