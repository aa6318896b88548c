/** Round trips through a real database file, and refused writes that leave the saved data intact. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PhiBatch } from '../../src/main/store/builds.js';
import { fromBlobF64 } from '../../src/main/store/float-blob.js';
import { ProjectStoreError } from '../../src/main/store/project-store-error.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { DB_FILE_NAME } from '../../src/main/store/schema.js';
import { removeTempDirs, SETTINGS, tempDir } from './helpers.js';

afterAll(removeTempDirs);

function freshStore(): ProjectStore {
  return ProjectStore.open(tempDir(), { create: true });
}

/** `rows` rows of two layers (3 and 5 channels) whose values encode (batch, row, col). */
function batch(b: number, rows: number): PhiBatch {
  const block = (layer: string, cols: number) => ({
    layer,
    phi: 'fro',
    cols,
    data: Float32Array.from({ length: rows * cols }, (_, i) => b * 100 + Math.floor(i / cols) + (i % cols) / 10),
  });
  return {
    rows,
    images: Int32Array.from({ length: rows }, (_, r) => 10 * b + r),
    interventions: b === 1 ? Array.from({ length: rows }, (_, r) => (r === 0 ? { layer: 'a', channels: [2] } : null)) : undefined,
    blocks: [block('a', 3), block('b', 5)],
  };
}

function refusal(fn: () => unknown): ProjectStoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ProjectStoreError);
    return e as ProjectStoreError;
  }
  throw new Error('expected a ProjectStoreError');
}

describe('ProjectStore', () => {
  it('sets up WAL mode, the application id and the schema version', () => {
    const store = freshStore();
    store.close();
    const db = new Database(join(store.dir, DB_FILE_NAME), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(0x43415557);
    expect(db.pragma('user_version', { simple: true })).toBe(store.schemaVersion);
    db.close();
  });

  it('round-trips the settings and survives reopening', () => {
    const store = freshStore();
    expect(store.getSettings()).toBeUndefined();
    expect(store.setSettings(SETTINGS)).toEqual(SETTINGS);
    store.setSettings({ ...SETTINGS, preprocessing: { scale: 1, resize: [32, 32] }, split: undefined });
    store.close();
    const again = ProjectStore.open(store.dir);
    expect(again.getSettings()).toEqual({ ...SETTINGS, preprocessing: { scale: 1, resize: [32, 32] }, split: undefined });
    again.close();
  });

  it('refuses invalid settings and keeps the saved ones', () => {
    const store = freshStore();
    store.setSettings(SETTINGS);
    const bad = { ...SETTINGS, preprocessing: { scale: -1, std: [0] } };
    const e = refusal(() => store.setSettings(bad));
    expect(e.code).toBe('invalid-input');
    expect(e.message).toMatch(/project\.causeway\.sqlite refuses the project settings: preprocessing\.scale: must be positive/);
    expect(store.getSettings()).toEqual(SETTINGS);
    store.close();
  });

  it('reports settings edited into a shape it cannot read', () => {
    const store = freshStore();
    store.setSettings(SETTINGS);
    store.close();
    const db = new Database(store.file);
    db.prepare('UPDATE project SET settings = ?').run('{"modelPath": 3}');
    db.close();
    const again = ProjectStore.open(store.dir);
    expect(refusal(() => again.getSettings()).code).toBe('invalid-data');
    again.close();
  });

  it('writes φ batches and reads them back concatenated in batch order', () => {
    const store = freshStore();
    const status = store.beginBuild('k1', { kind: 'phi', settings: { phi: 'fro', b: 2, a: 1 }, totalBatches: 3 });
    expect(status).toMatchObject({ key: 'k1', kind: 'phi', totalBatches: 3, doneBatches: 0, finished: false });
    const batches = [batch(0, 4), batch(1, 2), batch(2, 3)];
    // Written out of order: reads follow the batch index, not the write order.
    for (const b of [2, 0, 1]) store.putPhiBatch('k1', b, batches[b]);
    expect(store.listDoneBatches('k1')).toEqual([0, 1, 2]);
    expect(store.isBuildFinished('k1')).toBe(true);
    for (const [l, cols] of [['a', 3], ['b', 5]] as const) {
      const m = store.readPhi('k1', l, 'fro')!;
      expect(m).toMatchObject({ rows: 9, cols });
      const expected = new Float32Array(batches.flatMap((b) => Array.from(b.blocks.find((x) => x.layer === l)!.data)));
      expect(m.data).toEqual(expected);
    }
    expect(store.readPhi('k1', 'a', 'binary')).toBeUndefined();
    expect(store.listPhi('k1')).toEqual([
      { layer: 'a', phi: 'fro', rows: 9, cols: 3 },
      { layer: 'b', phi: 'fro', rows: 9, cols: 5 },
    ]);
    const tags = store.readRowTags('k1');
    expect(Array.from(tags.images)).toEqual([0, 1, 2, 3, 10, 11, 20, 21, 22]);
    expect(tags.interventions).toEqual([null, null, null, null, { layer: 'a', channels: [2] }, null, null, null, null]);
    // Beginning the same build again resumes it; with other settings under the same key it is refused.
    expect(store.beginBuild('k1', { kind: 'phi', settings: { a: 1, b: 2, phi: 'fro' }, totalBatches: 3 }).doneBatches).toBe(3);
    expect(refusal(() => store.beginBuild('k1', { kind: 'phi', settings: { a: 2 }, totalBatches: 3 })).code).toBe('conflict');
    store.close();
  });

  it('refuses bad batches without storing any part of them', () => {
    const store = freshStore();
    store.beginBuild('k', { kind: 'phi', settings: {}, totalBatches: 2 });
    store.putPhiBatch('k', 0, batch(0, 2));
    const short = batch(1, 2);
    short.blocks[1].data = short.blocks[1].data.subarray(1);
    expect(refusal(() => store.putPhiBatch('k', 1, short)).message).toMatch(/refuses batch 1 of build k: φ fro of layer b has 9 values, expected 2×5/);
    expect(refusal(() => store.putPhiBatch('k', 0, batch(0, 2))).code).toBe('conflict');
    expect(refusal(() => store.putPhiBatch('k', 2, batch(2, 2))).message).toMatch(/batches 0…1/);
    expect(refusal(() => store.putPhiBatch('nope', 0, batch(0, 2))).message).toMatch(/has no build nope/);
    expect(store.listDoneBatches('k')).toEqual([0]);
    expect(store.readPhi('k', 'b', 'fro')!.rows).toBe(2);
    store.close();
  });

  it('rolls back a whole transaction: batch mark and artifact together', () => {
    const store = freshStore();
    store.beginBuild('ablation', { kind: 'ablation', settings: { layer: 'conv1' }, totalBatches: 2 });
    expect(() =>
      store.transaction(() => {
        store.markBatch('ablation', 0);
        store.putArtifact('ablation-chunk', '0', { drops: [0.1] });
        throw new Error('cancelled');
      }),
    ).toThrow('cancelled');
    expect(store.listDoneBatches('ablation')).toEqual([]);
    expect(store.hasArtifact('ablation-chunk', '0')).toBe(false);
    store.transaction(() => {
      store.markBatch('ablation', 0);
      store.putArtifact('ablation-chunk', '0', { drops: [0.1] });
    });
    expect(store.listDoneBatches('ablation')).toEqual([0]);
    store.close();
  });

  it('deletes a build with its batches and φ rows', () => {
    const store = freshStore();
    store.beginBuild('k', { kind: 'phi', settings: {}, totalBatches: 1 });
    store.beginBuild('other', { kind: 'phi', settings: {}, totalBatches: 1 });
    store.putPhiBatch('k', 0, batch(0, 2));
    store.putPhiBatch('other', 0, batch(0, 3));
    expect(store.listBuilds('phi').map((b) => b.key).sort()).toEqual(['k', 'other']);
    expect(store.deleteBuild('k')).toBe(true);
    expect(store.deleteBuild('k')).toBe(false);
    expect(store.getBuild('k')).toBeUndefined();
    expect(store.readPhi('k', 'a', 'fro')).toBeUndefined();
    expect(store.listDoneBatches('k')).toEqual([]);
    expect(store.readPhi('other', 'a', 'fro')!.rows).toBe(3);
    store.vacuum();
    store.close();
  });

  it('round-trips artifacts, validating with a schema at the read boundary', () => {
    const store = freshStore();
    const coefficients = new Float64Array([1.5, -2.25, Math.PI]);
    store.putArtifact('equations', 'h1', { method: 'ridge', lambda: 0.1 }, coefficients);
    store.putArtifact('ranking', 'h2', [3, 1, 2]);
    const schema = z.object({ method: z.enum(['linear', 'ridge']), lambda: z.number() });
    const eq = store.getArtifact('equations', 'h1', schema)!;
    expect(eq.value).toEqual({ method: 'ridge', lambda: 0.1 });
    expect(fromBlobF64(eq.blob!)).toEqual(coefficients);
    expect(store.getArtifact('ranking', 'h2')).toMatchObject({ value: [3, 1, 2] });
    expect(store.getArtifact('ranking', 'h2')!.blob).toBeUndefined();
    expect(refusal(() => store.getArtifact('ranking', 'h2', schema)).code).toBe('invalid-data');
    expect(store.getArtifact('ranking', 'missing')).toBeUndefined();
    store.putArtifact('ranking', 'h2', [1]);
    expect(store.getArtifact('ranking', 'h2')!.value).toEqual([1]);
    expect(store.listArtifacts('ranking').map((a) => a.key)).toEqual(['h2']);
    expect(refusal(() => store.putArtifact('ranking', 'h3', undefined)).code).toBe('invalid-input');
    expect(store.deleteArtifact('ranking', 'h2')).toBe(true);
    expect(store.hasArtifact('ranking', 'h2')).toBe(false);
    store.close();
  });

  it('keeps the intervention history in order, with later results and deletes', () => {
    const store = freshStore();
    const a = store.addIntervention({ spec: { layer: 'conv1', channels: [1], kind: 'zero' }, scmResult: { accuracy: 0.8 } });
    const b = store.addIntervention({ spec: { layer: 'conv2', channels: [4, 5], kind: 'scale', s: 0.5 } });
    const c = store.addIntervention({ spec: { layer: 'conv3', channels: [0], kind: 'zero' } });
    store.updateIntervention(b, { realResult: { accuracy: 0.7 } });
    expect(store.deleteIntervention(c)).toBe(true);
    expect(store.deleteIntervention(c)).toBe(false);
    const d = store.addIntervention({ spec: { layer: 'conv1', channels: [], kind: 'mean' } });
    expect(d).toBeGreaterThan(c); // ids never come back, so an undo stack can refer to them
    const list = store.listInterventions();
    expect(list.map((i) => i.id)).toEqual([a, b, d]);
    expect(list[0]).toMatchObject({ spec: { layer: 'conv1' }, scmResult: { accuracy: 0.8 } });
    expect(list[0].realResult).toBeUndefined();
    expect(store.getIntervention(b)).toMatchObject({ realResult: { accuracy: 0.7 } });
    expect(refusal(() => store.updateIntervention(999, { realResult: 1 })).code).toBe('invalid-input');
    store.close();
  });
});
