/** The app's version, from package.json, for project files and report footers. */
import { readFileSync } from 'node:fs';

export const appVersion: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
