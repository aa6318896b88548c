/**
 * Prints a report's HTML to PDF with the system's Chromium in headless mode (playwright-core, no
 * browser download): a fresh profile folder per print, no network (every request is refused), then
 * the bytes go to a temporary file beside the target that is renamed over it, so a failed print never
 * leaves a half-written PDF. The desktop app prints the same HTML with webContents.printToPDF.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { writeFileAtomic } from '../store/atomic-write.js';
import { type ChromiumSearch, findChromium } from './chromium-path.js';
import { type PrintLayout, playwrightPdfOptions } from './print-layout.js';

/** Headless is set by Playwright (`headless: true` adds --headless); the rest keeps Chromium off the network and quiet. */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PrintOptions {
  chromium?: ChromiumSearch;
  /** For launching Chromium and for printing, each. */
  timeoutMs?: number;
}

/** The PDF's bytes. */
export async function renderPdf(html: string, layout: PrintLayout, options: PrintOptions = {}): Promise<Buffer> {
  const executablePath = findChromium(options.chromium);
  const timeout = options.timeoutMs ?? 60_000;
  const profile = await mkdtemp(join(tmpdir(), 'causeway-print-'));
  try {
    let context;
    try {
      context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: chromiumFlags, timeout, offline: true });
    } catch (error) {
      throw new Error(`${executablePath} did not start as headless Chromium: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
    try {
      await context.route('**/*', (route) => route.abort());
      const page = context.pages()[0] ?? (await context.newPage());
      await page.setContent(html, { waitUntil: 'load', timeout });
      await page.emulateMedia({ media: 'print' });
      return await page.pdf(playwrightPdfOptions(layout));
    } finally {
      await context.close();
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** Prints to `out` (temporary file, then rename) and returns the page count. */
export async function printPdf(html: string, layout: PrintLayout, out: string, options: PrintOptions = {}): Promise<{ path: string; pages: number; bytes: number }> {
  const bytes = await renderPdf(html, layout, options);
  const path = resolve(out);
  await writeFileAtomic(path, bytes);
  return { path, pages: countPdfPages(bytes), bytes: bytes.length };
}

/** Page objects in a PDF as Chromium writes it (each page a `/Type /Page` dictionary, not in an object stream). */
export function countPdfPages(pdf: Uint8Array): number {
  return (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
