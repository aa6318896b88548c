/**
 * Web mode's server: static files with the CSP, loopback only, and the WebSocket transport's
 * checks (token, Host, Origin, envelope, argument schemas), driven with Node's own WebSocket and
 * with the renderer's WebSocket client.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsClient } from 'ws';
import type { ApiHandlers } from '../../src/shared/contract.js';
import { ApiError } from '../../src/shared/errors.js';
import { EventHub } from '../../src/main/server/event-hub.js';
import { startWebServer, type WebServer } from '../../src/main/server/web-server.js';
import { createWebSocketApi } from '../../src/renderer/src/api/websocket-api.js';

const calls: { name: string; args: unknown }[] = [];
const handlers = {
  'app.info': async () => ({ version: 'test', backend: 'cpu', backendReason: 'test', userDataDir: '/x', demos: [], canPickPaths: false, evaluationAvailable: false }),
  'graph.channel': async (args: { layer: string; channel: number }) => {
    calls.push({ name: 'graph.channel', args });
    if (args.layer === 'missing') throw new ApiError('no-build', 'no causal model yet');
    return { layer: args.layer, channel: args.channel };
  },
} as unknown as ApiHandlers;

let dir: string;
let hub: EventHub;
let server: WebServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'causeway-web-'));
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'link.txt'));
  hub = new EventHub();
  server = await startWebServer({ handlers, hub, rendererDir: root, token: 'tok-123' });
});

afterAll(async () => {
  await server.close();
});

const base = () => `http://127.0.0.1:${server.port}`;

function open(path: string, headers: Record<string, string> = {}): Promise<{ ws?: WsClient; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WsClient(`ws://127.0.0.1:${server.port}${path}`, { headers });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.on('error', () => undefined);
  });
}

function request(ws: WsClient, message: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

describe('static files', () => {
  it('serves index.html at / with the CSP and no-sniff headers', async () => {
    const res = await fetch(`${base()}/?token=x`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>t</title>');
    expect((await fetch(`${base()}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('refuses paths outside the folder, symlinks out of it, other methods and foreign Host headers', async () => {
    expect((await fetch(`${base()}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${base()}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${base()}/link.txt`)).status).toBe(404);
    expect((await fetch(`${base()}/nope.js`)).status).toBe(404);
    expect((await fetch(`${base()}/`, { method: 'POST' })).status).toBe(405);
    const rebinding = await new Promise<number>((resolve) => {
      import('node:http').then(({ get }) => get({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0)));
    });
    expect(rebinding).toBe(403);
  });

  it('binds to the loopback interface only', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=tok-123$/);
    await expect(startWebServer({ handlers, hub, rendererDir: join(dir, 'renderer'), host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('makes a fresh random token per run by default', async () => {
    const a = await startWebServer({ handlers, hub, rendererDir: join(dir, 'renderer') });
    const b = await startWebServer({ handlers, hub, rendererDir: join(dir, 'renderer') });
    expect(a.token).toMatch(/^[\w-]{32}$/);
    expect(a.token).not.toBe(b.token);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('WebSocket transport', () => {
  it('requires the token, our Host and our Origin', async () => {
    expect((await open('/api')).status).toBe(401);
    expect((await open('/api?token=wrong')).status).toBe(401);
    expect((await open('/other?token=tok-123')).status).toBe(404);
    expect((await open('/api?token=tok-123', { Origin: 'http://evil.example' })).status).toBe(403);
    const ok = await open('/api?token=tok-123', { Origin: `http://127.0.0.1:${server.port}` });
    expect(ok.ws).toBeDefined();
    ok.ws!.close();
  });

  it('answers calls, validates arguments with the contract schema and names unknown methods', async () => {
    const { ws } = await open('/api?token=tok-123');
    expect(await request(ws!, { id: 1, name: 'graph.channel', args: { layer: 'conv1', channel: 2 } })).toEqual({ id: 1, reply: { layer: 'conv1', channel: 2 } });
    const bad = (await request(ws!, { id: 2, name: 'graph.channel', args: { layer: 'conv1', channel: -1, extra: 1 } })) as { id: number; error: { code: string; message: string } };
    expect(bad.id).toBe(2);
    expect(bad.error.code).toBe('invalid-args');
    expect(bad.error.message).toMatch(/channel/);
    expect(bad.error.message).toMatch(/extra/);
    expect(calls).toHaveLength(1); // the handler never saw the bad call
    expect(await request(ws!, { id: 3, name: 'fs.readFile', args: {} })).toEqual({ id: 3, error: { code: 'unknown-method', message: 'no API method named "fs.readFile"' } });
    expect(await request(ws!, { id: 4, name: 'graph.channel', args: { layer: 'missing', channel: 0 } })).toEqual({ id: 4, error: { code: 'no-build', message: 'no causal model yet' } });
    ws!.close();
  });

  it('closes a connection that sends something other than an envelope', async () => {
    const { ws } = await open('/api?token=tok-123');
    const code = await new Promise<number>((resolve) => {
      ws!.on('close', (c) => resolve(c));
      ws!.send('not json');
    });
    expect(code).toBe(1003);
  });

  it('pushes events to every connected client', async () => {
    const a = (await open('/api?token=tok-123')).ws!;
    const b = (await open('/api?token=tok-123')).ws!;
    const got = Promise.all([a, b].map((ws) => new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))))));
    hub.emit('history.changed', { entries: [], currentId: null, canUndo: false, canRedo: false });
    for (const message of await got) expect(message).toEqual({ push: { name: 'history.changed', payload: { entries: [], currentId: null, canUndo: false, canRedo: false } } });
    a.close();
    b.close();
  });

  it("works end to end with the renderer's client: replies, ApiErrors with codes, events", async () => {
    const states: boolean[] = [];
    const api = createWebSocketApi(`ws://127.0.0.1:${server.port}/api?token=tok-123`, { onConnectionChange: (c) => states.push(c) });
    // The first call is queued until the socket opens.
    expect((await api['app.info']()).version).toBe('test');
    const error = await api['graph.channel']({ layer: 'missing', channel: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('no-build');
    const event = new Promise((resolve) => api.on('job.failed', resolve));
    hub.emit('job.failed', { jobId: 'j', kind: 'build', cancelled: true, message: 'stopped' });
    expect(await event).toEqual({ jobId: 'j', kind: 'build', cancelled: true, message: 'stopped' });
    api.close();
    expect(states[0]).toBe(true);
  });
});
