/**
 * The SCM's measured fidelity beside its numbers in the CLI (`build`, `query`, `rank`), as a user runs
 * it on a small real project (LeNet-5 on the CIFAR-10 sample): every printed fidelity number against
 * the project's SQLite store read here — the build's validation, and the evaluation's per-draw answers
 * and criteria — recomputed from the raw stored values, the thresholds from src/shared/fidelity.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../src/main/evaluation/evaluation-report.js';
import type { Validation } from '../../src/main/scm/build-scm.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { fidelityThresholds } from '../../src/shared/fidelity.js';
import { REPO } from '../helpers/data-paths.js';

const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'causeway-cli-fidelity-'));
const project = join(tmp, 'lenet');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function causeway(...args: string[]) {
  const r = spawnSync(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, CAUSEWAY_PROGRESS: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function stored<T>(read: (store: ProjectStore) => T): T {
  const store = ProjectStore.open(project, { verify: false, readonly: true });
  try {
    return read(store);
  } finally {
    store.close();
  }
}
const storedValidation = () => stored((s) => s.getArtifact<{ validation: Validation }>('latest-build', 'latest')!.value.validation);
const storedEvaluation = () =>
  stored((s) => {
    const keys = s.listArtifacts('evaluation');
    expect(keys).toHaveLength(1);
    return s.getArtifact<EvaluationReport>('evaluation', keys[0].key)!.value;
  });

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const build = ['build', '--project', project, '--model', join(REPO, 'resources/models/lenet5'), '--data', join(REPO, 'resources/data/cifar10-test-sample.bin'), '--scale', String(1 / 255), '--limit', '200', '--augment-images', '40', '--batch-size', '32'];
const evaluateCommand = `npm run causeway -- evaluate --project ${project}`;

/** Every warning of the JSON is on stderr in text mode, and none other. */
function expectWarningsOnStderr(stderr: string, command: string, warnings: string[]) {
  const printed = stderr.split('\n').filter((l) => l.startsWith(`causeway ${command}: warning: `));
  expect(printed).toEqual(warnings.map((w) => `causeway ${command}: warning: ${w}`));
}

describe('fidelity beside the SCM numbers in the CLI', () => {
  it('build --json: the chained SCM against the network on the held-out images, as stored, poor exactly beyond the threshold', () => {
    const r = causeway(...build, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const v = storedValidation();
    const gap = 100 * Math.abs(v.scmAccuracy - v.modelAccuracy);
    expect(out.fidelity.chained).toMatchObject({
      scmAccuracy: v.scmAccuracy,
      networkAccuracy: v.modelAccuracy,
      teacherForcedAccuracy: v.scmAccuracyTeacherForced,
      images: v.evaluationImages,
      poor: gap > fidelityThresholds.chainedGapPoints,
    });
    expect(out.fidelity.chained.gapPoints).toBeCloseTo(gap, 12);
    expect(v.evaluationImages).toBe(40);
    expect(out.fidelity.chained.text).toContain(`Chained SCM ${pct(v.scmAccuracy)} vs network ${pct(v.modelAccuracy)} on 40 held-out images`);
    expect(out.warnings).toEqual(gap > fidelityThresholds.chainedGapPoints ? [out.fidelity.chained.warning] : []);
    expect(out.fidelity.evaluated).toBe(false);
    expect(out.fidelity.notEvaluated).toContain(evaluateCommand);
  });

  it('build (text): the chained line printed, its warning on stderr only when poor', () => {
    const r = causeway(...build);
    expect(r.code, r.stderr).toBe(0);
    const v = storedValidation();
    expect(r.stdout).toContain(`fidelity: Chained SCM ${pct(v.scmAccuracy)} vs network ${pct(v.modelAccuracy)} on 40 held-out images`);
    expect(r.stdout).toContain(`fidelity: Not evaluated yet`);
    const poor = 100 * Math.abs(v.scmAccuracy - v.modelAccuracy) > fidelityThresholds.chainedGapPoints;
    expect(r.stderr.includes('causeway build: warning: The chained SCM is')).toBe(poor);
  });

  it('query and rank before an evaluation: "notEvaluated" with the command to run, the chained gap beside the answer', () => {
    const q = causeway('query', '--project', project, '--do', 'conv1:0-2=0', '--json');
    expect(q.code, q.stderr).toBe(0);
    const query = JSON.parse(q.stdout);
    expect(query.fidelity.answer).toBe('notEvaluated');
    expect(query.fidelity.notEvaluated).toContain(evaluateCommand);
    expect(query.fidelity.chained.scmAccuracy).toBe(storedValidation().scmAccuracy);

    const rank = JSON.parse(causeway('rank', '--project', project, '--json').stdout);
    expect(rank.fidelity.ranking).toBe('notEvaluated');
    expect(rank.fidelity.notEvaluated).toContain(evaluateCommand);
    expect(rank.warnings).toEqual([]);
  });

  it('query after an evaluation: each answer mode with its mean error over the stored random zeroings, recomputed from the per-draw answers', () => {
    const e = causeway('evaluate', '--project', project, '--seeds', '2', '--curve-images', '16', '--resamples', '100', '--json');
    expect(e.code, e.stderr).toBe(0);
    const report = storedEvaluation();
    const draws = report.surrogate.draws;
    expect(draws.length).toBeGreaterThan(5);
    const expected = {
      counterfactual: draws.reduce((s, d) => s + 100 * Math.abs(d.scmAccuracy - d.realAccuracy), 0) / draws.length,
      interventional: draws.reduce((s, d) => s + 100 * Math.abs(d.scmAccuracyInterventional - d.realAccuracy), 0) / draws.length,
    };
    const ks = [...new Set(draws.map((d) => d.k))].sort((a, b) => a - b);
    for (const mode of ['counterfactual', 'interventional'] as const) {
      const r = causeway('query', '--project', project, '--do', 'conv1:0-2=0', '--mode', mode, '--json');
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      const answer = out.fidelity.answer;
      expect(answer.mode).toBe(mode);
      expect(answer.draws).toBe(draws.length);
      expect(answer.ks).toEqual(ks);
      expect(answer.maePoints).toBeCloseTo(expected[mode], 9);
      expect(answer.poor).toBe(expected[mode] > fidelityThresholds.queryErrorPoints);
      expect(answer.text).toContain(`the SCM's ${mode} accuracy is ${expected[mode].toFixed(1)} pp off the network's`);
      expect(out.fidelity.notEvaluated).toBeNull();
      expect(out.warnings).toEqual([out.fidelity.chained.warning, answer.warning].filter((w) => w !== null));

      const text = causeway('query', '--project', project, '--do', 'conv1:0-2=0', '--mode', mode);
      expect(text.stdout).toContain(`fidelity: ${answer.text}`);
      expectWarningsOnStderr(text.stderr, 'query', out.warnings);
    }
  });

  it("build --json after an evaluation: the stored evaluation's lines join the chained one, found from the store alone", () => {
    const r = causeway(...build, '--json');
    expect(r.code, r.stderr).toBe(0);
    const { fidelity, warnings } = JSON.parse(r.stdout);
    const report = storedEvaluation();
    const draws = report.surrogate.draws;
    expect(fidelity.evaluated).toBe(true);
    expect(fidelity.notEvaluated).toBeNull();
    expect(fidelity.queries.counterfactual.maePoints).toBeCloseTo(draws.reduce((s, d) => s + 100 * Math.abs(d.scmAccuracy - d.realAccuracy), 0) / draws.length, 9);
    expect(fidelity.ranking.spearman).toBe(report.criteria.find((c) => c.name === 'scm')!.spearman);
    expect(fidelity.surrogate).toMatchObject({ key: 'margin drop', spearman: report.surrogate.spearman, pearson: report.surrogate.pearson, filters: report.surrogate.filters });
    const lines = [fidelity.chained, fidelity.queries.counterfactual, fidelity.queries.interventional, fidelity.ranking, fidelity.surrogate];
    expect(warnings).toEqual(lines.filter((l) => l.poor).map((l) => l.warning));
  });

  it('rank after an evaluation: ρ with its interval, the truth\'s ceiling and the best other criterion, as stored', () => {
    const report = storedEvaluation();
    const scm = report.criteria.find((c) => c.name === 'scm')!;
    const others = report.criteria.filter((c) => c.name !== 'scm' && c.name !== 'random');
    const best = others.reduce((b, c) => (c.spearman > b.spearman ? c : b));
    const r = causeway('rank', '--project', project, '--json');
    expect(r.code, r.stderr).toBe(0);
    const { ranking } = JSON.parse(r.stdout).fidelity;
    expect(ranking.spearman).toBe(scm.spearman);
    expect(ranking.interval).toEqual(scm.spearmanInterval);
    expect(ranking.truthReliability).toBe(scm.truthReliability);
    expect(ranking.layers).toBe(2);
    expect(ranking.baseline).toEqual({ name: best.name, label: best.label, spearman: best.spearman });
    const belowBaseline = scm.spearman < best.spearman;
    const noisyTruth = !(scm.truthReliability! >= fidelityThresholds.truthReliability);
    expect(ranking.poor).toBe(belowBaseline || noisyTruth || scm.spearman < fidelityThresholds.rankingShareOfCeiling * scm.truthReliability!);
    if (belowBaseline) expect(ranking.warning).toContain(`below the ${best.label} baseline ${best.spearman.toFixed(2)}: prefer the baseline here`);
    if (noisyTruth) expect(ranking.warning).toContain(`The truth's reliability ${scm.truthReliability!.toFixed(2)} is below 0.8`);
    expect(ranking.text).toContain(`Spearman ρ ${scm.spearman.toFixed(2)} [${scm.spearmanInterval![0].toFixed(2)}, ${scm.spearmanInterval![1].toFixed(2)}]`);

    const text = causeway('rank', '--project', project);
    expect(text.stdout).toContain(`fidelity: ${ranking.text}`);
    expectWarningsOnStderr(text.stderr, 'rank', ranking.poor ? [ranking.warning] : []);
    expect(ranking.measuredFor).toBe(report.surrogate.mode);

    // The evaluation ranked in one answer mode; the other mode's ranking says whose ρ it shows.
    const other = report.surrogate.mode === 'counterfactual' ? 'interventional' : 'counterfactual';
    const asked = causeway('rank', '--project', project, '--mode', other);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toContain(`fidelity: ${ranking.text} (measured for the ${report.surrogate.mode} ranking, not this ${other} one)`);
  });
});
