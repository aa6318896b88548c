/**
 * The report service and the `causeway report` command: CSV and JSON exports hold the stored numbers
 * at full precision (and the PDF the same numbers rounded), a project without a build and a missing
 * Chromium are clear one-line errors that write nothing, and the command line contract holds.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pct, pts } from '../../src/main/report/format.js';
import type { ReportData } from '../../src/main/report/report-data.js';
import type { Validation } from '../../src/main/scm/build-scm.js';
import { type LayerRanking, scmRankingKey } from '../../src/main/scm/rankings.js';
import { composeProjectReport, exportReport, reportSections } from '../../src/main/features/report/report-service.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { REPO } from '../helpers/data-paths.js';
import { makeLenetProject, makeUnbuiltProject } from './fixture-projects.js';
import { parseCsv } from './csv-reader.js';
import { pdfPages, pdfText } from './poppler.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-report-exports-'));
const lenet = join(tmp, 'lenet');
const unbuilt = join(tmp, 'unbuilt');
const empty = join(tmp, 'no-browser-here');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let validation: Validation;
let ranking: LayerRanking[];

beforeAll(async () => {
  await makeLenetProject(lenet);
  await makeUnbuiltProject(unbuilt);
  mkdirSync(empty);
  const store = ProjectStore.open(lenet);
  const latest = store.getArtifact<{ validation: Validation; equationsKey: string; keys: { evaluation: string } }>('latest-build', 'latest')!.value;
  validation = latest.validation;
  ranking = store.getArtifact<LayerRanking[]>('ranking', scmRankingKey(latest.equationsKey, latest.keys.evaluation))!.value;
  store.close();
});

describe('report service', () => {
  it('lists the sections an app offers, with what each needs', () => {
    const sections = reportSections();
    expect(sections.map((s) => s.id)).toEqual(['summary', 'validation', 'rankings', 'fidelity', 'plots', 'interventions', 'pixel-effects', 'properties', 'explanations', 'comparison']);
    expect(sections.find((s) => s.id === 'comparison')!.severalProjects).toBe(true);
    expect(sections.find((s) => s.id === 'fidelity')!.needsEvaluation).toBe(true);
  });

  it('exports PDF, CSV and JSON holding the same stored numbers', async () => {
    const out = join(tmp, 'export');
    mkdirSync(out);
    const files = { pdf: join(out, 'r.pdf'), csv: join(out, 'r.csv'), json: join(out, 'r.json') };
    const result = await exportReport({ projects: [lenet], sections: ['summary', 'validation', 'rankings', 'interventions'], ...files });
    expect(result.written.pdf!.pages).toBe(pdfPages(files.pdf));
    const data = JSON.parse(readFileSync(files.json, 'utf8')) as ReportData;
    const rows = parseCsv(readFileSync(files.csv, 'utf8'));
    expect(rows[0]).toEqual(['project', 'section', 'key', 'value']);
    expect(rows.length - 1).toBe(result.written.csv!.rows);
    const csv = (section: string, key: string) => rows.find((r) => r[0] === 'lenet' && r[1] === section && r[2] === key)?.[3];
    const text = pdfText(files.pdf);

    // Validation: full precision in CSV and JSON, the same value rounded in the PDF.
    for (const field of ['modelAccuracy', 'scmAccuracy', 'scmAccuracyTeacherForced'] as const) {
      expect(data.projects[0].validation![field]).toBe(validation[field]);
      expect(Number(csv('validation', field))).toBe(validation[field]);
      expect(text).toContain(pct(validation[field]));
    }
    // The most important filter of every layer.
    for (const layer of ranking) {
      const top = layer.ranking[0];
      expect(data.projects[0].rankings!.layers.find((l) => l.name === layer.name)!.most[0]).toEqual({ rank: 1, ...top });
      expect(Number(csv('rankings', `layers/${layer.name}/most/1/channel`))).toBe(top.channel);
      expect(Number(csv('rankings', `layers/${layer.name}/most/1/importance`))).toBe(top.importance);
      expect(text).toContain(pts(top.accuracyDrop));
      expect(Number(csv('rankings', `layers/${layer.name}/most/1/accuracyDrop`))).toBe(top.accuracyDrop);
    }
    // Interventions: the verified one carries both answers.
    const run = data.projects[0].interventions!.runs[0];
    expect(csv('interventions', `runs/${run.id}/spec`)).toBe('conv1:0-2=0');
    expect(Number(csv('interventions', `runs/${run.id}/real/accuracy`))).toBe(run.real!.accuracy);
    expect(rows.find((r) => r[0] === '' && r[1] === 'report' && r[2] === 'command')![3]).toBe(result.command);
    expect(result.command).toContain(`--sections summary,validation,rankings,interventions --pdf ${files.pdf} --csv ${files.csv} --json ${files.json}`);
  });

  it('composes HTML for the app with Electron printToPDF options carrying the footer', async () => {
    const { html, data, printToPdfOptions } = await composeProjectReport({ projects: [lenet], sections: ['validation'] });
    expect(html).toContain(pct(validation.modelAccuracy));
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(data.sections).toEqual(['validation']);
    expect(printToPdfOptions.displayHeaderFooter).toBe(true);
    expect(printToPdfOptions.footerTemplate).toContain('class="pageNumber"');
    expect(printToPdfOptions.footerTemplate).toContain(data.footer.settingsHashes[0].hash);
    expect(printToPdfOptions.margins.bottom).toBeCloseTo(20 / 25.4, 12);
  });

  it('a project without a build is an error saying to run build first', async () => {
    await expect(composeProjectReport({ projects: [unbuilt] })).rejects.toThrow(`${unbuilt}: no SCM built yet; run build first: npm run causeway -- build --project ${unbuilt}`);
    await expect(composeProjectReport({ projects: [join(tmp, 'nothing')] })).rejects.toThrow(/no Causeway project here/);
  });

  it('without Chromium it names what it looked for and writes nothing, not even the other files', async () => {
    const out = join(tmp, 'no-chromium');
    mkdirSync(out);
    const run = exportReport(
      { projects: [lenet], pdf: join(out, 'r.pdf'), html: join(out, 'r.html') },
      { chromium: { chromePath: '/nowhere/chrome', folders: [empty] } },
    );
    await expect(run).rejects.toThrow(`no Chromium found to print the PDF; looked for CHROME_PATH=/nowhere/chrome (not an executable file), chromium / chromium-browser / google-chrome / google-chrome-stable / chrome in ${empty}`);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('causeway report (command line)', () => {
  const tsx = join(REPO, 'node_modules/tsx/dist/cli.mjs');
  /** Runs `causeway report …`; several run side by side (each spends most of its time starting up). */
  function causeway(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [tsx, join(REPO, 'src/main/cli/main.ts'), 'report', ...args], { cwd: REPO, env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  }

  it('writes the PDF and prints what it wrote (JSON when --json names a file)', async () => {
    const pdf = join(tmp, 'cli.pdf');
    const json = join(tmp, 'cli.json');
    const r = await causeway(['--project', lenet, '--sections', 'summary,validation', '--pdf', pdf, '--json', json]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.written.pdf).toEqual({ path: pdf, pages: pdfPages(pdf), bytes: readFileSync(pdf).length });
    expect(out.sections).toEqual(['summary', 'validation']);
    expect(out.command).toBe(`npm run causeway -- report --project ${lenet} --sections summary,validation --pdf ${pdf} --json ${json}`);
    expect(JSON.parse(readFileSync(json, 'utf8')).projects[0].validation.modelAccuracy).toBe(validation.modelAccuracy);
  });

  it('bad arguments exit 2 with the usage; a missing build or Chromium exit 1 with one line', async () => {
    const pdf = join(tmp, 'never.pdf');
    const [none, unbuiltRun, noBrowser] = await Promise.all([
      causeway(['--project', lenet]),
      causeway(['--project', unbuilt, '--html', join(tmp, 'u.html')]),
      causeway(['--project', lenet, '--pdf', pdf], { CHROME_PATH: '/nowhere/chrome', CAUSEWAY_CHROMIUM_SEARCH: empty }),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^causeway report: give at least one of --pdf, --html, --csv, --json\nusage: npm run causeway -- report --project DIR/);

    expect(unbuiltRun.code).toBe(1);
    expect(unbuiltRun.stderr).toBe(`causeway report: ${unbuilt}: no SCM built yet; run build first: npm run causeway -- build --project ${unbuilt}\n`);

    expect(noBrowser.code).toBe(1);
    expect(noBrowser.stderr.trim().split('\n')).toHaveLength(1);
    expect(noBrowser.stderr).toContain(`looked for CHROME_PATH=/nowhere/chrome (not an executable file), chromium / chromium-browser / google-chrome / google-chrome-stable / chrome in ${empty}`);
    expect(existsSync(pdf)).toBe(false);
    expect(existsSync(join(tmp, 'u.html'))).toBe(false);
  });
});
