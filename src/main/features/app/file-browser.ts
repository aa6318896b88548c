/**
 * The web mode's file and folder picker: a listing of one folder on the machine that runs
 * Causeway, limited to the roots it offers (the user's home folder and the bundled demo resources),
 * so a page on localhost cannot walk the whole disk. Electron uses the native dialog instead.
 */
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { FileListing, FileRoot } from '../../../shared/dto.js';
import { ApiError } from '../../../shared/errors.js';

/** Listing more than this many entries of one folder is cut (the listing says so). */
const maxEntries = 2000;

export function browserRoots(resourcesDir: string, home = homedir()): FileRoot[] {
  return [
    { label: 'Home', path: resolve(home) },
    { label: 'Bundled demos', path: resolve(resourcesDir) },
  ];
}

function inside(path: string, root: string): boolean {
  const r = relative(root, path);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..');
}

/** The folder `dir` (default: the first root) with its subfolders first, then files, by name. */
export function listFolder(roots: FileRoot[], dir?: string): FileListing {
  // Judged on the path as written (no "..": resolved away), so a link the user keeps in the home
  // folder may lead elsewhere, as it does in any file dialog.
  const wanted = resolve(dir ?? roots[0].path);
  const root = roots.find((r) => inside(wanted, resolve(r.path)));
  if (!root) throw new ApiError('invalid-args', `${wanted} is outside the folders the browser shows (${roots.map((r) => r.path).join(', ')}); type the path instead`);
  const stat = statSync(wanted, { throwIfNoEntry: false });
  if (!stat) throw new ApiError('not-found', `${wanted}: no such folder`);
  const folder = stat.isDirectory() ? wanted : dirname(wanted);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    throw new ApiError('invalid-args', `${folder}: cannot read this folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const entries = names
    .filter((n) => !n.startsWith('.'))
    .map((name) => {
      const path = join(folder, name);
      const s = statSync(path, { throwIfNoEntry: false });
      return s ? { name, path, kind: s.isDirectory() ? ('folder' as const) : ('file' as const), size: s.isDirectory() ? null : s.size } : null;
    })
    .filter((e): e is NonNullable<typeof e> => e !== null)
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name, 'en', { numeric: true }) : a.kind === 'folder' ? -1 : 1));
  return {
    dir: folder,
    parent: folder === resolve(root.path) ? null : dirname(folder),
    root: root.path,
    roots,
    entries: entries.slice(0, maxEntries),
    truncated: entries.length > maxEntries,
  };
}
