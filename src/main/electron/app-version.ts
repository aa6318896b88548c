/**
 * In the bundled desktop app package.json is not beside the code, so the version is written in at
 * build time (electron.vite.config.ts defines it). Worker threads load this too: no Electron import.
 */
declare const __CAUSEWAY_VERSION__: string;

export const appVersion: string = __CAUSEWAY_VERSION__;
