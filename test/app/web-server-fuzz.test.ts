/**
 * The web-mode server under hostile frames: a real server in a child process on loopback, fed
 * oversized messages, invalid UTF-8, random raw frames, random envelopes and call floods from a
 * client holding the token. After each kind the process must still be alive and answer a
 * well-formed call from a fresh client. Bounded: a fixed seed, a fixed count, a time limit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsClient } from 'ws';
import { mulberry32 } from '../../src/main/data/seeded-random.js';
import { REPO } from '../helpers/data-paths.js';

const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
let child: ChildProcess;
let port = 0;
let stderr = '';
let exited: number | null | undefined;

beforeAll(async () => {
  child = spawn(process.execPath, [tsx, join(REPO, 'test/app/helpers/web-server-child.ts')], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d) => (stderr += String(d)));
  child.on('exit', (code) => (exited = code));
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`server child exited: ${stderr}`)));
  });
}, 60_000);

afterAll(() => {
  child.kill('SIGKILL');
});

function open(): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WsClient(`ws://127.0.0.1:${port}/api?token=tok-fuzz`);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

function closed(ws: WsClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
}

/** The server is alive and a fresh client's well-formed call is answered. */
async function stillServes(): Promise<void> {
  expect(exited, `server exited; stderr: ${stderr}`).toBeUndefined();
  const ws = await open();
  const reply = await new Promise<unknown>((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.send(JSON.stringify({ id: 7, name: 'graph.channel', args: { layer: 'conv1', channel: 3 } }));
  });
  expect(reply).toEqual({ id: 7, reply: { layer: 'conv1', channel: 3 } });
  ws.close();
}

/** A raw TCP connection that completed the WebSocket handshake, for frames `ws` would never send. */
function rawSocket(): Promise<import('node:net').Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET /api?token=tok-fuzz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.once('data', (d) => (String(d).startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(String(d)))));
    socket.on('error', reject);
  });
}

/** A masked client frame with the given first byte (FIN, RSV bits, opcode) and payload. */
function frame(first: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const header = len < 126 ? Buffer.from([first, 0x80 | len]) : Buffer.from([first, 0x80 | 126, len >> 8, len & 0xff]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, masked]);
}


describe('web server under hostile frames', () => {
  it('a message over the 4 MiB limit closes that connection with 1009 and one log line; the server keeps serving', async () => {
    const ws = await open();
    ws.on('error', () => undefined);
    const done = closed(ws);
    ws.send('x'.repeat(4 * 1024 * 1024 + 1));
    expect((await done).code).toBe(1009);
    await stillServes();
    expect(stderr).toMatch(/web: closed a connection \(1009\)/);
  });

  it('a text frame with invalid UTF-8 closes that connection with 1007; the server keeps serving', async () => {
    const socket = await rawSocket();
    const reply = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.write(frame(0x81, Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0x80, 0x81, 0x82, 0x83])));
    const close = await reply;
    expect(close[0]! & 0x0f).toBe(0x8); // a close frame
    expect(close.readUInt16BE(2)).toBe(1007);
    socket.destroy();
    await stillServes();
  });

  it('300 random raw frames (random opcodes, RSV bits, lengths and bytes) never take it down', async () => {
    const random = mulberry32(14);
    const started = Date.now();
    for (let i = 0; i < 300 && Date.now() - started < 20_000; i++) {
      const socket = await rawSocket();
      const frames = 1 + Math.floor(random() * 4);
      for (let f = 0; f < frames; f++) {
        const payload = Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
        // Half the time a well-formed header with random flags and opcode; half the time pure noise.
        socket.write(random() < 0.5 ? frame(Math.floor(random() * 256), payload) : payload);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
      socket.destroy();
      if (i % 50 === 49) await stillServes();
    }
    await stillServes();
  }, 60_000);

  it('500 random envelopes are answered or refused, never fatal', async () => {
    const random = mulberry32(41);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
    const junk = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) return pick([null, true, -1, 1e308, Number.MIN_VALUE, '', 'conv1', '__proto__', 'x'.repeat(1000)]);
      if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => junk(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [pick(['layer', 'channel', '__proto__', 'constructor', 'id', 'args']), junk(depth + 1)]));
    };
    const started = Date.now();
    for (let i = 0; i < 500 && Date.now() - started < 20_000; i++) {
      const ws = await open();
      ws.on('error', () => undefined);
      const envelope = random() < 0.5 ? { id: Math.floor(random() * 1000), name: pick(['graph.channel', 'app.info', 'projects.open', 'constructor', '__proto__', 'x'.repeat(100)]), args: junk(0) } : junk(0);
      const text = random() < 0.1 ? JSON.stringify(envelope).slice(0, -1) : JSON.stringify(envelope) ?? 'null';
      ws.send(text);
      await new Promise((resolve) => {
        ws.once('message', resolve);
        ws.once('close', resolve);
        setTimeout(resolve, 200);
      });
      ws.terminate();
    }
    // A deeply nested envelope too.
    const deep = await open();
    deep.on('error', () => undefined);
    deep.send(`{"id":1,"name":"graph.channel","args":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    deep.terminate();
    await stillServes();
  }, 60_000);

  it('a flood of calls on one connection is limited for that connection (busy) and others are unaffected', async () => {
    const ws = await open();
    const replies: { id: number; reply?: unknown; error?: { code: string; message: string } }[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(String(data))));
    const n = 400;
    for (let id = 0; id < n; id++) ws.send(JSON.stringify({ id, name: 'graph.channel', args: { layer: 'slow', channel: id } }));
    await stillServes();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (replies.length >= n) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    const busy = replies.filter((r) => r.error?.code === 'busy');
    const answered = replies.filter((r) => r.reply !== undefined);
    // Every call gets exactly one answer: a reply for those within the limit, 'busy' for the rest.
    expect(new Set(replies.map((r) => r.id)).size).toBe(n);
    expect(answered.length).toBeGreaterThan(0);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.error!.message).toMatch(/too many calls/);
    // The same connection is served again once its calls have finished.
    const again = await new Promise<unknown>((resolve) => {
      ws.removeAllListeners('message');
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
      setTimeout(() => ws.send(JSON.stringify({ id: 9999, name: 'graph.channel', args: { layer: 'conv1', channel: 1 } })), 1100);
    });
    expect(again).toEqual({ id: 9999, reply: { layer: 'conv1', channel: 1 } });
    ws.close();
  }, 30_000);
});
