/**
 * Finds a Chromium (or Chrome) on this system to print reports with: CHROME_PATH first, then the
 * usual executable names in the search folders (PATH and the standard install places). Playwright's
 * own browser download is never used: it needs the network, and the system's browser is updated by
 * the system. When none is found, the error lists everything that was looked for.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const chromiumNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

const standardFolders = ['/usr/bin', '/usr/local/bin', '/snap/bin', '/opt/google/chrome', '/Applications/Chromium.app/Contents/MacOS', '/Applications/Google Chrome.app/Contents/MacOS'];

export interface ChromiumSearch {
  /** Default: process.env.CHROME_PATH. */
  chromePath?: string;
  /** Folders to search; default: CAUSEWAY_CHROMIUM_SEARCH (path-list) if set, else PATH and the standard folders. */
  folders?: string[];
}

export class ChromiumNotFoundError extends Error {
  constructor(readonly lookedFor: string[]) {
    super(
      `no Chromium found to print the PDF; looked for ${lookedFor.join(', ')}. Install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH to a Chromium or Chrome executable`,
    );
    this.name = 'ChromiumNotFoundError';
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function defaultFolders(): string[] {
  const override = process.env.CAUSEWAY_CHROMIUM_SEARCH;
  if (override !== undefined) return override.split(delimiter).filter(Boolean);
  return [...new Set([...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...standardFolders])];
}

export function findChromium(search: ChromiumSearch = {}): string {
  const lookedFor: string[] = [];
  const chromePath = search.chromePath ?? process.env.CHROME_PATH;
  if (chromePath) {
    if (isExecutableFile(chromePath)) return chromePath;
    lookedFor.push(`CHROME_PATH=${chromePath} (not an executable file)`);
  }
  const folders = search.folders ?? defaultFolders();
  for (const folder of folders) {
    for (const name of chromiumNames) {
      const candidate = join(folder, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  lookedFor.push(folders.length ? `${chromiumNames.join(' / ')} in ${folders.join(', ')}` : `${chromiumNames.join(' / ')} (no folder to search)`);
  throw new ChromiumNotFoundError(lookedFor);
}
