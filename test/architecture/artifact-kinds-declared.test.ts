/**
 * Every stored result goes through a declared artifact kind (store/artifact-kind.ts): outside the
 * store, no call names a kind or makes a key inline. Read from the source text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/data-paths.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** `store.getArtifact('ranking', …)` and the like: a kind written as a string where it is used. */
const inlineKind = /\b(?:get|put|list|delete|has)Artifact(?:<[^>]*>)?\(\s*['"`]/;

export function inlineKinds(files: Record<string, string>): string[] {
  return Object.entries(files).flatMap(([file, text]) =>
    text.split('\n').flatMap((line, i) => (inlineKind.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('artifact kinds', () => {
  it('no stored result is named inline outside the store', () => {
    const files = Object.fromEntries(sourceFiles('src/main').filter((f) => !f.startsWith('src/main/store/')).map((f) => [f, readFileSync(join(REPO, f), 'utf8')]));
    expect(inlineKinds(files)).toEqual([]);
  });

  it('catches a kind written inline', () => {
    expect(inlineKinds({ 'a.ts': "const r = store.getArtifact<LayerRanking[]>('ranking', key)?.value;\nwriteArtifact(store, rankingArtifact, r, eq, ev);" })).toEqual([
      "a.ts:1: const r = store.getArtifact<LayerRanking[]>('ranking', key)?.value;",
    ]);
  });
});
