/**
 * Reports as a plain-JSON API, for the app and the `causeway report` command: the sections to pick
 * from, the composed HTML with the data it prints and the print options for Electron's
 * `webContents.printToPDF`, and exports to PDF (headless Chromium), HTML, CSV and JSON files.
 * Every number comes from the projects' stores; a project without a build is an error saying so.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../store/atomic-write.js';
import { findChromium } from '../../report/chromium-path.js';
import { type ComposedReport, composeReport } from '../../report/compose-report.js';
import { electronPrintOptions } from '../../report/print-layout.js';
import { type PrintOptions, printPdf } from '../../report/print-pdf.js';
import type { ReportData } from '../../report/report-data.js';
import { reportCsv } from '../../report/report-csv.js';
import { type SectionInfo, sectionCatalogue } from '../../report/report-sections.js';
import type { ReportOutputs } from '../../report/regenerate-command.js';
import { ProjectSession } from '../../project/project-session.js';

export type { ReportData } from '../../report/report-data.js';
export type { SectionInfo } from '../../report/report-sections.js';

export interface ReportRequest {
  /** Project folders; two or more add the cross-architecture comparison. */
  projects: string[];
  /** Section ids (see reportSections); default: every section that applies. */
  sections?: string[];
}

export interface ReportExportRequest extends ReportRequest, ReportOutputs {}

export interface ComposedReportDto {
  html: string;
  data: ReportData;
  /** Pass to webContents.printToPDF after loading `html`: A4, margins and the footer on every page. */
  printToPdfOptions: ReturnType<typeof electronPrintOptions>;
}

export interface ReportExportResult {
  sections: string[];
  /** The command that regenerates these files (also in the report's footer). */
  command: string;
  written: {
    pdf?: { path: string; pages: number; bytes: number };
    html?: { path: string; bytes: number };
    csv?: { path: string; rows: number };
    json?: { path: string; bytes: number };
  };
}

export function reportSections(): SectionInfo[] {
  return sectionCatalogue.map((s) => ({ ...s }));
}

async function withSessions<T>(dirs: string[], fn: (sessions: ProjectSession[]) => T | Promise<T>): Promise<T> {
  if (dirs.length === 0) throw new Error('a report needs at least one project');
  const sessions: ProjectSession[] = [];
  try {
    for (const dir of dirs) {
      // A report never creates a project (ProjectSession.open's own message suggests --model/--data).
      if (!existsSync(join(resolve(dir), 'project.causeway.sqlite'))) {
        throw new Error(`${resolve(dir)}: no Causeway project here (no project.causeway.sqlite); build one first: npm run causeway -- build --project ${resolve(dir)} --model MODEL --data DATA`);
      }
      // Read-only: a report stores nothing, so it works on a project in a read-only folder.
      sessions.push(await ProjectSession.open(dir, undefined, { readonly: true }));
    }
    return await fn(sessions);
  } finally {
    for (const s of sessions) s.close();
  }
}

function compose(sessions: ProjectSession[], request: ReportRequest, outputs: ReportOutputs = {}): ComposedReport {
  return composeReport(sessions, { sections: request.sections, outputs });
}

/** The report as HTML (for a preview pane, or to print in Electron) with the data it shows. */
export async function composeProjectReport(request: ReportRequest & { outputs?: ReportOutputs }): Promise<ComposedReportDto> {
  return withSessions(request.projects, (sessions) => {
    const { html, data, layout } = compose(sessions, request, request.outputs);
    return { html, data, printToPdfOptions: electronPrintOptions(layout) };
  });
}

export function reportJson(data: ReportData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** Writes the requested files; with a PDF, Chromium is found before anything is written. */
export async function exportReport(request: ReportExportRequest, options: PrintOptions = {}): Promise<ReportExportResult> {
  const abs = (path: string | undefined) => (path ? resolve(path) : undefined);
  const outputs: ReportOutputs = { pdf: abs(request.pdf), html: abs(request.html), csv: abs(request.csv), json: abs(request.json) };
  if (!outputs.pdf && !outputs.html && !outputs.csv && !outputs.json) throw new Error('nothing to export: give a PDF, HTML, CSV or JSON file');
  if (outputs.pdf) findChromium(options.chromium);
  return withSessions(request.projects, async (sessions) => {
    const { html, data, layout } = compose(sessions, request, outputs);
    const written: ReportExportResult['written'] = {};
    if (outputs.pdf) written.pdf = await printPdf(html, layout, outputs.pdf, options);
    if (outputs.html) {
      await writeFileAtomic(outputs.html, html);
      written.html = { path: outputs.html, bytes: Buffer.byteLength(html) };
    }
    if (outputs.csv) {
      const csv = reportCsv(data);
      await writeFileAtomic(outputs.csv, csv);
      written.csv = { path: outputs.csv, rows: csv.split('\n').length - 2 };
    }
    if (outputs.json) {
      const json = reportJson(data);
      await writeFileAtomic(outputs.json, json);
      written.json = { path: outputs.json, bytes: Buffer.byteLength(json) };
    }
    return { sections: data.sections, command: data.footer.command, written };
  });
}
