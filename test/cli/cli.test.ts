/** The `causeway` command as a user runs it: JSON on stdout, one-line errors, exit codes. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR10_TEST_BATCH, REPO, SHARED_MODELS } from '../helpers/data-paths.js';

const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'causeway-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function causeway(...args: string[]) {
  const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('causeway info', () => {
  it('prints backend, input shape, params and node layers as JSON', () => {
    const r = causeway('info', '--model', `${SHARED_MODELS}zz632893783_cifar10`, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(info.backend);
    expect(info.inputShape).toEqual([32, 32, 3]);
    // 3 convs (5×5: 3→32, 32→32, 32→64) + dense layers, counted from the manifest shapes.
    expect(info.params).toBe(145578);
    expect(info.nodeLayers.map((n: { channels: number }) => n.channels)).toEqual([32, 32, 64, 10]);
    expect(info.nodeLayers[0].parents).toEqual([]);
    expect(info.nodeLayers[1].parents).toEqual([info.nodeLayers[0].name]);
  });
});

describe('causeway eval', () => {
  it('prints accuracy, n, perClass and seconds as JSON', () => {
    const r = causeway('eval', '--model', `${SHARED_MODELS}lenet5_cifar10_patrickphat_h5/lenet5.h5`, '--data', CIFAR10_TEST_BATCH, '--limit', '200', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.n).toBe(200);
    expect(out.perClass).toHaveLength(10);
    expect(out.perClass.reduce((s: number, c: { n: number }) => s + c.n, 0)).toBe(200);
    expect(out.accuracy).toBeGreaterThan(0.45);
    expect(out.seconds).toBeGreaterThan(0);
  });

  it('reads readable text without --json', () => {
    const r = causeway('eval', '--model', `${SHARED_MODELS}zz632893783_cifar10`, '--data', CIFAR10_TEST_BATCH, '--limit', '50');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^accuracy \d+\.\d\d% on 50 images of test_batch\.bin/);
  });

  it('a missing model file is one line naming the file, exit 1', () => {
    const r = causeway('eval', '--model', '/nonexistent/model.h5', '--data', CIFAR10_TEST_BATCH, '--json');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('/nonexistent/model.h5');
    expect(r.stdout).toBe('');
  });

  it('a truncated dataset is one line naming the file and the problem, exit 1', () => {
    const truncated = join(tmp, 'cut.bin');
    copyFileSync(CIFAR10_TEST_BATCH, truncated);
    writeFileSync(truncated, Buffer.alloc(5000));
    const r = causeway('eval', '--model', `${SHARED_MODELS}zz632893783_cifar10`, '--data', truncated);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cut\.bin.*3073/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('bad arguments exit 2 with usage', () => {
    const r = causeway('eval', '--model', `${SHARED_MODELS}zz632893783_cifar10`, '--data', CIFAR10_TEST_BATCH, '--limit', 'ten');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--limit must be a number/);
    expect(r.stderr).toMatch(/usage:/);
  });

  it("a feature's name runs its older command (explain = graph, pixel-effects = cemap)", () => {
    for (const [alias, command] of [['explain', 'graph'], ['pixel-effects', 'cemap']]) {
      const r = causeway(alias, '--bogus', '1');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`usage: npm run causeway -- ${command} --project`));
    }
  });

  it('an unknown option is rejected', () => {
    const r = causeway('info', '--model', `${SHARED_MODELS}zz632893783_cifar10`, '--bogus', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bogus/);
  });
});
