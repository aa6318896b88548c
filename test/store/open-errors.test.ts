/**
 * Opening anything but a healthy Causeway database fails with a message naming the file and the
 * problem, and leaves the file byte-identical (and the folder without new files).
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/main/store/migrations.js';
import { ProjectStoreError, type ProjectStoreErrorCode } from '../../src/main/store/project-store-error.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { DB_FILE_NAME } from '../../src/main/store/schema.js';
import { listing, removeTempDirs, SETTINGS, sha256, tempDir } from './helpers.js';

afterAll(removeTempDirs);

function projectWith(content: Buffer | string): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, DB_FILE_NAME);
  writeFileSync(file, content);
  return { dir, file };
}

/** Expects open (also with create) to fail with `code` and `message`, touching nothing. */
function expectRefused(dir: string, code: ProjectStoreErrorCode, message: RegExp): void {
  const file = join(dir, DB_FILE_NAME);
  const before = sha256(file);
  const files = listing(dir);
  for (const create of [false, true]) {
    let error: unknown;
    try {
      ProjectStore.open(dir, { create }).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProjectStoreError);
    expect((error as ProjectStoreError).code).toBe(code);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(message);
  }
  expect(sha256(file)).toBe(before);
  expect(listing(dir)).toEqual(files);
}

/** A seeded byte stream, so a corruption test damages the same bytes on every run. */
function garbage(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function healthyProject(): { dir: string; file: string } {
  const dir = tempDir();
  const store = ProjectStore.open(dir, { create: true });
  store.setSettings(SETTINGS);
  store.putArtifact('fit', 'k', { note: 'x'.repeat(20_000) }, new Float32Array(50_000));
  for (let i = 0; i < 100; i++) store.addIntervention({ spec: { layer: 'conv1', channels: [i] } });
  store.close();
  return { dir, file: join(dir, DB_FILE_NAME) };
}

function overwrite(file: string, from: number, seed: number): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, garbage(statSync(file).size - from, seed), 0, undefined, from);
  closeSync(fd);
}

describe('ProjectStore.open refuses', () => {
  it('a missing folder or file unless asked to create', () => {
    const parent = tempDir();
    const dir = join(parent, 'new-project');
    expect(() => ProjectStore.open(dir)).toThrow(/new-project[/\\]project\.causeway\.sqlite does not exist \(nor does its folder\)/);
    expect(existsSync(dir)).toBe(false);
    mkdirSync(dir);
    expect(() => ProjectStore.open(dir)).toThrow(/project\.causeway\.sqlite does not exist$/);
    expect(listing(dir)).toEqual([]);
  });

  it('random bytes', () => {
    expectRefused(projectWith(garbage(10_000, 7)).dir, 'not-sqlite', /is not a Causeway project database \(not an SQLite file\)$/);
  });

  it('a text file', () => {
    expectRefused(projectWith('my notes\n').dir, 'not-sqlite', /is not a Causeway project database \(not an SQLite file\)$/);
  });

  it('an empty file', () => {
    expectRefused(projectWith('').dir, 'not-sqlite', /is not a Causeway project database \(an empty file\)$/);
  });

  it('a folder in place of the file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, DB_FILE_NAME));
    expect(() => ProjectStore.open(dir, { create: true })).toThrow(/not a regular file/);
  });

  it.each([
    ['0x12345678', 0x12345678],
    ['0x00000000', 0],
    ['0xffffffff', -1],
  ])('another application’s SQLite database (application_id %s)', (hex, id) => {
    const dir = tempDir();
    const db = new Database(join(dir, DB_FILE_NAME));
    db.pragma(`application_id = ${id}`);
    db.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (\'keep me\')');
    db.close();
    expectRefused(dir, 'foreign', new RegExp(`belongs to another application \\(application_id ${hex}\\)$`));
  });

  it('a database from a newer Causeway', () => {
    const { dir, file } = healthyProject();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    db.close();
    expectRefused(
      dir,
      'newer-schema',
      new RegExp(`was written by a newer Causeway \\(schema ${SCHEMA_VERSION + 3}, this version reads up to ${SCHEMA_VERSION}\\)$`),
    );
  });

  it('a database whose pages after the first are garbage', () => {
    const { dir, file } = healthyProject();
    overwrite(file, 4096, 11);
    expectRefused(dir, 'corrupt', /is a corrupt Causeway project database \(.+\); it was left as it is/);
  });

  it('a database with a valid header and nothing else', () => {
    const { dir, file } = healthyProject();
    overwrite(file, 100, 12);
    expectRefused(dir, 'corrupt', /is a corrupt Causeway project database/);
  });

  it('a truncated database', () => {
    const { dir, file } = healthyProject();
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectRefused(dir, 'corrupt', /is a corrupt Causeway project database/);
  });
});

describe('ProjectStore.open accepts', () => {
  it('its own database again, with or without create, and keeps what it holds', () => {
    const { dir } = healthyProject();
    for (const create of [false, true]) {
      const store = ProjectStore.open(dir, { create });
      expect(store.getSettings()).toEqual(SETTINGS);
      expect(store.listInterventions()).toHaveLength(100);
      store.close();
    }
  });

  it('creates nested folders and leaves no temporary files', () => {
    const dir = join(tempDir(), 'a', 'b');
    ProjectStore.open(dir, { create: true }).close();
    expect(listing(dir)).toEqual([DB_FILE_NAME]);
  });
});
