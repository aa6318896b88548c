/**
 * What keeps the renderer a local app: only our own pages may talk to main, no navigation away
 * (by link, redirect or in a frame), no new windows, no webviews, no permissions (neither prompts
 * nor checks: camera, notifications, clipboard, …), the CSP on every response, and every web
 * contents the app ever creates (the print window too) gets the same rules. Only documentation
 * links on an allow-list open outside, in the user's browser.
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

/**
 * Where a link may take the user: documentation, over https, on these hosts and paths only
 * (the papers the methods come from, and the formats and libraries a model comes from).
 */
export const documentationLinks: readonly { host: string; path: string }[] = [
  { host: 'arxiv.org', path: '/abs/' },
  { host: 'doi.org', path: '/' },
  { host: 'onnx.ai', path: '/' },
  { host: 'keras.io', path: '/' },
  { host: 'www.tensorflow.org', path: '/js/' },
  { host: 'pytorch.org', path: '/docs/' },
];

/** An https URL on the allow-list, with no credentials and no port: the only links opened outside. */
export function isDocumentationLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  return documentationLinks.some((d) => parsed.hostname === d.host && parsed.pathname.startsWith(d.path));
}

/** A navigation event: Electron passes the URL as an argument (will-navigate, will-redirect) or on the event (will-frame-navigate). */
export interface NavigationEventLike {
  preventDefault(): void;
  url?: string;
}

/** The parts of webContents and session this uses (tests pass fakes). */
export interface ContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate' | 'will-attach-webview', listener: (event: NavigationEventLike, url: string) => void): unknown;
}

export interface SessionLike extends PermissionSessionLike {
  webRequest: {
    onHeadersReceived(listener: (details: { responseHeaders?: Record<string, string[] | string> }, callback: (response: { responseHeaders: Record<string, string[] | string> }) => void) => void): void;
  };
}

export interface PermissionSessionLike {
  setPermissionRequestHandler(handler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((contents: unknown, permission: string) => boolean) | null): void;
}

export function hardenContents(contents: ContentsLike, isTrusted: (url: string) => boolean, openExternal?: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Documentation links open in the user's browser; nothing opens inside the app.
    if (openExternal && isDocumentationLink(url)) openExternal(url);
    return { action: 'deny' };
  });
  const guard = (event: NavigationEventLike, url?: string) => {
    const target = typeof url === 'string' ? url : (event.url ?? '');
    if (!isTrusted(target)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  // Frames (an iframe in a report preview) must not navigate away either.
  contents.on('will-frame-navigate', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** No permission is ever granted, asked for or reported as granted. */
export function hardenPermissions(session: PermissionSessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export interface AppLike {
  on(event: 'web-contents-created', listener: (event: unknown, contents: ContentsLike & { session: PermissionSessionLike }) => void): unknown;
}

/**
 * Every web contents the app creates, whatever creates it (a window, the print window, a frame's
 * own contents), gets the navigation rules and its session the permission rules.
 */
export function hardenEveryContents(app: AppLike, isTrusted: (url: string) => boolean, openExternal?: (url: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenContents(contents, isTrusted, openExternal);
    hardenPermissions(contents.session);
  });
}

export function hardenSession(session: SessionLike, dev = false): void {
  hardenPermissions(session);
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
