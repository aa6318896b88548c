/**
 * The report's small parts, each against an independent reference: intervention specs against the
 * CLI's own --do parser, the regenerate command against the shell's word splitting, the CSV against
 * a separate reader, Chromium discovery against real files, the evaluation lookup against a real store.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChromiumNotFoundError, findChromium } from '../../src/main/report/chromium-path.js';
import { findEvaluation } from '../../src/main/evaluation/evaluation-lookup.js';
import { fixed, pct, pts, sig, utc } from '../../src/main/report/format.js';
import { channelRuns, formatIntervention, readInterventionRuns, type StoredIntervention } from '../../src/main/report/intervention-records.js';
import { regenerateCommand, shellArg } from '../../src/main/report/regenerate-command.js';
import { reportCsv } from '../../src/main/report/report-csv.js';
import type { ReportData } from '../../src/main/report/report-data.js';
import { resolveSections } from '../../src/main/report/report-sections.js';
import { parseDoSpec } from '../../src/main/scm/do-spec.js';
import { ProjectStore } from '../../src/main/store/project-store.js';
import { parseCsv } from './csv-reader.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-report-parts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('numbers as the report writes them', () => {
  it('percentages, points, fixed and significant digits, UTC dates', () => {
    expect(pct(22 / 30)).toBe('73.3%');
    expect(pct(Number.NaN)).toBe('—');
    expect(pts(-1 / 10)).toBe('-10.00 pt');
    expect(fixed(0.10840336, 3)).toBe('0.108');
    expect([sig(26.0123), sig(0.00057612), sig(-0.0996999), sig(0)]).toEqual(['26.01', '5.761e-4', '-0.0997', '0']);
    expect(utc('2025-01-31T14:05:59.999Z')).toBe('2025-01-31 14:05 UTC');
  });
});

describe('interventions', () => {
  it('print in the --do syntax that `causeway query` parses back to the same intervention', () => {
    const cases: StoredIntervention[] = [
      { layer: 'conv1', channels: [7, 0, 1, 2, 5, 8], kind: 'zero' },
      { layer: 'conv2', channels: [3], kind: 'scale', value: 0.5 },
      { layer: 'conv2', channels: [4, 6], kind: 'constant', value: 1.5 },
    ];
    for (const iv of cases) {
      const parsed = parseDoSpec(formatIntervention(iv), () => 16);
      expect(parsed.every((p) => p.layer === iv.layer && p.kind === iv.kind && p.value === iv.value)).toBe(true);
      expect(parsed.flatMap((p) => p.channels).sort((a, b) => a - b)).toEqual([...iv.channels].sort((a, b) => a - b));
    }
    expect(formatIntervention(cases[0])).toBe('conv1:0-2=0,conv1:5=0,conv1:7-8=0');
    expect(channelRuns([3, 3, 4])).toEqual(['3-4']);
  });

  it('keep the app’s records and count the others', () => {
    const ok = { id: 1, createdAt: 't', spec: { source: 'app', interventions: [{ layer: 'c', channels: [1], kind: 'zero' }] }, scmResult: { n: 3, accuracy: 0.5, baselineAccuracy: 0.6 } };
    const { runs, unreadable } = readInterventionRuns([
      ok,
      { ...ok, id: 2, realResult: { n: 3, accuracy: 0.4, baselineAccuracy: 0.7 } },
      { ...ok, id: 3, spec: { source: 'script' } },
      { ...ok, id: 4, scmResult: undefined },
      { ...ok, id: 5, spec: { source: 'app', interventions: [{ layer: 'c', channels: ['x'], kind: 'zero' }] } },
    ]);
    expect(runs.map((r) => [r.id, r.real?.accuracy ?? null])).toEqual([
      [1, null],
      [2, 0.4],
    ]);
    expect(unreadable).toBe(3);
  });
});

describe('sections', () => {
  it('default to every section that applies, in print order; unknown names and a lone comparison are refused', () => {
    expect(resolveSections(undefined, 1)).not.toContain('comparison');
    expect(resolveSections([], 2)).toContain('comparison');
    expect(resolveSections(['plots', 'summary'], 1)).toEqual(['summary', 'plots']);
    expect(() => resolveSections(['summary', 'charts'], 1)).toThrow('unknown report section "charts"; sections: summary, validation');
    expect(() => resolveSections(['comparison'], 1)).toThrow('the comparison section needs two or more projects');
  });
});

describe('the regenerate command', () => {
  it('survives the shell: every argument comes back as it was, spaces and quotes included', () => {
    const odd = join(tmp, "it's a project");
    const command = regenerateCommand([odd, '/data/vgg'], ['summary', 'comparison'], { pdf: join(tmp, 'out file.pdf') });
    const args = command.replace(/^npm run causeway -- /, '');
    const words = execFileSync('bash', ['-c', `printf '%s\\n' ${args}`], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(words).toEqual(['report', '--project', odd, '--compare', '/data/vgg', '--sections', 'summary,comparison', '--pdf', join(tmp, 'out file.pdf')]);
    expect(shellArg('/plain/path-1.pdf')).toBe('/plain/path-1.pdf');
  });
});

describe('CSV export', () => {
  it('reads back, key by key, to the values of the data', () => {
    const data = {
      title: 'T, "quoted"',
      generatedAt: '2025-01-31T14:05:00.000Z',
      appVersion: '0.1.0',
      sections: ['validation'],
      projects: [{ name: 'p', dir: '/x', settingsHash: 'h', buildCurrent: true, validation: { modelAccuracy: 0.1 + 0.2, layers: [{ name: 'conv2', avgR2: -1e-7 }] } }],
      footer: { generatedAt: '', appVersion: '', settingsHashes: [{ project: 'p', hash: 'h' }], command: 'npm run x\nnext' },
    } as unknown as ReportData;
    const rows = parseCsv(reportCsv(data));
    const value = (project: string, section: string, key: string) => rows.find((r) => r[0] === project && r[1] === section && r[2] === key)![3];
    expect(value('', 'report', 'title')).toBe('T, "quoted"');
    expect(value('', 'report', 'command')).toBe('npm run x\nnext');
    expect(Number(value('p', 'validation', 'modelAccuracy'))).toBe(0.1 + 0.2);
    expect(Number(value('p', 'validation', 'layers/conv2/avgR2'))).toBe(-1e-7);
    expect(rows.every((r) => r.length === 4)).toBe(true);
  });
});

describe('finding Chromium', () => {
  it('takes CHROME_PATH, else the first executable name in the folders; names everything it tried', () => {
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'chromium'), 'not executable');
    const browser = join(bin, 'google-chrome');
    writeFileSync(browser, '#!/bin/sh\n');
    chmodSync(browser, 0o755);
    expect(findChromium({ chromePath: '/nowhere/chrome', folders: [join(tmp, 'none'), bin] })).toBe(browser);
    expect(findChromium({ chromePath: browser, folders: [] })).toBe(browser);
    let error: unknown;
    try {
      findChromium({ chromePath: '/nowhere/chrome', folders: [join(tmp, 'none')] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChromiumNotFoundError);
    expect((error as Error).message).toContain(`CHROME_PATH=/nowhere/chrome (not an executable file), chromium / chromium-browser / google-chrome / google-chrome-stable / chrome in ${join(tmp, 'none')}`);
  });
});

describe('finding the evaluation of a build', () => {
  it('takes the newest stored evaluation whose SCM drops and accuracy are this build’s, and no other', async () => {
    const store = ProjectStore.open(join(tmp, 'store'), { create: true });
    const validation = { modelAccuracy: 0.7, scmAccuracy: 0.25, scmAccuracyTeacherForced: 0.4, evaluationImages: 30 };
    const ranking = [{ name: 'conv1', ranking: [{ channel: 1, importance: 0.5, marginDrop: 0.5, accuracyDrop: 0.1 }, { channel: 0, importance: 0.2, marginDrop: 0.2, accuracyDrop: 0 }] }];
    const evaluation = (tag: string, scmAccuracy: number, drop1: number) => ({
      tag,
      images: 30,
      scmAccuracy,
      layers: [{ name: 'conv1', channels: 2, scm: { accuracyDrop: [0, drop1], marginDrop: [0.2, 0.5] } }],
    });
    const tick = () => new Promise((r) => setTimeout(r, 5));
    store.putArtifact('evaluation', 'a', evaluation('older', 0.25, 0.1));
    await tick();
    store.putArtifact('evaluation', 'b', evaluation('newer', 0.25, 0.1));
    await tick();
    store.putArtifact('evaluation', 'c', evaluation('other build: other SCM accuracy', 0.3, 0.1));
    store.putArtifact('evaluation', 'd', evaluation('other build: other drops', 0.25, 0.2));
    expect((findEvaluation(store, validation, ranking)?.report as unknown as { tag: string }).tag).toBe('newer');
    expect(findEvaluation(store, { ...validation, evaluationImages: 31 }, ranking)).toBeUndefined();
    expect(findEvaluation(store, validation, undefined)).toBeUndefined();
    store.close();
  });
});
