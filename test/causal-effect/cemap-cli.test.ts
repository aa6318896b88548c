/** `causeway cemap` and `causeway adversarial` as a user runs them: JSON shapes, text, bad flags. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/data-paths.js';
import { LENET, SAMPLE } from './helpers.js';

const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'causeway-cemap-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function causeway(...args: string[]) {
  const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, CAUSEWAY_PROGRESS: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('causeway cemap / adversarial', () => {
  const project = join(tmp, 'p');

  it('cemap prints images with their maps and a summary', () => {
    const r = causeway('cemap', '--project', project, '--model', LENET, '--data', SAMPLE, '--images', '5', '--grid', '4', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.images).toHaveLength(5);
    const im = out.images[0];
    expect(Object.keys(im)).toEqual(expect.arrayContaining(['index', 'cls', 'map', 'gradcamSpearman', 'deletionAuc', 'insertionAuc']));
    expect(im.map).toHaveLength(16);
    expect(out.summary.images).toBe(5);
  });

  it('adversarial prints attack success and AUROC per statistic, and text without --json', () => {
    const r = causeway('adversarial', '--project', project, '--attack', 'fgsm', '--eps', '8', '--images', '5', '--grid', '4', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.n).toBe(5);
    expect(out.attackSuccess).toBeGreaterThanOrEqual(0);
    expect(Object.keys(out.auroc).sort()).toEqual(['entropy', 'mass', 'max']);
    // beside the confidence baselines: the one-sided AUROC of CE mass is the same number as `auroc.mass`
    expect(out.detection.scores.find((s: { name: string }) => s.name === 'ce-mass').oneSided.estimate).toBeCloseTo(out.auroc.mass, 5);
    expect(out.detection.scores.filter((s: { family: string }) => s.family === 'baseline').map((s: { name: string }) => s.name)).toEqual(['low-confidence', 'predictive-entropy']);
    const text = causeway('adversarial', '--project', project, '--attack', 'fgsm', '--eps', '8', '--images', '5', '--grid', '4');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^FGSM ε = 8\/255 of the input range, 5 images/);
    expect(text.stdout).toMatch(/attack success/);
    expect(text.stdout).toContain(out.detection.primary.sentence);
  });

  it('refuses a bad fill with a usage error', () => {
    const r = causeway('cemap', '--project', project, '--fill', 'noise');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fill must be one of zero, mean, blur/);
  });
});
