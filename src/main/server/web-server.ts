/**
 * Web mode: the built renderer over HTTP and the contract over a WebSocket on the same port, bound
 * to the loopback interface only. By default every run makes a random token that the WebSocket
 * requires; it travels in the URL printed at start, so only whoever reads that URL can drive the app.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiHandlers } from '../../shared/contract.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import type { EventHub } from './event-hub.js';
import { staticFiles } from './static-files.js';
import { websocketTransport } from './websocket-transport.js';

export const loopbackHosts = ['127.0.0.1', 'localhost', '::1'];

export interface WebServerOptions {
  handlers: ApiHandlers;
  hub: EventHub;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** false turns the token off (not recommended); a string fixes it (tests). */
  token?: boolean | string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string | null;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  if (!loopbackHosts.includes(host)) throw new Error(`web mode binds to the loopback interface only (127.0.0.1, localhost or ::1), not ${host}`);
  const token = options.token === false ? null : typeof options.token === 'string' ? options.token : randomBytes(24).toString('base64url');
  let port = options.port ?? 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const transport = websocketTransport({ handlers: options.handlers, hub: options.hub, token, allowedHosts });
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
  const files = staticFiles(options.rendererDir, headers);
  const server: Server = createServer((req, res) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
      return;
    }
    files(req, res);
  });
  server.on('upgrade', transport.handleUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host === '::1' ? '[::1]' : host;
  return {
    url: `http://${shownHost}:${port}/${token ? `?token=${token}` : ''}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        transport.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
