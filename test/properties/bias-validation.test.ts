/**
 * METHODS §5 validation with a planted bias, through the `causeway properties` command: the model
 * trained where a magenta corner patch marks cats shows a significant, large EPGM for `patch` on
 * p(cat); the model trained with the same patches placed at random does not, and neither does the
 * biased model for a control property (the patch in the top-left corner it never saw). The shuffle
 * test alone cannot tell them apart (every smooth curve is significant); the calibrated size cut-off
 * (EPGM·T ≥ LARGE_EPGM_PER_UNIT, issue 16) does, with Wilson intervals that do not overlap.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LARGE_EPGM_PER_UNIT } from '../../src/main/properties/property-summary.js';
import { wilson } from '../../src/main/properties/cutoff-calibration.js';
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
  largeCutoff: number;
  images: { index: number; epgm: number; p: number; rho: number; flips: number }[];
}

function audit(variant: 'biased' | 'clean', ...extra: string[]) {
  const r = causeway(
    'properties',
    '--project', join(tmp, variant),
    '--model', `resources/models/bias-audit-${variant}`,
    '--data', 'resources/data/cifar10-test-sample.bin',
    '--property', 'patch,patch:at=tl',
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
  const [b, bControl] = biased.properties;
  const [c] = clean.properties;
  const interval = (g: Group) => wilson(Math.round(g.shareLarge * g.n), g.n);

  it('prints the documented JSON shape', () => {
    expect(biased.properties.map((g) => g.name)).toEqual(['patch', 'patch:at=tl']);
    expect([b.name, b.class, b.className, b.n, b.images.length, b.largeCutoff]).toEqual(['patch', 3, 'cat', 20, 20, LARGE_EPGM_PER_UNIT]);
    expect(Object.keys(b.images[0])).toEqual(expect.arrayContaining(['index', 'epgm', 'p', 'rho', 'flips']));
    expect(biased.seconds).toBeGreaterThan(0);
  });

  it('significance alone does not separate the models: nearly every smooth curve passes the shuffle test', () => {
    expect(b.shareSignificant).toBeGreaterThanOrEqual(0.9);
    expect(c.shareSignificant).toBeGreaterThanOrEqual(0.9);
    expect(bControl.shareSignificant).toBeGreaterThanOrEqual(0.9);
  });

  it('the calibrated size cut-off separates them: biased flagged, clean and the control not, intervals apart', () => {
    expect(b.shareLarge).toBeGreaterThanOrEqual(0.5);
    expect(c.shareLarge).toBeLessThanOrEqual(0.05);
    expect(bControl.shareLarge).toBeLessThanOrEqual(0.05);
    expect(interval(b).lo).toBeGreaterThan(interval(c).hi);
    expect(interval(b).lo).toBeGreaterThan(interval(bControl).hi);
    expect(b.images.filter((i) => i.flips > 0).length).toBeGreaterThanOrEqual(10);
  });

  it('the clean model: a median EPGM far below the biased one, and below every biased curve’s median', () => {
    expect(b.medianEpgm).toBeGreaterThan(20 * c.medianEpgm);
    expect(b.medianEpgm).toBeGreaterThan(20 * bControl.medianEpgm);
    expect(Math.max(...c.images.map((i) => i.epgm))).toBeLessThan(b.medianEpgm);
  });

  it('readable text without --json (from the cache)', () => {
    const text = audit('biased');
    expect(text).toMatch(/^patch → p\(cat\) over 20 image\(s\): median EPGM \d\.\d\de-\d, significant \d+\.\d% \(p < 0\.05\), significant and large \(EPGM·T ≥ 0\.19/);
    expect(text).toContain('T = 100, 1000 permutations, seed 0');
  });

  it('a missing --property is a usage error (exit 2)', () => {
    const r = causeway('properties', '--project', join(tmp, 'biased'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--property is required');
  });
});
