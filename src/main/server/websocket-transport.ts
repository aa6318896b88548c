/**
 * Web mode's transport: the contract over one WebSocket per browser tab, with the envelope
 * {id, name, args} → {id, reply} | {id, error} and {push: {name, payload}} for events. A connection
 * is accepted only on /api, with the run's token (when one is required), a Host header naming our
 * loopback address (no DNS rebinding) and, when the browser sends one, an Origin of our own server.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ApiHandlers } from '../../shared/contract.js';
import { callEnvelopeSchema, type ServerEnvelope } from '../../shared/envelope.js';
import { ApiError } from '../../shared/errors.js';
import { dispatch } from '../services/dispatch.js';
import type { EventHub } from './event-hub.js';

export interface TransportOptions {
  handlers: ApiHandlers;
  hub: EventHub;
  /** null: no token required (the user asked for --no-token). */
  token: string | null;
  /** host:port values the Host header may carry. */
  allowedHosts: () => string[];
}

export function websocketTransport(options: TransportOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });

  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api') return refuse(socket, 404, 'Not Found');
    const host = req.headers.host ?? '';
    if (!options.allowedHosts().includes(host)) return refuse(socket, 403, 'Forbidden');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) return refuse(socket, 403, 'Forbidden');
    if (options.token !== null && !sameSecret(url.searchParams.get('token') ?? '', options.token)) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  };

  const connect = (ws: WebSocket) => {
    const send = (message: ServerEnvelope) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = options.hub.subscribe((name, payload) => send({ push: { name, payload } }));
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      let raw: unknown;
      try {
        raw = isBinary ? undefined : JSON.parse(String(data));
      } catch {
        raw = undefined;
      }
      const call = callEnvelopeSchema.safeParse(raw);
      if (!call.success) {
        // Without a valid id there is no one to answer; close with "unsupported data".
        ws.close(1003, 'expected {id, name, args}');
        return;
      }
      const { id, name, args } = call.data;
      dispatch(options.handlers, name, args).then(
        (reply) => send({ id, reply: (reply ?? null) as never }),
        (error: unknown) => send({ id, error: (error instanceof ApiError ? error : new ApiError('failed', String(error))).toJSON() }),
      );
    });
  };

  return {
    handleUpgrade,
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
