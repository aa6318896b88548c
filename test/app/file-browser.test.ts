/** The web mode's file browser: folders under its roots only, folders first, natural name order. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserRoots, listFolder } from '../../src/main/features/app/file-browser.js';

const home = mkdtempSync(join(tmpdir(), 'causeway-browser-home-'));
const resources = mkdtempSync(join(tmpdir(), 'causeway-browser-res-'));
const outside = mkdtempSync(join(tmpdir(), 'causeway-browser-out-'));
mkdirSync(join(home, 'models'));
writeFileSync(join(home, 'models', 'b10.h5'), 'x'.repeat(2048));
writeFileSync(join(home, 'models', 'b2.h5'), 'x');
mkdirSync(join(home, 'models', 'tfjs'));
writeFileSync(join(home, '.hidden'), '');
writeFileSync(join(outside, 'secret.txt'), 'no');
symlinkSync(outside, join(home, 'data-link'));
const roots = browserRoots(resources, home);

describe('file browser', () => {
  it('starts at home, lists folders first and names in natural order, with sizes and no hidden files', () => {
    const top = listFolder(roots);
    expect(top.dir).toBe(home);
    expect(top.parent).toBeNull();
    expect(top.roots.map((r) => r.label)).toEqual(['Home', 'Bundled demos']);
    expect(top.entries.map((e) => e.name)).toEqual(['data-link', 'models']);
    const models = listFolder(roots, join(home, 'models'));
    expect(models.entries.map((e) => [e.name, e.kind, e.size])).toEqual([
      ['tfjs', 'folder', null],
      ['b2.h5', 'file', 1],
      ['b10.h5', 'file', 2048],
    ]);
    expect(models.parent).toBe(home);
    // A file's path lists the folder it is in.
    expect(listFolder(roots, join(home, 'models', 'b2.h5')).dir).toBe(join(home, 'models'));
  });

  it('refuses folders outside its roots (.. included) with a line naming them, but follows the user\'s own links', () => {
    expect(() => listFolder(roots, outside)).toThrow(/is outside the folders the browser shows.*type the path instead/);
    expect(() => listFolder(roots, join(home, '..'))).toThrow(/outside/);
    expect(() => listFolder(roots, join(home, 'nope'))).toThrow(/no such folder/);
    expect(listFolder(roots, join(home, 'data-link')).entries.map((e) => e.name)).toEqual(['secret.txt']);
    expect(listFolder(roots, resources).root).toBe(resources);
  });
});
