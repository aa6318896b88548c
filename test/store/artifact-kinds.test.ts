/**
 * Stored results are read through the same declarations that wrote them (real SQLite): the kind's key
 * recipe is the one place a cache key is made, so the app finds the evaluation `causeway evaluate`
 * stored with the default settings (the app once hashed the defaults its own way and missed it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedEvaluation } from '../../src/main/features/rankings/rankings-extension.js';
import { evaluationArtifact } from '../../src/main/evaluation/artifacts.js';
import type { EvaluationReport } from '../../src/main/evaluation/evaluation-report.js';
import { resolveEvaluationSettings } from '../../src/main/evaluation/evaluation-settings.js';
import type { BuiltScm } from '../../src/main/scm/build-scm.js';
import { rankingArtifact } from '../../src/main/scm/artifacts.js';
import { artifactKind, readAllArtifacts, readArtifact, writeArtifact } from '../../src/main/store/artifact-kind.js';
import { combineHashes } from '../../src/main/store/hashing.js';
import { ProjectStore } from '../../src/main/store/project-store.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-kinds-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('artifact kinds', () => {
  it('write and read a value under the key the kind makes, and list a kind oldest first', async () => {
    const store = ProjectStore.open(join(tmp, 'a'), { create: true });
    const notes = artifactKind<{ text: string }>()('test-notes', (a: string, b: number) => `${a}/${b}`);
    writeArtifact(store, notes, { text: 'first' }, 'x', 1);
    await new Promise((r) => setTimeout(r, 5));
    writeArtifact(store, notes, { text: 'second' }, 'x', 2);
    expect(store.getArtifact('test-notes', 'x/1')?.value).toEqual({ text: 'first' });
    expect(readArtifact(store, notes, 'x', 2)).toEqual({ text: 'second' });
    expect(readArtifact(store, notes, 'y', 1)).toBeUndefined();
    expect(readAllArtifacts(store, notes).map((n) => n.value.text)).toEqual(['first', 'second']);
    store.close();
  });

  it('keep the ranking key of stored projects (a changed value would make every project recompute)', () => {
    // The value of combineHashes over the same parts, written out: the key recipe is unchanged.
    expect(rankingArtifact.key('eq', 'ev')).toBe(combineHashes('eq', 'ev', 'scm-ranking', 'counterfactual-margin'));
    expect(rankingArtifact.key('eq', 'ev', 'interventional')).toBe(combineHashes('eq', 'ev', 'scm-ranking', 'interventional-margin'));
  });

  it("the app's rankings view finds the evaluation stored with the default settings", () => {
    const store = ProjectStore.open(join(tmp, 'b'), { create: true });
    const built = { keys: { equations: 'eq-key', evaluation: 'ev-key' } } as unknown as BuiltScm;
    expect(cachedEvaluation(store, built)).toBeUndefined();
    const report = { images: 60, criteria: [] } as unknown as EvaluationReport;
    // What `causeway evaluate` with no options stores (evaluation-service.ts).
    writeArtifact(store, evaluationArtifact, report, 'eq-key', 'ev-key', resolveEvaluationSettings({}));
    expect(cachedEvaluation(store, built)).toEqual(report);
    store.close();
  });
});
