/**
 * The Report view's main-process side: exports where the host says (Electron: save dialog and
 * printToPDF through a stand-in window; web mode: the project's reports/ folder, PDF through headless
 * Chromium), on a real LeNet-5 project; and the preview's style hand-over under the app's CSP.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { askReportPath, printHtmlToPdf, printWindowOptions } from '../../src/main/electron/print-report.js';
import { reportCsv } from '../../src/main/report/report-csv.js';
import { buildProject } from '../../src/main/features/build/build-service.js';
import { defaultReportPath, exportFromApp, previewReport, sectionList } from '../../src/main/features/report/report-app.js';
import { composeProjectReport } from '../../src/main/features/report/report-service.js';
import { REPO } from '../helpers/data-paths.js';

let project: string;

beforeAll(async () => {
  project = join(mkdtempSync(join(tmpdir(), 'causeway-report-panel-')), 'lenet');
  await buildProject({
    project,
    create: { modelPath: join(REPO, 'resources/models/lenet5'), dataPath: join(REPO, 'resources/data/cifar10-test-sample.bin'), preprocessing: { scale: 1 / 255 }, name: 'lenet' },
    settings: { limit: 100, augmentImages: 20, batchSize: 50 },
  });
}, 60_000);

describe('report exports from the app', () => {
  it('previews only the picked sections, with the command that regenerates them', async () => {
    expect(sectionList().map((s) => s.id)).toContain('validation');
    const preview = await previewReport({ projects: [project], sections: ['validation', 'summary'] });
    expect(preview.sections).toEqual(['summary', 'validation']);
    expect(preview.html).toContain('SCM validation');
    expect(preview.html).not.toContain('Filter rankings');
    expect(preview.command).toContain(`--project ${project}`);
  });

  it('Electron: asks where to save, prints the same HTML with printToPdfOptions, writes the bytes', async () => {
    const target = join(dirname(project), 'chosen', 'out.pdf');
    const printed: { html: string; options: Record<string, unknown> }[] = [];
    const result = await exportFromApp(
      { projects: [project], sections: ['summary'], format: 'pdf' },
      {
        savePath: async (defaultPath, format) => {
          expect(defaultPath).toMatch(new RegExp(`^${project}/reports/report-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.pdf$`));
          expect(format).toBe('pdf');
          return target;
        },
        printPdf: async (html, options) => {
          printed.push({ html, options });
          return new TextEncoder().encode('%PDF-1.4 stand-in');
        },
      },
    );
    expect(result).toEqual({ path: target, format: 'pdf', bytes: 17 });
    expect(readFileSync(target, 'utf8')).toBe('%PDF-1.4 stand-in');
    const reference = await composeProjectReport({ projects: [project], sections: ['summary'], outputs: { pdf: target } });
    expect(printed[0].options).toEqual(reference.printToPdfOptions);
    // The footer's regenerate command names the file the user chose.
    expect(printed[0].html).toContain(`--pdf ${target}`);
  });

  it('Electron: a cancelled save dialog writes nothing', async () => {
    const result = await exportFromApp({ projects: [project], format: 'csv' }, { savePath: async () => null });
    expect(result).toEqual({ path: null, format: 'csv' });
  });

  it('web mode: CSV and JSON go into the project folder, equal to the stored results', async () => {
    const csv = await exportFromApp({ projects: [project], format: 'csv' });
    expect(csv.path).toMatch(new RegExp(`^${project}/reports/report-.*\\.csv$`));
    const json = await exportFromApp({ projects: [project], format: 'json' });
    const data = JSON.parse(readFileSync(json.path!, 'utf8'));
    // Same rows, apart from the time stamp and the command (which names its own file).
    const stable = (text: string) => text.split('\n').filter((l) => !/^,report,(generatedAt|command),/.test(l));
    expect(stable(readFileSync(csv.path!, 'utf8'))).toEqual(stable(reportCsv(data)));
    expect(stable(reportCsv(data)).length).toBeGreaterThan(20);
    expect(data.projects[0].validation.modelAccuracy).toBeGreaterThan(0);
  });

  it('web mode: the PDF comes from headless Chromium, with pages', async () => {
    const pdf = await exportFromApp({ projects: [project], sections: ['summary', 'validation'], format: 'pdf' });
    expect(readFileSync(pdf.path!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('names default files by time, so exports never overwrite each other', () => {
    expect(defaultReportPath('/p', 'html', new Date('2026-11-23T16:52:14.123Z'))).toBe('/p/reports/report-2026-11-23T16-52-14.html');
  });
});

describe('Electron printing with stand-ins', () => {
  it('prints from a hidden script-less window in its own session, then destroys it and the temporary file', async () => {
    const calls: string[] = [];
    let loaded = '';
    const bytes = await printHtmlToPdf('<p>report</p>', { pageSize: 'A4' }, (opts) => {
      expect(opts).toBe(printWindowOptions);
      return {
        loadFile: async (file) => {
          loaded = file;
          calls.push(`load ${readFileSync(file, 'utf8')}`);
        },
        webContents: {
          setWindowOpenHandler: () => undefined,
          on: () => undefined,
          printToPDF: async (options) => {
            calls.push(`print ${JSON.stringify(options)}`);
            return new Uint8Array([37, 80]);
          },
        },
        destroy: () => calls.push('destroy'),
      };
    });
    expect([...bytes]).toEqual([37, 80]);
    expect(calls).toEqual(['load <p>report</p>', 'print {"pageSize":"A4"}', 'destroy']);
    expect(existsSync(loaded)).toBe(false);
    expect(printWindowOptions.show).toBe(false);
    expect(printWindowOptions.webPreferences).toMatchObject({ javascript: false, sandbox: true, partition: 'causeway-report-print' });
  });

  it('destroys the window when printing fails', async () => {
    const calls: string[] = [];
    const failing = printHtmlToPdf('<p/>', {}, () => ({
      loadFile: async () => undefined,
      webContents: { setWindowOpenHandler: () => undefined, on: () => undefined, printToPDF: async () => Promise.reject(new Error('printer on fire')) },
      destroy: () => calls.push('destroy'),
    }));
    await expect(failing).rejects.toThrow('printer on fire');
    expect(calls).toEqual(['destroy']);
  });

  it('asks with a save dialog filtered to the format, adding the extension when left out', async () => {
    const seen: unknown[] = [];
    const dialog = (answer: { canceled: boolean; filePath?: string }) => async (o: unknown) => {
      seen.push(o);
      return answer;
    };
    expect(await askReportPath(dialog({ canceled: false, filePath: '/x/report' }), '/p/reports/r.pdf', 'pdf')).toBe('/x/report.pdf');
    expect(await askReportPath(dialog({ canceled: false, filePath: '/x/a.CSV' }), '/p/r.csv', 'csv')).toBe('/x/a.CSV');
    expect(await askReportPath(dialog({ canceled: true }), '/p/r.json', 'json')).toBeNull();
    expect(seen[0]).toEqual({ title: 'Save report as PDF', defaultPath: '/p/reports/r.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] });
  });
});
