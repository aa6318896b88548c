/**
 * The Report view's services: the sections, the composed HTML for the preview, and exports. Where
 * a file goes and how a PDF is printed depend on the host: Electron asks with a save dialog and prints
 * with `webContents.printToPDF`; web mode writes into the first project's `reports/` folder and prints
 * through headless Chromium (the same path as `causeway report --pdf`).
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ReportExported, ReportFormat, ReportPreview, ReportSectionDto } from '../../../shared/report.js';
import { writeFileAtomic } from '../../store/atomic-write.js';
import { composeProjectReport, exportReport, reportSections } from './report-service.js';

/** What Electron adds; both are absent in web mode. */
export interface ReportHost {
  /** A save dialog starting at `defaultPath`; null when the user cancels. */
  savePath?: (defaultPath: string, format: ReportFormat) => Promise<string | null>;
  /** Prints self-contained HTML to PDF bytes with these printToPDF options. */
  printPdf?: (html: string, options: Record<string, unknown>) => Promise<Uint8Array>;
}

export interface ReportRequestArgs {
  projects: string[];
  sections?: string[];
}

export function sectionList(): ReportSectionDto[] {
  return reportSections();
}

export async function previewReport(args: ReportRequestArgs): Promise<ReportPreview> {
  const { html, data } = await composeProjectReport({ projects: args.projects, sections: args.sections });
  return { html, sections: data.sections, command: data.footer.command };
}

/** `report-2026-11-23T16-52-14.pdf`: sortable, and never overwrites an earlier export. */
export function defaultReportPath(projectDir: string, format: ReportFormat, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return join(resolve(projectDir), 'reports', `report-${stamp}.${format}`);
}

export async function exportFromApp(args: ReportRequestArgs & { format: ReportFormat }, host: ReportHost = {}): Promise<ReportExported> {
  const fallback = defaultReportPath(args.projects[0], args.format);
  const path = host.savePath ? await host.savePath(fallback, args.format) : fallback;
  if (!path) return { path: null, format: args.format };
  await mkdir(join(path, '..'), { recursive: true });
  if (args.format === 'pdf' && host.printPdf) {
    // The footer's regenerate command names the file the user chose.
    const composed = await composeProjectReport({ projects: args.projects, sections: args.sections, outputs: { pdf: path } });
    const bytes = await host.printPdf(composed.html, composed.printToPdfOptions);
    await writeFileAtomic(path, bytes);
    return { path, format: 'pdf', bytes: bytes.byteLength };
  }
  const result = await exportReport({ projects: args.projects, sections: args.sections, [args.format]: path });
  const written = result.written[args.format]!;
  return {
    path: written.path,
    format: args.format,
    ...('bytes' in written ? { bytes: written.bytes } : {}),
    ...('pages' in written ? { pages: written.pages } : {}),
  };
}
