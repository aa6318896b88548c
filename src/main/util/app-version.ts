/**
 * The app's version, for project files and report footers. The electron-vite bundle has it written
 * in at build time (electron.vite.config.ts defines __CAUSEWAY_VERSION__), because package.json is not
 * beside the bundled code; run from source (tsx, vitest) it is read from package.json. One module for
 * both, so every importer gets the same answer whatever path it imports it by. No Electron import:
 * worker threads load this too.
 */
import { readFileSync } from 'node:fs';

declare const __CAUSEWAY_VERSION__: string | undefined;

export const appVersion: string =
  typeof __CAUSEWAY_VERSION__ === 'string'
    ? __CAUSEWAY_VERSION__
    : (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
