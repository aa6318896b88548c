/**
 * Every side of the contract carries exactly the methods the features declare: the services' handler
 * table, the Electron preload, the renderer's bridge, IPC registration and the WebSocket dispatch.
 * A method added (or dropped) on one side only fails here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { registerIpc } from '../../src/main/electron/ipc.js';
import { AppService, handlers } from '../../src/main/services/app-service.js';
import { dispatch } from '../../src/main/services/dispatch.js';
import { bridgeApi } from '../../src/renderer/src/api/bridge.js';
import { type ApiHandlers, eventNames, methodNames, methods } from '../../src/shared/contract.js';

const exposed: { name?: string; api?: Record<string, unknown> } = {};
const invoked: { channel: string; args: unknown }[] = [];
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, api: Record<string, unknown>) => Object.assign(exposed, { name, api }),
  },
  ipcRenderer: {
    invoke: async (channel: string, args: unknown) => {
      invoked.push({ channel, args });
      return { reply: channel };
    },
    on: () => undefined,
  },
}));

const sorted = (names: Iterable<string>) => [...names].sort();

describe('the contract on every side', () => {
  it('declares each method once, with a zod schema, in dotted feature.method form', () => {
    expect(methodNames.length).toBeGreaterThanOrEqual(41);
    expect(new Set(methodNames).size).toBe(methodNames.length);
    for (const name of methodNames) {
      expect(name).toMatch(/^[a-z][a-zA-Z]*\.[a-zA-Z]+$/);
      expect(typeof methods[name].args.safeParse).toBe('function');
    }
    expect(sorted(eventNames)).toEqual(['app.command', 'history.changed', 'job.done', 'job.failed', 'job.progress', 'project.changed']);
  });

  it('the services answer exactly the declared methods', () => {
    const service = new AppService({ userDataDir: mkdtempSync(join(tmpdir(), 'causeway-sides-')), resourcesDir: tmpdir(), emit: () => undefined });
    expect(sorted(Object.keys(handlers(service)))).toEqual(sorted(methodNames));
  });

  it('the preload exposes exactly the declared methods, each on the IPC channel of its name', async () => {
    await import('../../src/preload/index.js');
    expect(exposed.name).toBe('causeway');
    const api = exposed.api!;
    expect(sorted(Object.keys(api).filter((k) => k !== 'on'))).toEqual(sorted(methodNames));
    for (const name of methodNames) expect(await (api[name] as (a: unknown) => Promise<unknown>)({ probe: name })).toBe(name);
    expect(invoked.map((i) => i.channel)).toEqual(methodNames);
    expect(typeof api.on).toBe('function');
  });

  it("the renderer's bridge and IPC registration carry exactly the declared methods", () => {
    const bridged = bridgeApi(async () => null, () => () => undefined);
    expect(sorted(Object.keys(bridged).filter((k) => k !== 'on'))).toEqual(sorted(methodNames));
    const channels: string[] = [];
    registerIpc({ handle: (channel) => channels.push(channel), removeHandler: () => undefined }, {} as ApiHandlers, () => true);
    expect(sorted(channels)).toEqual(sorted(methodNames));
  });

  it('dispatch (WebSocket and IPC) refuses a name no feature declares, and checks the declared schema', async () => {
    const h = Object.fromEntries(methodNames.map((n) => [n, async (a: unknown) => a])) as unknown as ApiHandlers;
    await expect(dispatch(h, 'cemap.nothing', {})).rejects.toMatchObject({ code: 'unknown-method' });
    // build.start's schema fills the build defaults (METHODS §1: 10 % augmentation, 80/20 split).
    expect(await dispatch(h, 'build.start', { settings: {} })).toEqual({ settings: { phi: 'fro', augment: 0.1, augmentImages: 1000, seed: 0, evalFraction: 0.2, batchSize: 64 } });
  });
});
