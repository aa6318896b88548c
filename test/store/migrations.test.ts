/** Each migration commits with its version bump or not at all. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, SCHEMA_VERSION, userVersion, type Migration } from '../../src/main/store/migrations.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('migrate', () => {
  it('applies the migrations in order, once', () => {
    const db = new Database(join(tempDir(), 'm.sqlite'));
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(expect.arrayContaining(['artifacts', 'build_batches', 'builds', 'interventions', 'phi_batches', 'project']));
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('leaves a failing migration wholly unapplied, the earlier ones kept', () => {
    const db = new Database(join(tempDir(), 'm.sqlite'));
    const steps: Migration[] = [
      { version: 1, description: 'one', up: (d) => d.exec('CREATE TABLE one (x INTEGER)') },
      {
        version: 2,
        description: 'two',
        up: (d) => {
          d.exec('CREATE TABLE two (x INTEGER)');
          throw new Error('step two failed');
        },
      },
    ];
    expect(() => migrate(db, steps)).toThrow('step two failed');
    expect(userVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['one']);
    db.close();
  });

  it('rejects a migration list out of order', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, description: 'x', up: () => undefined }])).toThrow(/version 2, expected 1/);
    db.close();
  });
});
