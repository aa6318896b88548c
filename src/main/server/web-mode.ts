/**
 * Starts Causeway in web mode: the services, the renderer (built if needed) and the server, in this
 * process. `npm run serve` and `npm start` (when Electron is missing) call this; so do the tests.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppService, handlers } from '../services/app-service.js';
import type { JobRunner } from '../jobs/run-job.js';
import { EventHub } from './event-hub.js';
import { ensureRendererBuilt } from './renderer-build.js';
import { startWebServer, type WebServer } from './web-server.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

/** Where Electron keeps user data on Linux (~/.config/causeway), so both modes share recent projects. */
export function defaultUserDataDir(): string {
  return process.env.CAUSEWAY_USER_DATA ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'causeway');
}

export interface WebModeOptions {
  port?: number;
  host?: string;
  token?: boolean | string;
  userDataDir?: string;
  resourcesDir?: string;
  say?: (line: string) => void;
  runJob?: JobRunner;
}

export interface WebMode extends WebServer {
  service: AppService;
}

export async function startWebMode(options: WebModeOptions = {}): Promise<WebMode> {
  const rendererDir = await ensureRendererBuilt(repoRoot, options.say);
  const hub = new EventHub();
  const service = new AppService({
    userDataDir: options.userDataDir ?? defaultUserDataDir(),
    resourcesDir: options.resourcesDir ?? join(repoRoot, 'resources'),
    emit: hub.emit,
    runJob: options.runJob,
  });
  const server = await startWebServer({ handlers: handlers(service), hub, rendererDir, host: options.host, port: options.port, token: options.token });
  return {
    ...server,
    service,
    close: async () => {
      await service.dispose();
      await server.close();
    },
  };
}
