/**
 * One writer per project: two `causeway build` processes on one project. The second stops at once
 * naming the first (its pid and command), or with --wait waits and then reuses what the first
 * built; a lock left by a killed process is taken over. Real child processes, real SQLite.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/data-paths.js';

const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'causeway-lock-'));
const project = join(tmp, 'project');
const lockFile = join(project, 'project.causeway.lock');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  try {
    if (existsSync(lockFile)) process.kill(holderPid(), 'SIGKILL');
  } catch {
    // already gone
  }
  rmSync(tmp, { recursive: true, force: true });
});

// The first build is paused (SIGSTOP) while it holds the lock, so the second meets it however fast
// or slow this machine is, then resumed (SIGCONT): a long build, made deterministic.
const flags = (seed: number) => ['build', '--project', project, '--model', join(REPO, 'resources/models/lenet5'), '--data', join(REPO, 'resources/data/cifar10-test-sample.bin'), '--scale', String(1 / 255), '--limit', '200', '--augment-images', '30', '--seed', String(seed), '--json'];

/** The pid the lock names (the CLI's node process, a child of the tsx launcher we spawned). */
const holderPid = () => (JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid;

function start(args: string[]) {
  const child = spawn(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), ...args], { cwd: REPO });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += String(d)));
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

/** Waits until `ready()` or the child has exited; the child must still be running. */
async function whileRunning(child: ChildProcess, ready: () => boolean): Promise<void> {
  while (!ready()) {
    expect(child.exitCode, 'the process ended before it got there').toBeNull();
    await new Promise((r) => setTimeout(r, 100));
  }
}

const withoutSeconds = (json: string) => ({ ...JSON.parse(json), seconds: 0 });

describe('two builds of one project', () => {
  it('the second stops at once, naming the first by pid and command; the first finishes and releases the lock', async () => {
    const first = start(flags(0));
    // The first holds the project once it has begun extracting.
    await whileRunning(first.child, () => existsSync(join(project, 'project.causeway.sqlite')) && existsSync(lockFile));
    const pid = holderPid();
    process.kill(pid, 'SIGSTOP');
    const started = Date.now();
    const second = await start(flags(0)).done;
    process.kill(pid, 'SIGCONT');
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(new RegExp(`project\\.causeway\\.lock is held by build \\(pid ${pid} on `));
    expect(second.stderr).toMatch(/--wait/);
    expect(Date.now() - started).toBeLessThan(60_000); // at once: CLI start-up only, no model loaded
    const result = await first.done;
    expect(result.code).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  }, 600_000);

  it('with --wait the second waits for the first, then reuses its build (same numbers)', async () => {
    const first = start(flags(1));
    await whileRunning(first.child, () => existsSync(lockFile));
    const pid = holderPid();
    process.kill(pid, 'SIGSTOP');
    const second = start([...flags(1), '--wait']);
    await whileRunning(second.child, () => second.stderr().includes('waiting for'));
    process.kill(pid, 'SIGCONT');
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(new RegExp(`waiting for build \\(pid ${pid} on .*\\) to finish`));
    expect(withoutSeconds(b.stdout)).toEqual(withoutSeconds(a.stdout));
    expect(existsSync(lockFile)).toBe(false);
  }, 600_000);

  it('a lock left by a process that no longer exists (kill -9) is taken over', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(gone.stdout);
    writeFileSync(lockFile, JSON.stringify({ pid, host: hostname(), command: 'build', startedAt: new Date().toISOString(), token: 'dead' }));
    const r = await start(flags(1)).done;
    expect(r.stderr).not.toMatch(/held by|waiting/);
    expect(r.code).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  }, 600_000);
});
