/** A CausewayApi for renderer tests: scripted answers per method, recorded calls, emitted events. */
import type { CausewayApi, EventName, Events, MethodName } from '../../../src/shared/contract.js';
import { ApiError } from '../../../src/shared/errors.js';
import { bridgeApi } from '../../../src/renderer/src/api/bridge.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = (args: any) => unknown;

export function fakeApi(answers: Partial<Record<MethodName, Answer>> = {}) {
  const calls: { name: MethodName; args: unknown }[] = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const api: CausewayApi = bridgeApi(
    async (name, args) => {
      calls.push({ name, args });
      const answer = answers[name];
      if (!answer) throw new ApiError('failed', `unexpected call ${name}`);
      return answer(args);
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
  );
  const emit = <E extends EventName>(event: E, payload: Events[E]) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { api, calls, answers, emit };
}
