/**
 * Arrows run one way: a room (folder) imports only rooms at its own level or below, never one above
 * it. The order, lowest first, is docs/ARCHITECTURE.md's; type-only imports count too (a type from
 * above is a dependency on above). Read from the source text, so a new file is checked as it lands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/data-paths.js';

/** Rooms lowest first; rooms on one line may import each other. */
export const roomOrder: string[][] = [
  ['src/shared'],
  ['src/main/util'],
  ['src/main/data'],
  ['src/main/engine'],
  ['src/main/store'],
  ['src/main/project'],
  ['src/main/scm'],
  ['src/main/evaluation'],
  ['src/main/properties'],
  ['src/main/causal-effect'],
  ['src/main/explanatory-graph'],
  ['src/main/jobs'],
  ['src/main/features'],
  ['src/main/report'],
  ['src/main/features/report'],
  ['src/main/services'],
  ['src/main/worker', 'src/main/server'],
  ['src/main/electron'],
  ['src/main/cli'],
  // The renderer and the preload see only the contract.
  ['src/preload', 'src/renderer'],
];

/** The most specific room a file belongs to, with its level. */
function roomOf(file: string): { room: string; level: number } | undefined {
  let best: { room: string; level: number } | undefined;
  roomOrder.forEach((rooms, level) => {
    for (const room of rooms) if ((file === room || file.startsWith(`${room}/`)) && (!best || room.length > best.room.length)) best = { room, level };
  });
  return best;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|vue|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every relative import of the file, as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  return [...text.matchAll(importPattern)].map((m) => relative(REPO, normalize(join(REPO, dirname(file), m[1]))));
}

/** "a → b" for every import that climbs: a file importing from a room above its own. */
export function upwardImports(files: string[], read: (file: string) => string[] = importsOf): string[] {
  const out: string[] = [];
  for (const file of files) {
    const from = roomOf(file);
    if (!from) continue;
    for (const target of read(file)) {
      const to = roomOf(target);
      if (to && to.level > from.level) out.push(`${file} → ${target} (${from.room} is below ${to.room})`);
    }
  }
  return out;
}

describe('import direction', () => {
  it('knows the room of every source file', () => {
    const files = sourceFiles('src');
    expect(files.filter((f) => !roomOf(f) && f !== 'src/renderer/index.html')).toEqual([]);
  });

  it('no folder imports one that sits above it', () => {
    expect(upwardImports(sourceFiles('src'))).toEqual([]);
  });

  it('catches an upward import, type-only ones included', () => {
    const fake: Record<string, string[]> = {
      'src/main/report/x.ts': ['src/main/services/app-service.ts', 'src/main/scm/rankings.ts'],
      'src/main/scm/y.ts': ['src/main/evaluation/criteria.ts'],
      'src/main/features/build/z.ts': ['src/main/features/rankings/ranking-job.ts', 'src/main/report/html.ts'],
      'src/renderer/src/w.ts': ['src/main/util/progress.ts', 'src/shared/contract.ts'],
    };
    expect(upwardImports(Object.keys(fake), (f) => fake[f])).toEqual([
      'src/main/report/x.ts → src/main/services/app-service.ts (src/main/report is below src/main/services)',
      'src/main/scm/y.ts → src/main/evaluation/criteria.ts (src/main/scm is below src/main/evaluation)',
      'src/main/features/build/z.ts → src/main/report/html.ts (src/main/features is below src/main/report)',
    ]);
    // The renderer reaching into main is not upward but sideways: the next test refuses it.
  });

  it('the renderer and the preload import nothing of main', () => {
    const reaching = sourceFiles('src/renderer').concat(sourceFiles('src/preload')).flatMap((f) => importsOf(f).filter((t) => t.startsWith('src/main/')).map((t) => `${f} → ${t}`));
    expect(reaching).toEqual([]);
  });
});
