/**
 * Electron's side of report export: a hidden, script-less window in its own session (so the app's
 * strict CSP header does not strip the report's inline styles) loads the self-contained report from a
 * temporary file and prints it with `webContents.printToPDF`; and the save dialog. Electron objects
 * come in as parameters so tests can pass stand-ins.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportFormat } from '../../shared/report.js';
import { type ContentsLike, hardenContents } from './security.js';

export interface PrintWindowLike {
  loadFile(path: string): Promise<void>;
  webContents: ContentsLike & { printToPDF(options: Record<string, unknown>): Promise<Uint8Array> };
  destroy(): void;
}

/** The hidden window's settings: nothing runs in it, nothing it loads can reach the app. */
export const printWindowOptions = {
  show: false,
  width: 900,
  height: 1200,
  webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'causeway-report-print', spellcheck: false },
} as const;

export async function printHtmlToPdf(html: string, options: Record<string, unknown>, createWindow: (opts: typeof printWindowOptions) => PrintWindowLike): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'causeway-report-'));
  const file = join(dir, 'report.html');
  const win = createWindow(printWindowOptions);
  try {
    // It shows the report file and nothing else: no link, redirect or frame may take it elsewhere.
    const own = pathToFileURL(file).href;
    hardenContents(win.webContents, (url) => url === own);
    await writeFile(file, html);
    await win.loadFile(file);
    return await win.webContents.printToPDF(options);
  } finally {
    win.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

const filterNames: Record<ReportFormat, string> = { pdf: 'PDF', html: 'HTML', csv: 'CSV', json: 'JSON' };

export interface SaveDialogLike {
  (options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
}

/** Asks where to save a report; null when cancelled. */
export async function askReportPath(showSaveDialog: SaveDialogLike, defaultPath: string, format: ReportFormat): Promise<string | null> {
  const result = await showSaveDialog({ title: `Save report as ${filterNames[format]}`, defaultPath, filters: [{ name: filterNames[format], extensions: [format] }] });
  if (result.canceled || !result.filePath) return null;
  return result.filePath.toLowerCase().endsWith(`.${format}`) ? result.filePath : `${result.filePath}.${format}`;
}

