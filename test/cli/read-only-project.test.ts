/**
 * A project in a folder nobody may write to (a shared drive, a published result): the commands that
 * only read work (report, rank once cached, query), and a command that must write fails with one
 * line naming the database file and saying what to do. The folder is made read-only for real (a
 * read-only bind mount as root, write bits removed otherwise) and the CLI runs in a child process.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/main/features/build/build-service.js';
import { REPO } from '../helpers/data-paths.js';
import { readOnlyView, type ReadOnlyView } from '../helpers/read-only-folder.js';

const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'causeway-ro-'));
const project = join(tmp, 'project');
let view: ReadOnlyView | null = null;

function causeway(...args: string[]) {
  const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  await buildProject({
    project,
    create: { modelPath: join(REPO, 'resources/models/lenet5'), dataPath: join(REPO, 'resources/data/cifar10-test-sample.bin'), preprocessing: { scale: 1 / 255 } },
    settings: { limit: 150, augmentImages: 30, batchSize: 50 },
  });
  view = readOnlyView(project, join(tmp, 'read-only'));
}, 300_000);

afterAll(() => {
  view?.release();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a read-only project', () => {
  it('is really read-only', ({ skip }) => {
    if (!view) skip('neither a read-only bind mount nor file modes are available here');
    const probe = spawnSync('sh', ['-c', `touch ${join(view!.path, 'probe')}`], { encoding: 'utf8' });
    expect(probe.status).not.toBe(0);
  });

  it('report writes its files elsewhere and leaves the project byte-identical', ({ skip }) => {
    if (!view) skip('no read-only folder');
    const db = join(view!.path, 'project.causeway.sqlite');
    const before = sha(db);
    const out = join(tmp, 'report.json');
    const r = causeway('report', '--project', view!.path, '--json', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.sections).toContain('summary');
    expect(sha(db)).toBe(before);
  });

  it('rank without a cached ranking prints it and names the file it could not store it in', ({ skip }) => {
    if (!view) skip('no read-only folder');
    const r = causeway('rank', '--project', view!.path, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).layers.length).toBeGreaterThan(0);
    expect(r.stderr).toContain(join(view!.path, 'project.causeway.sqlite'));
    expect(r.stderr).toMatch(/read-only/);
  });

  it('rank once cached (by a writable run) reads it back; query answers without storing', ({ skip }) => {
    if (!view) skip('no read-only folder');
    const writable = causeway('rank', '--project', project, '--json');
    expect(writable.code).toBe(0);
    const r = causeway('rank', '--project', view!.path, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The same ranking; its "not evaluated" line names the folder each run was given.
    const [read, wrote] = [JSON.parse(r.stdout), JSON.parse(writable.stdout)];
    expect(read.fidelity.notEvaluated).toContain(`evaluate --project ${view!.path}`);
    expect({ ...read, fidelity: null }).toEqual({ ...wrote, fidelity: null });
    const q = causeway('query', '--project', view!.path, '--do', 'conv1:0-2=0', '--json');
    expect(q.stderr).toBe('');
    expect(q.code).toBe(0);
    expect(JSON.parse(q.stdout).n).toBe(30);
  });

  it('a command that must write fails with one line naming the file and what to do', ({ skip }) => {
    if (!view) skip('no read-only folder');
    const r = causeway('build', '--project', view!.path, '--limit', '120');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(view!.path, 'project.causeway.sqlite'));
    expect(r.stderr).toMatch(/read-only.*writable/);
    expect(r.stderr).not.toMatch(/attempt to write a readonly database$/);
  });
});
