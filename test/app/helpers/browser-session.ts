/**
 * One end-to-end session: the web mode on a fresh user-data folder, Debian Chromium on its page, the
 * page's console errors collected, and screenshots to test-results/e2e/ (CAUSEWAY_SCREENSHOTS=docs
 * also copies them to docs/screenshots/).
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startWebMode, type WebMode } from '../../../src/main/server/web-mode.js';
import { launchChromium } from '../chromium.js';

const shots = join(import.meta.dirname, '../../../test-results/e2e');
const docs = join(import.meta.dirname, '../../../docs/screenshots');

export interface BrowserSession {
  web: WebMode;
  browser: BrowserContext;
  page: Page;
  userData: string;
  /** Console errors and uncaught exceptions of the page (CSP violations show here too). */
  problems: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowserSession(prefix: string): Promise<BrowserSession> {
  mkdirSync(shots, { recursive: true });
  const userData = mkdtempSync(join(tmpdir(), prefix));
  const web = await startWebMode({ port: 0, userDataDir: userData });
  const browser = await launchChromium();
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.setViewportSize({ width: 1400, height: 860 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(web.url);
  return {
    web,
    browser,
    page,
    userData,
    problems,
    async shot(name) {
      const file = join(shots, `${name}.png`);
      await page.screenshot({ path: file });
      if (process.env.CAUSEWAY_SCREENSHOTS === 'docs') {
        mkdirSync(docs, { recursive: true });
        copyFileSync(file, join(docs, `${name}.png`));
      }
    },
    async close() {
      await browser.close();
      await web.close();
    },
  };
}
