/** Small HTML builders for the report: every piece of text goes through `esc`. */

export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A cell: plain text (escaped), or already-built HTML. */
export type Cell = string | number | { html: string };

export interface TableOptions {
  /** Columns (0-based) right-aligned with tabular digits. */
  numeric?: number[];
  caption?: string;
  className?: string;
}

export function cell(c: Cell): string {
  return typeof c === 'object' ? c.html : esc(c);
}

export function table(header: Cell[], rows: Cell[][], options: TableOptions = {}): string {
  const numeric = new Set(options.numeric ?? []);
  const cls = (i: number) => (numeric.has(i) ? ' class="num"' : '');
  return [
    `<table${options.className ? ` class="${esc(options.className)}"` : ''}>`,
    options.caption ? `<caption>${esc(options.caption)}</caption>` : '',
    `<thead><tr>${header.map((h, i) => `<th${cls(i)}>${cell(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody>`,
    '</table>',
  ].join('');
}

/** Label–value pairs as a two-column table. */
export function facts(pairs: [string, Cell][]): string {
  return `<table class="facts"><tbody>${pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${cell(v)}</td></tr>`).join('')}</tbody></table>`;
}

export function note(text: string, kind: 'info' | 'missing' | 'warning' = 'info'): string {
  return `<p class="note ${kind}">${esc(text)}</p>`;
}

export function section(id: string, title: string, body: string): string {
  return `<section class="report-section" id="${esc(id)}"><h2>${esc(title)}</h2>${body}</section>`;
}

export function figure(svg: string, caption: string): string {
  return `<figure>${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}

export function mono(text: string): { html: string } {
  return { html: `<code>${esc(text)}</code>` };
}
