/**
 * Debian's Chromium driven by playwright-core (`npx playwright install` cannot download here): headless,
 * no network side-channels, a fresh profile per launch.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
// The same flags the report printer uses: one list of what works on these machines.
import { chromiumFlags } from '../../src/main/report/print-pdf.js';

export const chromiumPath = process.env.CAUSEWAY_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(viewport = { width: 1400, height: 860 }): Promise<BrowserContext> {
  // --headless and --user-data-dir are set by playwright from these options (a fresh folder each time).
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'causeway-chromium-')), {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    args: chromiumFlags,
  });
}
