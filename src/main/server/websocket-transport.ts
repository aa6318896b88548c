/**
 * Web mode's transport: the contract over one WebSocket per browser tab, with the envelope
 * {id, name, args} → {id, reply} | {id, error} and {push: {name, payload}} for events. A connection
 * is accepted only on /api, with the run's token (when one is required), a Host header naming our
 * loopback address (no DNS rebinding) and, when the browser sends one, an Origin of our own server.
 *
 * Whatever a connected client sends harms at most its own connection: every socket has an error
 * listener (ws reports an oversized message as 1009 and invalid UTF-8 as 1007 through 'error', which
 * without a listener ends the process), and each connection has its own budget of calls in flight
 * and calls per second, beyond which a call is answered 'busy' instead of queued.
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
  /** One line per dropped connection (default: stderr). */
  log?: (line: string) => void;
}

/** Per-connection limits: generous for the renderer (which makes a few calls per user action). */
export const connectionLimits = {
  /** One message, in bytes; larger closes the connection with 1009 (message too big). */
  maxPayload: 4 * 1024 * 1024,
  /** Calls of one connection running at once. */
  maxInFlight: 64,
  /** Calls per second of one connection, averaged over a burst of `burst` calls. */
  callsPerSecond: 200,
  burst: 200,
  /** Replies waiting to go out to a client that does not read; beyond, the connection is dropped. */
  maxBufferedBytes: 64 * 1024 * 1024,
};

export function websocketTransport(options: TransportOptions) {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const wss = new WebSocketServer({ noServer: true, maxPayload: connectionLimits.maxPayload });
  wss.on('error', (error) => log(`web: WebSocket server error: ${error.message}`));

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
    socket.on('error', () => undefined); // a reset during the handshake ends only this socket
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  };

  const connect = (ws: WebSocket) => {
    // ws has already closed the connection with the matching code (1009, 1007, 1002) when it
    // emits 'error'; all that is left is to say so once.
    ws.on('error', (error: Error & { code?: string }) => {
      log(`web: closed a connection (${closeCodeOf(error)}): ${error.message}`);
    });
    const send = (message: ServerEnvelope) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > connectionLimits.maxBufferedBytes) {
        log('web: dropped a connection that does not read its replies');
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(message));
    };
    const unsubscribe = options.hub.subscribe((name, payload) => send({ push: { name, payload } }));
    ws.on('close', unsubscribe);
    let inFlight = 0;
    let tokens = connectionLimits.burst;
    let refilledAt = Date.now();
    const admit = (): string | null => {
      const now = Date.now();
      tokens = Math.min(connectionLimits.burst, tokens + ((now - refilledAt) / 1000) * connectionLimits.callsPerSecond);
      refilledAt = now;
      if (inFlight >= connectionLimits.maxInFlight) return `too many calls at once on this connection (${connectionLimits.maxInFlight} running); retry when one finishes`;
      if (tokens < 1) return `too many calls per second on this connection (limit ${connectionLimits.callsPerSecond}/s); retry shortly`;
      tokens -= 1;
      return null;
    };
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
      const refusal = admit();
      if (refusal !== null) {
        send({ id, error: new ApiError('busy', refusal).toJSON() });
        return;
      }
      inFlight += 1;
      dispatch(options.handlers, name, args)
        .then(
          (reply) => send({ id, reply: (reply ?? null) as never }),
          (error: unknown) => send({ id, error: (error instanceof ApiError ? error : new ApiError('failed', String(error))).toJSON() }),
        )
        .catch((error: unknown) => send({ id, error: new ApiError('failed', `the reply could not be sent: ${String(error)}`).toJSON() }))
        .finally(() => (inFlight -= 1));
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

/** The close code ws used for a receive error, from its error code (WS_ERR_*; protocol errors are 1002). */
function closeCodeOf(error: Error & { code?: string }): number {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || error.code === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH') return 1009;
  if (error.code === 'WS_ERR_INVALID_UTF8') return 1007;
  if (error.code === 'WS_ERR_TOO_MANY_BUFFERED_PARTS') return 1008;
  return 1002;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
