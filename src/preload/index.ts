/**
 * The preload (sandboxed, context-isolated): exposes one function per contract method on
 * `window.causeway`, plus `on` for events — never ipcRenderer itself. The method list is the
 * contract's (bundled into this one file with the feature declarations).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeName, encodeIpcError, type IpcAnswer, pushChannel } from '../shared/channels.js';
import { type CausewayApi, type EventName, type Events, type MethodName, methodNames, type Results } from '../shared/contract.js';

async function call<M extends MethodName>(name: M, args: unknown): Promise<Results[M]> {
  const answer = (await ipcRenderer.invoke(name, args)) as IpcAnswer;
  if ('error' in answer) throw new Error(encodeIpcError(answer.error));
  return answer.reply as Results[M];
}

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
ipcRenderer.on(pushChannel, (_event, message: { name: EventName; payload: unknown }) => {
  for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
});

// One function per contract method, from the contract's own list (contextBridge copies plain objects
// only, so the functions are made here, not by a Proxy).
const api = Object.fromEntries(methodNames.map((name) => [name, (args: unknown) => call(name, args)])) as Omit<CausewayApi, 'on'>;

const exposed: CausewayApi = {
  ...api,
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  },
};

contextBridge.exposeInMainWorld(bridgeName, exposed);
