/**
 * Creating a project is atomic and a project keeps the model and dataset it was made for: a bad
 * model or dataset (or one that does not fit the model) leaves nothing behind, so a retry with good
 * paths works; a --model/--data that differs from the stored one is an error, never ignored. And
 * `build` refuses the datasets `eval` refuses (classes vs logits), plus those too small to split.
 * Real files, real SQLite, the real CLI in a child process, the real AppService.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppService, handlers } from '../../src/main/services/app-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { REPO } from '../helpers/data-paths.js';

const resourcesDir = join(REPO, 'resources');
const lenet = join(resourcesDir, 'models/lenet5');
const vgg = join(resourcesDir, 'models/vgg_bn');
const sample = join(resourcesDir, 'data/cifar10-test-sample.bin');
const preprocessing = { scale: 1 / 255 };
const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');

let tmp: string;
let oneClass: string;
let tiny: string;

/** An image folder with `perClass` 32×32 PNGs in each of `classes` class folders. */
function imageFolder(dir: string, classes: number, perClass: number): string {
  for (let c = 0; c < classes; c++) {
    mkdirSync(join(dir, `class${c}`), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const png = new PNG({ width: 32, height: 32 });
      png.data.fill(20 * c + i);
      for (let p = 3; p < png.data.length; p += 4) png.data[p] = 255;
      writeFileSync(join(dir, `class${c}`, `${i}.png`), PNG.sync.write(png));
    }
  }
  return dir;
}

function causeway(...args: string[]) {
  const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'causeway-create-'));
  oneClass = imageFolder(join(tmp, 'one-class'), 1, 12);
  tiny = imageFolder(join(tmp, 'tiny'), 10, 2);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('project creation is atomic', () => {
  it('a missing model leaves no folder and no database', async () => {
    const dir = join(tmp, 'bad-model');
    await expect(ProjectSession.open(dir, { modelPath: join(tmp, 'nope.h5'), dataPath: sample, preprocessing })).rejects.toThrow(/nope\.h5/);
    expect(existsSync(dir)).toBe(false);
  });

  it('a missing dataset, or one with other classes than the logits, leaves nothing in an existing empty folder', async () => {
    const dir = join(tmp, 'existing-folder');
    mkdirSync(dir);
    await expect(ProjectSession.open(dir, { modelPath: lenet, dataPath: join(tmp, 'nope.bin'), preprocessing })).rejects.toThrow(/nope\.bin/);
    expect(readdirSync(dir)).toEqual([]);
    await expect(ProjectSession.open(dir, { modelPath: lenet, dataPath: oneClass, preprocessing })).rejects.toThrow(/one-class: has 1 class but the model outputs 10 logits/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the app: projects.create with a bad model fails, and the retry with good paths creates the project', async () => {
    const userDataDir = join(tmp, 'user-data');
    const service = new AppService({ userDataDir, resourcesDir, emit: () => undefined });
    const h = handlers(service);
    const dir = join(tmp, 'app-project');
    const bad = await h['projects.create']({ dir, modelPath: join(tmp, 'nope.h5'), dataPath: sample, preprocessing } as never).then(
      () => null,
      (e: Error) => e,
    );
    expect(bad?.message).toMatch(/nope\.h5/);
    expect(existsSync(join(dir, 'project.causeway.sqlite'))).toBe(false);
    const made = await h['projects.create']({ dir, modelPath: lenet, dataPath: sample, preprocessing } as never);
    expect(made.project.dir).toBe(dir);
    await service.dispose();
    const store = ProjectStore.open(dir);
    expect(store.getSettings()?.modelPath).toBe(lenet);
    store.close();
  });
});

describe('a project keeps its model and dataset', () => {
  it('opening with another --model is an error naming both models; the same paths open it', async () => {
    const dir = join(tmp, 'kept');
    (await ProjectSession.open(dir, { modelPath: lenet, dataPath: sample, preprocessing })).close();
    await expect(ProjectSession.open(dir, { modelPath: vgg, dataPath: sample, preprocessing })).rejects.toThrow(
      new RegExp(`--model ${vgg} \\(the project's model is ${lenet}\\)`),
    );
    const again = await ProjectSession.open(dir, { modelPath: lenet, dataPath: sample, preprocessing });
    expect(again.settings.modelPath).toBe(lenet);
    again.close();
  });

  it('CLI: build --model BAD on a new folder leaves nothing; build --model OTHER on an existing project is refused', () => {
    const fresh = join(tmp, 'cli-new');
    const bad = causeway('build', '--project', fresh, '--model', join(tmp, 'nope.h5'), '--data', sample, '--json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nope\.h5/);
    expect(existsSync(fresh)).toBe(false);

    const other = causeway('build', '--project', join(tmp, 'kept'), '--model', vgg, '--data', sample, '--json');
    expect(other.code).toBe(1);
    expect(other.stderr.trim().split('\n')).toHaveLength(1);
    expect(other.stderr).toMatch(/made for another model or dataset: --model .*vgg_bn/);
    expect(other.stdout).toBe('');
  });
});

describe('build and eval apply the same dataset checks', () => {
  it('a one-class image folder: eval and build both refuse it with the numbers; build leaves no project', () => {
    const ev = causeway('eval', '--model', lenet, '--data', oneClass, '--scale', String(1 / 255));
    expect(ev.code).toBe(1);
    expect(ev.stderr).toMatch(/one-class: has 1 class but the model outputs 10 logits/);
    const dir = join(tmp, 'one-class-project');
    const b = causeway('build', '--project', dir, '--model', lenet, '--data', oneClass, '--scale', String(1 / 255));
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/one-class: has 1 class but the model outputs 10 logits/);
    expect(existsSync(dir)).toBe(false);
  });

  it('two images per class: build refuses the 80/20 split with the numbers and leaves no project', () => {
    const dir = join(tmp, 'tiny-project');
    const b = causeway('build', '--project', dir, '--model', lenet, '--data', tiny, '--scale', String(1 / 255));
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/too few images per class for the build's 80\/20 train\/evaluation split \(class0 has 2, class1 has 2, class2 has 2, and 7 more; at least 5 per class/);
    expect(existsSync(dir)).toBe(false);
  });
});
