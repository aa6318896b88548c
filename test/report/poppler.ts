/** poppler-utils (Debian's pdfinfo, pdftotext, pdftoppm): an independent reader of the PDFs Chromium writes. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

/** Text of one page (or all), in layout mode so a table row stays on one line. */
export function pdfText(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', ['-layout', ...range, file, '-'], { encoding: 'utf8' });
}

/** Renders every page at `dpi` into `dir`; returns each page's size and share of non-white pixels. */
export function renderPages(file: string, dir: string, dpi = 60): { file: string; width: number; height: number; inked: number }[] {
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), file, join(dir, 'page')]);
  return readdirSync(dir)
    .filter((f) => f.startsWith('page') && f.endsWith('.png'))
    .sort()
    .map((f) => {
      const png = PNG.sync.read(readFileSync(join(dir, f)));
      let inked = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 200 || png.data[i + 1] < 200 || png.data[i + 2] < 200) inked++;
      return { file: f, width: png.width, height: png.height, inked: inked / (png.width * png.height) };
    });
}

/** Whitespace removed: a footer line that wraps still matches. */
export function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
