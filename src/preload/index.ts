/**
 * The preload (sandboxed, context-isolated): exposes one function per contract method on
 * `window.causeway`, plus `on` for events — never ipcRenderer itself. Checked with `satisfies`
 * against the same CausewayApi the WebSocket bridge implements.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeName, encodeIpcError, type IpcAnswer, pushChannel } from '../shared/channels.js';
import type { CausewayApi, EventName, Events, MethodName, Results } from '../shared/contract.js';

async function call<M extends MethodName>(name: M, args: unknown): Promise<Results[M]> {
  const answer = (await ipcRenderer.invoke(name, args)) as IpcAnswer;
  if ('error' in answer) throw new Error(encodeIpcError(answer.error));
  return answer.reply as Results[M];
}

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
ipcRenderer.on(pushChannel, (_event, message: { name: EventName; payload: unknown }) => {
  for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
});

const api = {
  'app.info': (args) => call('app.info', args),
  'app.pickPath': (args) => call('app.pickPath', args),
  'files.list': (args) => call('files.list', args),
  'projects.setPreprocessing': (args) => call('projects.setPreprocessing', args),
  'projects.preview': (args) => call('projects.preview', args),
  'projects.create': (args) => call('projects.create', args),
  'projects.open': (args) => call('projects.open', args),
  'projects.openDemo': (args) => call('projects.openDemo', args),
  'projects.recent': (args) => call('projects.recent', args),
  'projects.current': (args) => call('projects.current', args),
  'projects.close': (args) => call('projects.close', args),
  'build.start': (args) => call('build.start', args),
  'build.cancel': (args) => call('build.cancel', args),
  'build.estimate': (args) => call('build.estimate', args),
  'graph.get': (args) => call('graph.get', args),
  'graph.channel': (args) => call('graph.channel', args),
  'query.run': (args) => call('query.run', args),
  'query.verify': (args) => call('query.verify', args),
  'interventions.list': (args) => call('interventions.list', args),
  'interventions.undo': (args) => call('interventions.undo', args),
  'interventions.redo': (args) => call('interventions.redo', args),
  'interventions.apply': (args) => call('interventions.apply', args),
  'interventions.delete': (args) => call('interventions.delete', args),
  'rankings.get': (args) => call('rankings.get', args),
  'rankings.evaluate': (args) => call('rankings.evaluate', args),
  'rankings.estimate': (args) => call('rankings.estimate', args),
  'compare.get': (args) => call('compare.get', args),
  'cemap.images': (args) => call('cemap.images', args),
  'cemap.image': (args) => call('cemap.image', args),
  'cemap.adversarial': (args) => call('cemap.adversarial', args),
  'explain.run': (args) => call('explain.run', args),
  'explain.cached': (args) => call('explain.cached', args),
  'explain.compare': (args) => call('explain.compare', args),
  'explain.repair': (args) => call('explain.repair', args),
  'analysis.cancel': (args) => call('analysis.cancel', args),
  'report.sections': (args) => call('report.sections', args),
  'report.compose': (args) => call('report.compose', args),
  'report.export': (args) => call('report.export', args),
  'properties.kinds': (args) => call('properties.kinds', args),
  'properties.run': (args) => call('properties.run', args),
  'properties.cancel': (args) => call('properties.cancel', args),
  'properties.curve': (args) => call('properties.curve', args),
  'properties.openBiasDemo': (args) => call('properties.openBiasDemo', args),
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  },
} satisfies CausewayApi;

contextBridge.exposeInMainWorld(bridgeName, api);
