/** `causeway graph` and `causeway repair` as a user runs them: JSON shapes, the cache, text, bad flags. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/data-paths.js';
import { SAMPLE, modelPath } from './helpers.js';

const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'causeway-graph-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function causeway(...args: string[]) {
  const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, CAUSEWAY_PROGRESS: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('causeway graph', () => {
  const project = join(tmp, 'lenet');
  const flags = ['--images', '6', '--bootstrap', '1', '--noise', '1', '--k', '3'];

  it('prints the graph with stability and faithfulness against the baselines, then answers from the cache', () => {
    const r = causeway('graph', '--project', project, '--model', modelPath('lenet5'), '--data', SAMPLE, '--class', 'cat', ...flags, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.class).toBe(3);
    expect(out.className).toBe('cat');
    expect(out.nodes.length).toBeGreaterThan(0);
    expect(Object.keys(out.nodes[0]).sort()).toEqual(['channel', 'effect', 'layer']);
    expect(Object.keys(out.edges[0]).sort()).toEqual(['effect', 'from', 'to']);
    expect(out.edges.some((e: { to: string }) => e.to === 'logits:3')).toBe(true);
    expect(out.nodes.filter((n: { layer: string }) => n.layer === 'conv2').length).toBeLessThanOrEqual(3);
    expect(Object.keys(out.stability)).toEqual(expect.arrayContaining(['jaccard', 'spearman', 'bootstrap', 'noise', 'baselines']));
    expect(Object.keys(out.faithfulness)).toEqual(expect.arrayContaining(['sufficiency', 'necessity', 'baselines']));
    expect(out.faithfulness.baselines.map((b: { name: string }) => b.name)).toEqual(['grad-cam', 'gradient-x-activation', 'taylor', 'random']);
    expect(Object.keys(out.faithfulness.baselines[0])).toEqual(expect.arrayContaining(['name', 'sufficiency', 'necessity']));
    expect(typeof out.seconds).toBe('number');
    expect(out.cached).toBe(false);

    const again = causeway('graph', '--project', project, '--class', '3', ...flags);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^explanatory graph of class 3 \(cat\) on 6 held-out images: .* \(cached\)/);
    expect(again.stdout).toMatch(/stability +Jaccard +Spearman/);
    expect(again.stdout).toMatch(/causal graph/);
  });

  it('refuses --k with --tau as a usage error', () => {
    const both = causeway('graph', '--project', project, '--class', '3', '--k', '3', '--tau', '0.1');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --k or --tau, not both/);
  });
});

describe('causeway repair', () => {
  it('prints the removed channels and accuracy on aligned and conflicting images before and after', () => {
    const r = causeway('repair', '--project', join(tmp, 'bias'), '--model', modelPath('bias-audit-biased'), '--data', SAMPLE, '--class', 'cat', '--images', '30', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.removed.map((n: { id: string }) => n.id)).toEqual(['conv2:3']);
    expect(Object.keys(out.before)).toEqual(expect.arrayContaining(['aligned', 'conflicting']));
    expect(out.after.conflicting).toBeGreaterThan(out.before.conflicting);
    // the paired change: after − before on the same images, from the discordant counts
    const t = out.change.conflicting.counts;
    expect(t.both + t.beforeOnly + t.afterOnly + t.neither).toBe(out.images.evaluation);
    expect(out.change.conflicting.difference).toBeCloseTo(out.after.conflicting - out.before.conflicting, 5);
    expect(out.change.conflicting.interval[0]).toBeLessThan(out.change.conflicting.difference);
    expect(out.sentence).toContain('paired 95% interval, Newcombe');
  });
});
