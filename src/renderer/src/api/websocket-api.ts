/**
 * The contract over a WebSocket (web mode): calls go out as {id, name, args}, answers come back as
 * {id, reply} or {id, error}, events as {push}. Calls made before the socket opens wait for it; a
 * lost connection fails the calls in flight with a readable error and reconnects with back-off.
 */
import type { CausewayApi, EventName, Events, MethodName } from '../../../shared/contract.js';
import type { ServerEnvelope } from '../../../shared/envelope.js';
import { ApiError, isApiErrorDto } from '../../../shared/errors.js';
import { bridgeApi } from './bridge.js';

export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WebSocketApiOptions {
  /** Makes the socket (tests pass a fake). */
  connect?: (url: string) => SocketLike;
  /** Told when the connection goes down or comes back. */
  onConnectionChange?: (connected: boolean) => void;
}

const OPEN = 1;

export function createWebSocketApi(url: string, options: WebSocketApiOptions = {}): CausewayApi & { close(): void } {
  const connect = options.connect ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const queue: string[] = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: SocketLike;
  let closed = false;
  let retryMs = 250;

  const open = () => {
    socket = connect(url);
    socket.onopen = () => {
      retryMs = 250;
      options.onConnectionChange?.(true);
      for (const message of queue.splice(0)) socket.send(message);
    };
    socket.onmessage = (event) => receive(String(event.data));
    socket.onerror = () => undefined;
    socket.onclose = () => {
      for (const [, p] of pending) p.reject(new ApiError('failed', 'lost the connection to Causeway; is `npm run serve` still running?'));
      pending.clear();
      options.onConnectionChange?.(false);
      if (!closed) setTimeout(open, (retryMs = Math.min(retryMs * 2, 5000)));
    };
  };

  const receive = (text: string) => {
    let message: ServerEnvelope;
    try {
      message = JSON.parse(text) as ServerEnvelope;
    } catch {
      return;
    }
    if ('push' in message) {
      for (const listener of listeners.get(message.push.name) ?? []) listener(message.push.payload);
      return;
    }
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if ('error' in message) waiting.reject(isApiErrorDto(message.error) ? ApiError.from(message.error) : new ApiError('failed', 'malformed error'));
    else waiting.resolve(message.reply);
  };

  const call = (name: MethodName, args: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const message = JSON.stringify(args === undefined ? { id, name } : { id, name, args });
      if (socket.readyState === OPEN) socket.send(message);
      else queue.push(message);
    });

  const subscribe = <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  };

  open();
  return Object.assign(bridgeApi(call, subscribe), {
    close: () => {
      closed = true;
      socket.close();
    },
  });
}
