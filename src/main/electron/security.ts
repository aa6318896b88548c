/**
 * What keeps the renderer a local app: only our own pages may talk to main, no navigation away,
 * no new windows, no permission prompts (camera, notifications, …), the CSP on every response.
 */
import { contentSecurityPolicy } from '../server/content-security-policy.js';

/** file:// URLs of our renderer folder, or the dev server's origin when developing. */
export function trustedUrlCheck(rendererIndexUrl: string, devServerUrl?: string): (url: string) => boolean {
  const folder = rendererIndexUrl.slice(0, rendererIndexUrl.lastIndexOf('/') + 1);
  const dev = devServerUrl ? new URL(devServerUrl).origin : undefined;
  return (url: string) => {
    if (!url) return false;
    if (url.startsWith(folder) && url.startsWith('file://')) return true;
    try {
      return dev !== undefined && new URL(url).origin === dev;
    } catch {
      return false;
    }
  };
}

/** The parts of webContents and session this uses (tests pass fakes). */
export interface ContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  webRequest: {
    onHeadersReceived(listener: (details: { responseHeaders?: Record<string, string[] | string> }, callback: (response: { responseHeaders: Record<string, string[] | string> }) => void) => void): void;
  };
}

export function hardenContents(contents: ContentsLike, isTrusted: (url: string) => boolean, openExternal?: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; nothing opens inside the app.
    if (openExternal && /^https:\/\//.test(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isTrusted(url)) event.preventDefault();
  });
}

export function hardenSession(session: SessionLike, dev = false): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  const policy = dev
    ? contentSecurityPolicy({ connect: ['ws://localhost:*', 'ws://127.0.0.1:*'] }).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    : contentSecurityPolicy();
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...(details.responseHeaders ?? {}), 'Content-Security-Policy': [policy] } });
  });
}

/** The BrowserWindow settings that matter for security, in one place (and tested). */
export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}
