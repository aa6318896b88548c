/**
 * The Electron main-process code, tested with what Electron would pass in (the binary is not needed):
 * IPC registration from the contract with sender and argument checks, security settings, the CSP,
 * window state, the menu, and how `npm start` finds the Electron binary.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { decodeIpcError, type IpcAnswer } from '../../src/shared/channels.js';
import { type ApiHandlers, methodNames } from '../../src/shared/contract.js';
import { ApiError } from '../../src/shared/errors.js';
import { type IpcEventLike, registerIpc } from '../../src/main/electron/ipc.js';
import { menuTemplate, type MenuItem } from '../../src/main/electron/menu.js';
import { printHtmlToPdf } from '../../src/main/electron/print-report.js';
import {
  type ContentsLike,
  hardenContents,
  hardenEveryContents,
  hardenSession,
  isDocumentationLink,
  type NavigationEventLike,
  type PermissionSessionLike,
  secureWebPreferences,
  trustedUrlCheck,
} from '../../src/main/electron/security.js';
import { readWindowState, restoreWindowState, trackWindowState, writeWindowState } from '../../src/main/electron/window-state.js';
import { findElectron } from '../../src/main/server/launcher.js';
import { fromPreload } from '../../src/renderer/src/api/index.js';
import { bridgeApi } from '../../src/renderer/src/api/bridge.js';

class FakeIpcMain {
  readonly channels = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) {
    if (this.channels.has(channel)) throw new Error(`second handler for ${channel}`);
    this.channels.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.channels.delete(channel);
  }
  invoke(channel: string, url: string, args?: unknown) {
    return this.channels.get(channel)!({ senderFrame: { url } }, args) as Promise<IpcAnswer>;
  }
}

const rendererUrl = 'file:///opt/causeway/out/renderer/index.html';
const trusted = trustedUrlCheck(rendererUrl);

describe('IPC registration', () => {
  const seen: unknown[] = [];
  const handlers = {
    'graph.channel': async (a: unknown) => {
      seen.push(a);
      return { ok: true };
    },
    'projects.open': async () => {
      throw new ApiError('not-found', '/nope/project.causeway.sqlite does not exist');
    },
  } as unknown as ApiHandlers;

  it('registers exactly one handler per contract method, and removes them all', () => {
    const ipc = new FakeIpcMain();
    const remove = registerIpc(ipc, handlers, trusted);
    expect([...ipc.channels.keys()].sort()).toEqual([...methodNames].sort());
    remove();
    expect(ipc.channels.size).toBe(0);
  });

  it('validates every argument with the schema before the handler runs', async () => {
    const ipc = new FakeIpcMain();
    registerIpc(ipc, handlers, trusted);
    expect(await ipc.invoke('graph.channel', rendererUrl, { layer: 'conv1', channel: 3 })).toEqual({ reply: { ok: true } });
    for (const bad of [undefined, null, 'conv1', { layer: 'conv1' }, { layer: 'conv1', channel: 1.5 }, { layer: '', channel: 0 }, { layer: 'c', channel: 0, __proto__x: 1 }]) {
      const answer = await ipc.invoke('graph.channel', rendererUrl, bad);
      expect(answer).toMatchObject({ error: { code: 'invalid-args' } });
    }
    expect(seen).toEqual([{ layer: 'conv1', channel: 3 }]);
  });

  it('refuses calls from pages that are not our renderer', async () => {
    const ipc = new FakeIpcMain();
    registerIpc(ipc, handlers, trusted);
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'file:///opt/causeway/out/renderer-evil/index.html', '']) {
      expect(await ipc.invoke('graph.channel', url, { layer: 'conv1', channel: 1 })).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it("carries an ApiError's code to the renderer through the preload's error message", async () => {
    const ipc = new FakeIpcMain();
    registerIpc(ipc, handlers, trusted);
    const answer = await ipc.invoke('projects.open', rendererUrl, { dir: '/nope' });
    expect(answer).toEqual({ error: { code: 'not-found', message: '/nope/project.causeway.sqlite does not exist' } });
    // What the preload does with it, and how the renderer turns it back into an ApiError.
    const { encodeIpcError } = await import('../../src/shared/channels.js');
    const raw = bridgeApi(async () => {
      throw new Error(`Error invoking remote method: ${encodeIpcError((answer as { error: { code: 'not-found'; message: string } }).error)}`);
    }, () => () => undefined);
    const error = await fromPreload(raw)['projects.open']({ dir: '/nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('not-found');
    expect((error as ApiError).message).toBe('/nope/project.causeway.sqlite does not exist');
    expect(decodeIpcError('plain failure')).toBeUndefined();
  });
});

describe('security settings', () => {
  it('turns on context isolation and the sandbox, and Node integration off', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false });
  });

  it('denies new windows and navigation away, opening only documentation links outside', () => {
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
    const listeners = new Map<string, (e: NavigationEventLike, url: string) => void>();
    const opened: string[] = [];
    hardenContents(
      { setWindowOpenHandler: (h) => (openHandler = h), on: (e, l) => listeners.set(e, l) },
      trusted,
      (url) => opened.push(url),
    );
    for (const url of ['https://arxiv.org/abs/1234.5678', 'https://example.org/docs', 'file:///etc/passwd', 'https://evil.example/arxiv.org/abs/1']) {
      expect(openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://arxiv.org/abs/1234.5678']);
    const prevented: string[] = [];
    for (const url of ['https://evil.example/', rendererUrl]) listeners.get('will-navigate')!({ preventDefault: () => prevented.push(url) }, url);
    expect(prevented).toEqual(['https://evil.example/']);
  });

  it('blocks redirects, frame navigations and webviews that leave the renderer', () => {
    const listeners = new Map<string, (e: NavigationEventLike, url: string) => void>();
    hardenContents({ setWindowOpenHandler: () => undefined, on: (e, l) => listeners.set(e, l) }, trusted);
    expect([...listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    const prevented: string[] = [];
    // will-redirect passes the URL as an argument; will-frame-navigate (Electron ≥ 25) on the event.
    for (const url of ['https://evil.example/', rendererUrl]) listeners.get('will-redirect')!({ preventDefault: () => prevented.push(`redirect ${url}`) }, url);
    for (const url of ['https://evil.example/frame', 'file:///opt/causeway/out/renderer/assets/a.html']) {
      listeners.get('will-frame-navigate')!({ url, preventDefault: () => prevented.push(`frame ${url}`) }, undefined as never);
    }
    listeners.get('will-attach-webview')!({ preventDefault: () => prevented.push('webview') }, '');
    expect(prevented).toEqual(['redirect https://evil.example/', 'frame https://evil.example/frame', 'webview']);
  });

  it('opens outside only https documentation links on the allow-list', () => {
    for (const url of ['https://arxiv.org/abs/2106.0001', 'https://doi.org/10.1145/1', 'https://pytorch.org/docs/stable/onnx.html', 'https://www.tensorflow.org/js/guide']) {
      expect(isDocumentationLink(url), url).toBe(true);
    }
    for (const url of [
      'http://arxiv.org/abs/1',
      'https://arxiv.org.evil.example/abs/1',
      'https://user:pw@arxiv.org/abs/1',
      'https://arxiv.org:8443/abs/1',
      'https://arxiv.org/pdf/../../evil',
      'https://www.tensorflow.org/evil',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(isDocumentationLink(url), url).toBe(false);
    }
  });

  it('hardens every web contents the app creates (web-contents-created), its session included', () => {
    let created: ((e: unknown, c: ContentsLike & { session: PermissionSessionLike }) => void) | undefined;
    hardenEveryContents({ on: (_e, l) => (created = l) }, trusted, () => undefined);
    const events: string[] = [];
    let check: ((c: unknown, p: string) => boolean) | null = null;
    let request: ((c: unknown, p: string, cb: (g: boolean) => void) => void) | null = null;
    created!(null, {
      setWindowOpenHandler: () => events.push('window-open'),
      on: (e) => events.push(e),
      session: { setPermissionCheckHandler: (h) => (check = h), setPermissionRequestHandler: (h) => (request = h) },
    });
    expect(events.sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect', 'window-open']);
    expect(check!(null, 'clipboard-read')).toBe(false);
    const granted: boolean[] = [];
    request!(null, 'notifications', (g) => granted.push(g));
    expect(granted).toEqual([false]);
  });

  it('the PDF print window may show its report file and nothing else', async () => {
    const listeners = new Map<string, (e: NavigationEventLike, url: string) => void>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
    let loaded = '';
    const prevented: string[] = [];
    await printHtmlToPdf('<a href="https://evil.example/">x</a>', {}, () => ({
      loadFile: async (file) => {
        loaded = pathToFileURL(file).href;
        for (const url of [loaded, 'https://evil.example/', rendererUrl]) {
          listeners.get('will-navigate')!({ preventDefault: () => prevented.push(`navigate ${url}`) }, url);
          listeners.get('will-redirect')!({ preventDefault: () => prevented.push(`redirect ${url}`) }, url);
        }
      },
      webContents: { setWindowOpenHandler: (h) => (openHandler = h), on: (e, l) => listeners.set(e, l), printToPDF: async () => new Uint8Array([1]) },
      destroy: () => undefined,
    }));
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(prevented).toEqual([
      'navigate https://evil.example/',
      'redirect https://evil.example/',
      `navigate ${rendererUrl}`,
      `redirect ${rendererUrl}`,
    ]);
  });

  it('refuses every permission request and adds the strict CSP to responses', () => {
    let permission: ((c: unknown, p: string, cb: (g: boolean) => void) => void) | null = null;
    let headers: ((d: { responseHeaders?: Record<string, string[] | string> }, cb: (r: { responseHeaders: Record<string, string[] | string> }) => void) => void) | undefined;
    let check: ((c: unknown, p: string) => boolean) | null = null;
    hardenSession({ setPermissionRequestHandler: (h) => (permission = h), setPermissionCheckHandler: (h) => (check = h), webRequest: { onHeadersReceived: (l) => (headers = l) } });
    const granted: boolean[] = [];
    permission!(null, 'media', (g) => granted.push(g));
    expect(granted).toEqual([false]);
    // Checks (navigator.permissions.query, clipboard, …) are refused too, not only prompts.
    expect(check!(null, 'notifications')).toBe(false);
    let out: Record<string, string[] | string> = {};
    headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (out = r.responseHeaders));
    const csp = String(out['Content-Security-Policy']);
    expect(out['X-Other']).toEqual(['1']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
  });

  it('trusts only our renderer folder (and the dev server when developing)', () => {
    const dev = trustedUrlCheck(rendererUrl, 'http://localhost:5173');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(trusted('file:///opt/causeway/out/renderer/assets/x.html')).toBe(true);
    expect(trusted('http://localhost:5173/')).toBe(false);
  });

  it("ships the same CSP in the renderer's page", () => {
    const html = readFileSync(join(import.meta.dirname, '../../src/renderer/index.html'), 'utf8');
    expect(html).toContain("script-src 'self'");
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe('window state', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('restores a saved size and place that fit the displays', () => {
    expect(restoreWindowState({ width: 1200, height: 800, x: 100, y: 50, maximized: true }, screen)).toEqual({ width: 1200, height: 800, x: 100, y: 50, maximized: true });
  });

  it('clamps sizes, drops positions off every display, ignores garbage', () => {
    expect(restoreWindowState({ width: 99999, height: 10, x: 5000, y: 5000 }, screen)).toEqual({ width: 1920, height: 600, maximized: false });
    expect(restoreWindowState('nonsense', screen)).toEqual({ width: 1400, height: 900, maximized: false });
    expect(restoreWindowState({ width: 'big', height: NaN }, screen)).toEqual({ width: 1400, height: 900, maximized: false });
  });

  it('saves after resizing stops and on close, and reads it back', () => {
    vi.useFakeTimers();
    const file = join(mkdtempSync(join(tmpdir(), 'causeway-win-')), 'sub', 'window-state.json');
    const listeners: Record<string, () => void> = {};
    let bounds = { x: 10, y: 20, width: 1000, height: 700 };
    const saves: unknown[] = [];
    trackWindowState(
      { getNormalBounds: () => bounds, isMaximized: () => false, on: (e, l) => (listeners[e] = l) },
      (s) => {
        saves.push(s);
        writeWindowState(file, s);
      },
    );
    listeners.resize();
    bounds = { ...bounds, width: 1100 };
    listeners.resize();
    vi.advanceTimersByTime(399);
    expect(saves).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(saves).toEqual([{ x: 10, y: 20, width: 1100, height: 700, maximized: false }]);
    bounds = { ...bounds, height: 750 };
    listeners.close();
    expect(readWindowState(file, screen)).toEqual({ x: 10, y: 20, width: 1100, height: 750, maximized: false });
    vi.useRealTimers();
  });
});

describe('menu', () => {
  it('sends an app command for each of our items', () => {
    const sent: string[] = [];
    const template = menuTemplate((a) => sent.push(a), false);
    const items: MenuItem[] = template.flatMap((m) => m.submenu ?? []);
    for (const item of items) item.click?.();
    expect(sent).toEqual(expect.arrayContaining(['undo', 'redo', 'build', 'view-graph', 'fit', 'theme', 'help']));
    expect(template.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'Help']);
    expect(menuTemplate(() => undefined, true)[0]).toEqual({ role: 'appMenu' });
  });
});

describe('finding the Electron binary', () => {
  it('finds the binary named in path.txt, and says why when it was not downloaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-electron-'));
    expect(findElectron(dir, {})).toMatchObject({ missing: expect.stringMatching(/not downloaded/) });
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(findElectron(dir, {})).toMatchObject({ missing: expect.any(String) });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    expect(findElectron(dir, {})).toEqual({ path: join(dir, 'dist', 'electron') });
    // ELECTRON_OVERRIDE_DIST_PATH points at a binary elsewhere, as the electron package honours it.
    const other = mkdtempSync(join(tmpdir(), 'causeway-electron-dist-'));
    writeFileSync(join(other, 'electron'), '');
    expect(findElectron(dir, { ELECTRON_OVERRIDE_DIST_PATH: other })).toEqual({ path: join(other, 'electron') });
    expect(findElectron(null, {})).toEqual({ missing: 'the electron package is not installed' });
  });
});
