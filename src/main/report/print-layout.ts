/**
 * Page setup of a report PDF, in the two forms that print it: Playwright's `page.pdf` (CLI and web
 * mode, headless Chromium) and Electron's `webContents.printToPDF` (the desktop app). Both are
 * Chromium's printer, so the same template and margins give the same pages.
 */
import { type FooterData, footerTemplate } from './sections/footer.js';

export interface PrintLayout {
  pageSize: 'A4';
  marginsMm: { top: number; right: number; bottom: number; left: number };
  headerTemplate: string;
  footerTemplate: string;
}

const side = 14;

export function printLayout(footer: FooterData): PrintLayout {
  return {
    pageSize: 'A4',
    // The bottom margin holds the footer's two lines (three when the command wraps).
    marginsMm: { top: 12, right: side, bottom: 20, left: side },
    headerTemplate: '<div></div>',
    footerTemplate: footerTemplate(footer, side),
  };
}

/** Options for Playwright's `page.pdf` (margins as CSS lengths). */
export function playwrightPdfOptions(layout: PrintLayout) {
  const mm = (x: number) => `${x}mm`;
  const m = layout.marginsMm;
  return {
    format: layout.pageSize,
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: layout.headerTemplate,
    footerTemplate: layout.footerTemplate,
    margin: { top: mm(m.top), right: mm(m.right), bottom: mm(m.bottom), left: mm(m.left) },
  };
}

/** Options for Electron's `webContents.printToPDF` (margins in inches); plain JSON, so it can cross IPC. */
export function electronPrintOptions(layout: PrintLayout) {
  const inch = (x: number) => x / 25.4;
  const m = layout.marginsMm;
  return {
    pageSize: layout.pageSize,
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: layout.headerTemplate,
    footerTemplate: layout.footerTemplate,
    margins: { top: inch(m.top), right: inch(m.right), bottom: inch(m.bottom), left: inch(m.left) },
  };
}
