/**
 * Showing a report inside the app's strict CSP. A srcdoc frame inherits the app's policy
 * (style-src 'self'), which blocks the report's inline <style> and style="" attributes. So the
 * styles are taken out before the HTML goes into the frame, and put back through the CSSOM (a
 * constructed stylesheet and element.style), which the CSP does not govern. The frame stays
 * sandboxed without scripts; allow-same-origin only lets this code reach its document.
 */
export interface SplitReport {
  html: string;
  css: string;
}

const moved = 'data-report-style';

// Text and attribute values in a report are escaped (no raw "<" or quote), so a tag is `<` up to `>`.
// Not DOMParser: Chromium applies the page's CSP while parsing there too, and reports every style.
const styleElement = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;
const styleAttribute = /(<[a-zA-Z][^<>]*?\s)style=(["'])/g;

export function splitReportStyles(html: string): SplitReport {
  const css: string[] = [];
  const stripped = html.replace(styleElement, (_all, text: string) => {
    css.push(text);
    return '';
  });
  return { html: stripped.replace(styleAttribute, `$1${moved}=$2`), css: css.join('\n') };
}

/** Call from the frame's load event. */
export function applyReportStyles(frame: HTMLIFrameElement, css: string): void {
  const doc = frame.contentDocument;
  const win = frame.contentWindow as (Window & { CSSStyleSheet: typeof CSSStyleSheet }) | null;
  if (!doc || !win) return;
  const sheet = new win.CSSStyleSheet();
  sheet.replaceSync(css);
  doc.adoptedStyleSheets = [sheet];
  for (const el of Array.from(doc.querySelectorAll<HTMLElement | SVGElement>(`[${moved}]`))) el.style.cssText = el.getAttribute(moved) ?? '';
}

/**
 * The report is laid out for A4 (190 mm of text); a frame narrower than its widest table would scroll
 * sideways. Scaled down to the frame's width instead, as a PDF viewer fits a page.
 */
export function fitReportWidth(frame: HTMLIFrameElement): void {
  const doc = frame.contentDocument;
  if (!doc?.body) return;
  const root = doc.documentElement;
  root.style.removeProperty('zoom');
  root.style.removeProperty('overflow-x');
  const overflow = root.scrollWidth / Math.max(1, root.clientWidth);
  if (overflow <= 1.001) return;
  root.style.setProperty('zoom', String(Math.floor((1 / overflow) * 1000) / 1000));
  // Scaled to fit, nothing lies beyond the frame's edge; the scroll width Chromium still reports
  // (unscaled) must not bring the scrollbar back.
  root.style.setProperty('overflow-x', 'hidden');
}
