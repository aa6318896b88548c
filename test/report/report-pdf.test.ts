/**
 * Reports end to end on real projects (LeNet-5 evaluated, VGG-BN not): the PDF printed by the
 * system's Chromium is read back with poppler, and every key number must equal the value stored in
 * the project (read here straight from SQLite) formatted the way the report formats it.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReport } from '../../src/main/report/compose-report.js';
import { fixed, pct, pts, sig } from '../../src/main/report/format.js';
import { printPdf } from '../../src/main/report/print-pdf.js';
import type { Validation } from '../../src/main/scm/build-scm.js';
import { latestBuild } from '../../src/main/scm/latest-build.js';
import { type LayerRanking, scmRankingKey } from '../../src/main/scm/rankings.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { appVersion } from '../../src/main/util/app-version.js';
import type { EvaluationReport } from '../../src/main/evaluation/evaluation-report.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { makeLenetProject, makeVggProject, scmOnlyDo, verifiedDo } from './fixture-projects.js';
import { escapeRegExp as re, pdfPages, pdfText, renderPages, squeeze } from './poppler.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-report-'));
const lenet = join(tmp, 'lenet');
const vgg = join(tmp, 'vgg');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Stored {
  validation: Validation;
  equationsKey: string;
  ranking: LayerRanking[];
  interventions: { scm: { accuracy: number; baselineAccuracy: number }; real?: { accuracy: number; baselineAccuracy: number } }[];
}

/** The project's stored results, read from its database without the report code. */
function stored(dir: string): Stored {
  const store = ProjectStore.open(dir);
  try {
    const latest = store.getArtifact<{ validation: Validation; equationsKey: string; keys: { evaluation: string } }>('latest-build', 'latest')!.value;
    const ranking = store.getArtifact<LayerRanking[]>('ranking', scmRankingKey(latest.equationsKey, latest.keys.evaluation))!.value;
    const interventions = store.listInterventions().map((r) => ({ scm: r.scmResult as Stored['interventions'][0]['scm'], real: r.realResult as Stored['interventions'][0]['real'] }));
    return { validation: latest.validation, equationsKey: latest.equationsKey, ranking, interventions };
  } finally {
    store.close();
  }
}

const now = new Date('2025-01-31T14:05:00Z');

describe('report of one evaluated project', () => {
  let s: Stored;
  let pdf: string;
  let pages: number;
  let command: string;

  beforeAll(async () => {
    await makeLenetProject(lenet);
    s = stored(lenet);
    pdf = join(tmp, 'lenet.pdf');
    const session = await ProjectSession.open(lenet);
    try {
      const report = composeReport(session, { now, outputs: { pdf } });
      command = report.data.footer.command;
      pages = (await printPdf(report.html, report.layout, pdf)).pages;
    } finally {
      session.close();
    }
  });

  it('stores what a fresh build computes, and the report sees the build as current', async () => {
    const session = await ProjectSession.open(lenet);
    try {
      const built = await latestBuild(session);
      expect(built.validation).toEqual(s.validation);
      expect(built.keys.equations).toBe(s.equationsKey);
      expect(composeReport(session, { sections: ['summary'] }).data.projects[0].buildCurrent).toBe(true);
    } finally {
      session.close();
    }
  });

  it('has the pages poppler counts, each with the footer: page i of N, date, version, settings hash and the command', () => {
    expect(pdfPages(pdf)).toBe(pages);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let i = 1; i <= pages; i++) {
      const text = pdfText(pdf, i);
      expect(text).toMatch(new RegExp(`page ${i} of ${pages}`));
      expect(text).toContain(`Causeway ${appVersion} · 2025-01-31 14:05 UTC · settings ${s.equationsKey}`);
      expect(squeeze(text)).toContain(squeeze(command));
    }
    expect(command).toBe(
      `npm run causeway -- report --project ${lenet} --sections summary,validation,rankings,fidelity,plots,interventions --pdf ${pdf}`,
    );
  });

  it('shows the model and SCM accuracy as stored', () => {
    const text = pdfText(pdf);
    const v = s.validation;
    expect(text).toMatch(new RegExp(`Real network\\s+${re(pct(v.modelAccuracy))}`));
    expect(text).toMatch(new RegExp(`SCM, chained\\s+${re(pct(v.scmAccuracy))}`));
    expect(text).toMatch(new RegExp(`SCM, teacher-forced\\s+${re(pct(v.scmAccuracyTeacherForced))}`));
    expect(text).toContain(`Accuracy on ${v.evaluationImages} held-out images`);
  });

  it('shows each layer’s three most important filters with their stored SCM drops', () => {
    const lines = pdfText(pdf).split('\n');
    for (const layer of s.ranking) {
      const top = layer.ranking.slice(0, 3);
      const row = lines.findIndex((l) => new RegExp(`^\\s*${layer.name}\\s+${layer.ranking.length}\\s+${top.map((c) => `#${c.channel}`).join('\\s+')}\\s`).test(l));
      expect(row, `ranking row of ${layer.name}`).toBeGreaterThan(-1);
      expect(lines[row + 1]).toMatch(new RegExp(top.map((c) => re(`m ${sig(c.marginDrop, 3)} · acc ${pts(c.accuracyDrop)}`)).join('\\s+')));
    }
  });

  it('shows the interventions with their stored SCM and real accuracy, and leaves out a foreign record', () => {
    const text = pdfText(pdf);
    const [first, second] = s.interventions;
    const row = (spec: string, cells: string[]) => new RegExp(`${re(spec)}\\s+\\d+\\s+${cells.map(re).join('\\s+')}`);
    expect(text).toMatch(row(verifiedDo, [pct(first.scm.baselineAccuracy), pct(first.scm.accuracy), pct(first.real!.baselineAccuracy), pct(first.real!.accuracy)]));
    expect(text).toMatch(row(scmOnlyDo, [pct(second.scm.baselineAccuracy), pct(second.scm.accuracy), '—', 'not verified']));
    expect(text).toContain('1 record(s) of the history were not written by the app');
  });

  it('shows the stored evaluation: fidelity of the SCM criterion and the surrogate correlation', () => {
    const store = ProjectStore.open(lenet);
    const [{ key }] = store.listArtifacts('evaluation');
    const e = store.getArtifact<EvaluationReport>('evaluation', key)!.value;
    store.close();
    const text = pdfText(pdf);
    const scm = e.criteria.find((c) => c.name === 'scm')!;
    expect(text).toMatch(new RegExp(`SCM importance\\s+\\d+\\s+${re(fixed(scm.spearman))}`));
    // Every ρ beside the truth's reliability: per criterion (mean over its layers) and per layer, with the warnings.
    expect(text).toMatch(new RegExp(`SCM importance[^\\n]*\\]\\s+${re(fixed(scm.truthReliability, 2))}`));
    for (const l of e.layers) {
      expect(text).toMatch(new RegExp(`${l.name}\\s+${l.channels}\\s+${re(fixed(l.truth.reliability.reliability, 2))}\\s+${re(fixed(l.truth.accuracyKeyReliability.reliability, 2))}`));
    }
    for (const w of e.warnings) expect(text.replace(/\s+/g, ' ')).toContain(`Warning: ${w}`);
    expect(text).toContain(`over ${e.surrogate.filters} filters: Pearson ${fixed(e.surrogate.pearson)}`);
    expect(text).toContain('Cumulative ablation curves');
    // The SCM's measured fidelity beside its numbers (issue 15): chained accuracy, ranking ρ, do-answers.
    const flat = text.replace(/\s+/g, ' ');
    const v = s.validation;
    expect(flat).toContain(`Fidelity Chained SCM ${pct(v.scmAccuracy)} vs network ${pct(v.modelAccuracy)} on ${v.evaluationImages} held-out images: ${(100 * Math.abs(v.scmAccuracy - v.modelAccuracy)).toFixed(1)} pp off`);
    const [lo, hi] = scm.spearmanInterval!;
    expect(flat).toContain(`Fidelity SCM ranking vs true margin drop: Spearman ρ ${scm.spearman.toFixed(2)} [${lo.toFixed(2)}, ${hi.toFixed(2)}] (mean over ${scm.layers} layers); the truth's noise ceiling ${scm.truthReliability.toFixed(2)}`);
    expect(flat).toContain(`SCM as a surrogate predicted vs true margin drop over ${e.surrogate.filters} filters`);
    const draws = e.surrogate.multiFilter.reduce((n, m) => n + m.draws, 0);
    const error = e.surrogate.multiFilter.reduce((sum, m) => sum + m.draws * m.maePoints, 0) / draws;
    expect(flat).toContain(`(${draws} draws): the SCM's counterfactual accuracy is ${error.toFixed(1)} pp off the network's on average`);
  });

  it('plots the per-filter drops the surrogate line compares: margin drops as stored, axes saying so; an older evaluation keeps accuracy drops', async () => {
    const store = ProjectStore.open(lenet);
    const [{ key }] = store.listArtifacts('evaluation');
    const e = store.getArtifact<EvaluationReport>('evaluation', key)!.value;
    store.close();
    expect(e.surrogate.key).toBe('margin drop');
    const flat = pdfText(pdf).replace(/\s+/g, ' ');
    expect(flat).toContain('true margin drop (real network)');
    expect(flat).toContain('SCM-predicted margin drop');
    expect(flat).not.toContain('true accuracy drop');
    const plotted = async (dir: string) => {
      const session = await ProjectSession.open(dir);
      try {
        return composeReport(session, { sections: ['plots'], now });
      } finally {
        session.close();
      }
    };
    const margins = await plotted(lenet);
    expect(margins.data.projects[0].plots!.drops).toEqual({
      key: 'margin drop',
      layers: e.layers.map((l) => ({ layer: l.name, trueDrop: l.truth.marginDrop, scmDrop: l.scm.marginDrop })),
    });
    // An evaluation stored before margins were compared: no surrogate key, no true margin drops.
    const older = join(tmp, 'lenet-older');
    cpSync(lenet, older, { recursive: true });
    const copy = ProjectStore.open(older);
    const { key: _key, ...surrogate } = e.surrogate;
    const layers = e.layers.map((l) => ({ ...l, truth: (({ marginDrop: _m, ...t }) => t)(l.truth) }));
    copy.putArtifact('evaluation', key, { ...e, surrogate, layers });
    copy.close();
    const accuracy = await plotted(older);
    expect(accuracy.data.projects[0].plots!.drops).toEqual({
      key: 'accuracy drop',
      layers: e.layers.map((l) => ({ layer: l.name, trueDrop: l.truth.accuracyDrop, scmDrop: l.scm.accuracyDrop })),
    });
    expect(accuracy.html).toContain('true accuracy drop (real network)');
    expect(accuracy.html).not.toContain('true margin drop (real network)');
  });

  it('renders every page with pdftoppm: A4 (210 x 297 mm) at 60 dpi, none blank', () => {
    const dir = join(tmp, 'png');
    mkdirSync(dir);
    const rendered = renderPages(pdf, dir);
    expect(rendered).toHaveLength(pages);
    for (const page of rendered) {
      expect(Math.abs(page.width - (210 / 25.4) * 60)).toBeLessThan(2);
      expect(Math.abs(page.height - (297 / 25.4) * 60)).toBeLessThan(2);
      expect(page.inked).toBeGreaterThan(0.01);
    }
  });

  it('a summary-only report is one page', async () => {
    const session = await ProjectSession.open(lenet);
    const one = join(tmp, 'summary.pdf');
    try {
      const report = composeReport(session, { sections: ['summary'], now });
      expect((await printPdf(report.html, report.layout, one)).pages).toBe(1);
    } finally {
      session.close();
    }
    expect(pdfPages(one)).toBe(1);
  });

  it('warns on every report when the project’s files changed after the build', async () => {
    const session = await ProjectSession.open(lenet);
    const settings = session.settings;
    session.close();
    const store = ProjectStore.open(lenet);
    store.setSettings({ ...settings, preprocessing: { scale: 1 / 256 } });
    store.close();
    try {
      const changed = await ProjectSession.open(lenet);
      const report = composeReport(changed, { sections: ['validation'] });
      changed.close();
      expect(report.data.projects[0].buildCurrent).toBe(false);
      expect(report.html).toContain('changed after this build');
      // Still the stored numbers: nothing is recomputed.
      expect(report.data.projects[0].validation!.modelAccuracy).toBe(s.validation.modelAccuracy);
    } finally {
      const restore = ProjectStore.open(lenet);
      restore.setSettings(settings);
      restore.close();
    }
  });
});

describe('cross-architecture report', () => {
  let pdf: string;

  beforeAll(async () => {
    await makeVggProject(vgg);
    pdf = join(tmp, 'compare.pdf');
    const sessions = [await ProjectSession.open(lenet), await ProjectSession.open(vgg)];
    try {
      const report = composeReport(sessions, { now, outputs: { pdf } });
      expect(report.data.sections).toContain('comparison');
      await printPdf(report.html, report.layout, pdf);
    } finally {
      for (const session of sessions) session.close();
    }
  });

  it('puts the projects side by side with their stored accuracy; the unevaluated one says so', () => {
    const [a, b] = [stored(lenet), stored(vgg)];
    const text = pdfText(pdf);
    expect(text).toMatch(new RegExp(`model accuracy\\s+${re(pct(a.validation.modelAccuracy))}\\s+${re(pct(b.validation.modelAccuracy))}`));
    expect(text).toMatch(new RegExp(`SCM accuracy \\(chained\\)\\s+${re(pct(a.validation.scmAccuracy))}\\s+${re(pct(b.validation.scmAccuracy))}`));
    expect(text).toMatch(/SCM ranking ρ vs true ablation\s+-?\d\.\d{3}\s+not evaluated/);
    // pdftotext wraps long lines where the page does, even inside a path: compare without whitespace.
    const note = `Optional section: no evaluation of this build is stored. It appears once the project is evaluated: npm run causeway -- evaluate --project ${vgg}`;
    expect(text.replace(/\s+/g, '')).toContain(note.replace(/\s+/g, ''));
    const first = pdfText(pdf, 1);
    expect(first).toContain(`settings lenet ${a.equationsKey.slice(0, 12)}, vgg ${b.equationsKey.slice(0, 12)}`);
  });

  it('starts with the comparison, then each project on a new page under its name', () => {
    const pages = pdfPages(pdf);
    const starts = Array.from({ length: pages }, (_, i) => pdfText(pdf, i + 1).trimStart());
    expect(starts[0]).toMatch(/^Causeway report: lenet vs vgg\n[^]*Cross-architecture comparison/);
    expect(starts.filter((t) => new RegExp(`^lenet\\s+${re(lenet)}\\n`).test(t))).toHaveLength(1);
    expect(starts.filter((t) => new RegExp(`^vgg\\s+${re(vgg)}\\n`).test(t))).toHaveLength(1);
  });

  it('without the comparison, the first project starts on the first page (no page with the title alone)', async () => {
    const two = join(tmp, 'two.pdf');
    const sessions = [await ProjectSession.open(lenet), await ProjectSession.open(vgg)];
    try {
      const report = composeReport(sessions, { now, sections: ['summary'] });
      await printPdf(report.html, report.layout, two);
    } finally {
      for (const session of sessions) session.close();
    }
    const first = pdfText(two, 1);
    expect(first).toMatch(/Causeway report: lenet vs vgg/);
    expect(first).toMatch(new RegExp(`\\n\\s*lenet\\s+${re(lenet)}\\n[^]*Model and dataset`));
    expect(pdfPages(two)).toBe(2);
  });

  it('a failed print leaves the previous PDF as it was and no temporary file', async () => {
    const before = readFileSync(pdf);
    const session = await ProjectSession.open(lenet);
    try {
      const report = composeReport(session, { sections: ['summary'] });
      // An executable that is not Chromium: found, but it cannot print.
      await expect(printPdf(report.html, report.layout, pdf, { chromium: { chromePath: '/bin/false' }, timeoutMs: 20_000 })).rejects.toThrow(
        /\/bin\/false did not start as headless Chromium/,
      );
    } finally {
      session.close();
    }
    expect(readFileSync(pdf).equals(before)).toBe(true);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
