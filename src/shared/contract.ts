/**
 * The one typed contract between the renderer and the services, combined from the features'
 * declarations (features/*.ts): every method (argument schema + result type) and every pushed event.
 * Electron IPC (preload), the WebSocket bridge and the renderer derive their method lists from
 * `methodNames`; the services implement `ApiHandlers`. Adding a method to a feature makes the
 * services fail to typecheck until they handle it, and every transport carries it unchanged.
 */
import type { z } from 'zod';
import type { MethodDeclaration, PayloadOf, ResultOf } from './feature.js';
import { appEvents, appMethods } from './features/app.js';
import { buildMethods } from './features/build.js';
import { compareMethods } from './features/compare.js';
import { explainMethods } from './features/explain.js';
import { graphMethods } from './features/graph.js';
import { interventionEvents, interventionMethods } from './features/interventions.js';
import { jobEvents, jobMethods } from './features/jobs.js';
import { pixelEffectMethods } from './features/pixel-effects.js';
import { projectEvents, projectMethods } from './features/projects.js';
import { propertyMethods } from './features/properties.js';
import { rankingMethods } from './features/rankings.js';
import { reportMethods } from './features/report.js';

/** Every method of every feature. */
export const methods = {
  ...appMethods,
  ...projectMethods,
  ...buildMethods,
  ...graphMethods,
  ...interventionMethods,
  ...rankingMethods,
  ...compareMethods,
  ...pixelEffectMethods,
  ...explainMethods,
  ...jobMethods,
  ...reportMethods,
  ...propertyMethods,
} satisfies Record<string, MethodDeclaration>;

/** Every event pushed from main to every renderer. */
export const events = { ...appEvents, ...projectEvents, ...interventionEvents, ...jobEvents };

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

/** The argument schemas by method: each transport validates what arrives before a service sees it. */
export const argsSchemas = Object.fromEntries(methodNames.map((name) => [name, methods[name].args])) as { [M in MethodName]: (typeof methods)[M]['args'] };

/** What each method resolves to. */
export type Results = { [M in MethodName]: ResultOf<(typeof methods)[M]> };
/** Each event's payload. */
export type Events = { [E in EventName]: PayloadOf<(typeof events)[E]> };

export type ArgsOf<M extends MethodName> = z.input<(typeof methods)[M]['args']>;
/** Arguments after validation (defaults filled in). */
export type ParsedArgsOf<M extends MethodName> = z.output<(typeof methods)[M]['args']>;

// Methods whose arguments may be left out take an optional argument.
type Call<A, R> = undefined extends A ? (args?: A) => Promise<R> : (args: A) => Promise<R>;

export type Listener<E extends EventName> = (payload: Events[E]) => void;

/** What the renderer holds: one function per method, plus event subscription. */
export type CausewayApi = { [M in MethodName]: Call<ArgsOf<M>, Results[M]> } & {
  on<E extends EventName>(event: E, listener: Listener<E>): () => void;
};

/** What the services implement: one handler per method, given validated arguments (defaults filled in). */
export type ParsedHandlers = { [M in MethodName]: Call<ParsedArgsOf<M>, Results[M]> };

/** One feature's handler group: exactly the methods its declaration lists (`FeatureHandlers<typeof buildMethods>`). */
export type FeatureHandlers<F> = Pick<ParsedHandlers, keyof F & MethodName>;

/** The services as the transports call them: arguments as a caller gives them, validated inside. */
export type ApiHandlers = { [M in MethodName]: Call<ArgsOf<M>, Results[M]> };

/** How services push events, whatever the transport. */
export type EventSink = <E extends EventName>(event: E, payload: Events[E]) => void;
