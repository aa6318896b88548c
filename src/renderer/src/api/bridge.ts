/**
 * Builds a `CausewayApi` from two primitives a transport provides: `call(name, args)` and
 * `subscribe(event, listener)`. The WebSocket bridge uses it; the Electron preload writes its
 * functions out one by one (see src/preload), and both satisfy the same type.
 */
import type { CausewayApi, EventName, Events, MethodName } from '../../../shared/contract.js';

// The method list without pulling zod into the renderer bundle; `methodsComplete` below fails to
// compile when the contract gains a method this list lacks.
export const apiMethods = [
  'app.info',
  'app.pickPath',
  'files.list',
  'projects.setPreprocessing',
  'projects.preview',
  'projects.create',
  'projects.open',
  'projects.openDemo',
  'projects.recent',
  'projects.current',
  'projects.close',
  'build.start',
  'build.cancel',
  'build.estimate',
  'graph.get',
  'graph.channel',
  'query.run',
  'query.verify',
  'interventions.list',
  'interventions.undo',
  'interventions.redo',
  'interventions.apply',
  'interventions.delete',
  'rankings.get',
  'rankings.evaluate',
  'rankings.estimate',
  'compare.get',
  'cemap.images',
  'cemap.image',
  'cemap.adversarial',
  'explain.run',
  'explain.cached',
  'explain.compare',
  'explain.repair',
  'analysis.cancel',
  'report.sections',
  'report.compose',
  'report.export',
  'properties.kinds',
  'properties.run',
  'properties.cancel',
  'properties.curve',
  'properties.openBiasDemo',
] as const satisfies readonly MethodName[];

type Missing = Exclude<MethodName, (typeof apiMethods)[number]>;
export const methodsComplete: [Missing] extends [never] ? true : Missing = true;

export type Caller = (name: MethodName, args: unknown) => Promise<unknown>;
export type Subscriber = <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => () => void;

export function bridgeApi(call: Caller, subscribe: Subscriber): CausewayApi {
  const api: Record<string, unknown> = { on: subscribe };
  for (const name of apiMethods) api[name] = (args?: unknown) => call(name, args);
  return api as CausewayApi;
}
