/**
 * The footer on every page: date, app version, settings hash(es) and the command that regenerates the
 * report. In a PDF it is Chromium's footer template (headless Chromium and Electron's printToPDF take
 * the same template, drawn in the bottom margin of each page); the HTML export ends with the same lines.
 */
import { utc } from '../format.js';
import { esc } from '../html.js';

export interface FooterData {
  generatedAt: string;
  appVersion: string;
  /** One per project: the latest build's equations key. */
  settingsHashes: { project: string; hash: string }[];
  command: string;
}

function hashes(d: FooterData, short: boolean): string {
  if (d.settingsHashes.length === 1) return d.settingsHashes[0].hash;
  return d.settingsHashes.map((h) => `${h.project} ${short ? h.hash.slice(0, 12) : h.hash}`).join(', ');
}

/** For Chromium's `footerTemplate`: inline styles only (it is rendered apart from the page), its own font size. */
export function footerTemplate(d: FooterData, marginMm: number): string {
  const line = 'margin:0; white-space:nowrap; overflow:hidden; text-overflow:ellipsis;';
  return `<div style="width:100%; padding:0 ${marginMm}mm; font-family:'DejaVu Sans', sans-serif; font-size:6.5px; line-height:1.35; color:#333; box-sizing:border-box;">
  <div style="display:flex; justify-content:space-between; border-top:0.5px solid #999; padding-top:2px;">
    <p style="${line}">Causeway ${esc(d.appVersion)} · ${esc(utc(d.generatedAt))} · settings ${esc(hashes(d, true))}</p>
    <p style="margin:0; padding-left:8px; white-space:nowrap;">page <span class="pageNumber"></span> of <span class="totalPages"></span></p>
  </div>
  <p style="margin:1px 0 0 0; font-family:'DejaVu Sans Mono', monospace; word-break:break-all;">${esc(d.command)}</p>
</div>`;
}

export function footerHtml(d: FooterData): string {
  return `<footer class="report-footer">
  <p>Causeway ${esc(d.appVersion)} · generated ${esc(utc(d.generatedAt))} · settings hash ${esc(hashes(d, false))}</p>
  <p>Regenerate: <code>${esc(d.command)}</code></p>
</footer>`;
}
