/**
 * METHODS §5 validation with a planted bias, through the `causeway properties` command: the model
 * trained where a magenta corner patch marks cats shows a significant, large EPGM for `patch` on
 * p(cat); the model trained with the same patches placed at random does not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/data-paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-bias-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function causeway(...args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'src/main/cli/main.ts'), ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Group {
  name: string;
  class: number;
  className: string;
  n: number;
  medianEpgm: number;
  shareSignificant: number;
  shareLarge: number;
  images: { index: number; epgm: number; p: number; rho: number; flips: number }[];
}

function audit(variant: 'biased' | 'clean', ...extra: string[]) {
  const r = causeway(
    'properties',
    '--project', join(tmp, variant),
    '--model', `resources/models/bias-audit-${variant}`,
    '--data', 'resources/data/cifar10-test-sample.bin',
    '--property', 'patch',
    '--class', 'cat',
    '--images', '20',
    ...extra,
  );
  expect(r.stderr).not.toContain('causeway properties:'); // progress lines only
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('planted bias: biased vs clean model', () => {
  const biased = JSON.parse(audit('biased', '--json')) as { properties: Group[]; seconds: number };
  const clean = JSON.parse(audit('clean', '--json')) as { properties: Group[]; seconds: number };
  const [b] = biased.properties;
  const [c] = clean.properties;

  it('prints the documented JSON shape', () => {
    expect(biased.properties).toHaveLength(1);
    expect([b.name, b.class, b.className, b.n, b.images.length]).toEqual(['patch', 3, 'cat', 20, 20]);
    expect(Object.keys(b.images[0])).toEqual(expect.arrayContaining(['index', 'epgm', 'p', 'rho', 'flips']));
    expect(biased.seconds).toBeGreaterThan(0);
  });

  it('the biased model: significant and large EPGM for the patch on p(cat)', () => {
    expect(b.shareSignificant).toBeGreaterThanOrEqual(0.9);
    expect(b.shareLarge).toBeGreaterThanOrEqual(0.5);
    expect(b.images.filter((i) => i.flips > 0).length).toBeGreaterThanOrEqual(10);
  });

  it('the clean model: no large EPGM, and a median far below the biased one', () => {
    expect(c.shareLarge).toBe(0);
    expect(b.medianEpgm).toBeGreaterThan(20 * c.medianEpgm);
    expect(Math.max(...c.images.map((i) => i.epgm))).toBeLessThan(b.medianEpgm);
  });

  it('readable text without --json (from the cache)', () => {
    const text = audit('biased');
    expect(text).toMatch(/^patch → p\(cat\) over 20 image\(s\): median EPGM \d\.\d\de-\d, significant \d+\.\d% \(p < 0\.05\)/);
    expect(text).toContain('T = 100, 1000 permutations, seed 0');
  });

  it('a missing --property is a usage error (exit 2)', () => {
    const r = causeway('properties', '--project', join(tmp, 'biased'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--property is required');
  });
});
