/**
 * The store in a folder that cannot be written (a read-only bind mount as root, write bits removed
 * otherwise): opened read-only it reads everything, including a WAL database whose -shm SQLite
 * cannot create there; every write is refused with the file named and what to do; re-storing an
 * identical value is not a write. Opened for writing, the refusal names the file too.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { ProjectStoreError } from '../../src/main/store/project-store-error.js';
import { readOnlyView, type ReadOnlyView } from '../helpers/read-only-folder.js';
import { listing, removeTempDirs, SETTINGS, sha256, tempDir } from './helpers.js';

const views: ReadOnlyView[] = [];
afterAll(() => {
  for (const v of views.splice(0)) v.release();
  removeTempDirs();
});

function readOnlyProject() {
  const root = tempDir();
  const dir = join(root, 'project');
  const store = ProjectStore.open(dir, { create: true });
  store.setSettings(SETTINGS);
  store.putArtifact('ranking', 'k1', { order: [3, 1, 2] }, new Float32Array([0.5, 0.25]));
  store.close();
  const view = readOnlyView(dir, join(root, 'read-only'));
  if (view) views.push(view);
  return view;
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as ProjectStoreError;
  }
  throw new Error('expected a refusal');
};

describe('a project database in a read-only folder', () => {
  it('opens read-only and reads settings and artifacts; the file is left byte-identical', ({ skip }) => {
    const view = readOnlyProject();
    if (!view) return skip('no read-only folder technique works here');
    const file = join(view.path, 'project.causeway.sqlite');
    const before = sha256(file);
    const store = ProjectStore.open(view.path, { readonly: true });
    expect(store.readonly).toBe(true);
    expect(store.getSettings()).toEqual(SETTINGS);
    const art = store.getArtifact<{ order: number[] }>('ranking', 'k1')!;
    expect(art.value).toEqual({ order: [3, 1, 2] });
    expect(new Float32Array(art.blob!.buffer, art.blob!.byteOffset, 2)).toEqual(new Float32Array([0.5, 0.25]));
    // Storing what is already there changes nothing and is allowed; anything else is refused.
    store.putArtifact('ranking', 'k1', { order: [3, 1, 2] }, new Float32Array([0.5, 0.25]));
    const e = refusal(() => store.putArtifact('ranking', 'k2', { order: [] }));
    expect(e).toBeInstanceOf(ProjectStoreError);
    expect(e.code).toBe('read-only');
    expect(e.message).toBe(`${file} was opened for reading only and cannot store ranking k2`);
    store.close();
    expect(sha256(file)).toBe(before);
    expect(listing(view.path)).toEqual(['project.causeway.sqlite']);
  });

  it('opened for writing, it is refused with the file named and what to do', ({ skip }) => {
    const view = readOnlyProject();
    if (!view) return skip('no read-only folder technique works here');
    const file = join(view.path, 'project.causeway.sqlite');
    const e = refusal(() => ProjectStore.open(view.path));
    expect(e).toBeInstanceOf(ProjectStoreError);
    expect(e.code).toBe('read-only');
    expect(e.message).toMatch(new RegExp(`^${file} cannot be written \\(opening it for writing\\): the file or its folder is read-only; make the folder writable, or copy the project to a writable folder and run again$`));
  });
});
