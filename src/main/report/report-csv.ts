/**
 * The report's data as one long CSV table — project, section, key, value — with every value at full
 * precision (the PDF shows them rounded). Array items are keyed by their name, layer, id or rank when
 * they have one (`layers/conv2/avgR2`, `most/1/channel`), so a row reads without the JSON beside it.
 */
import type { ReportData } from './report-data.js';

export const csvHeader = ['project', 'section', 'key', 'value'] as const;

type Leaf = string | number | boolean | null;

function keyOf(item: unknown, index: number): string {
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const field of ['name', 'layer', 'id', 'rank', 'k', 'project']) {
      if (typeof o[field] === 'string' || typeof o[field] === 'number') return String(o[field]);
    }
  }
  return String(index);
}

function walk(value: unknown, path: string[], out: [string, Leaf][]): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') {
    out.push([path.join('/'), value as Leaf]);
    return;
  }
  if (Array.isArray(value)) {
    // Keys must stay unique: fall back to the index when two items share a name (e.g. draws of one layer).
    const keys = value.map(keyOf);
    const unique = new Set(keys).size === keys.length;
    value.forEach((item, i) => walk(item, [...path, unique ? keys[i] : String(i)], out));
    return;
  }
  for (const [k, v] of Object.entries(value)) walk(v, [...path, k], out);
}

export function csvField(value: Leaf): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(data: ReportData): string {
  const rows: (readonly Leaf[])[] = [csvHeader];
  const add = (project: string, section: string, value: unknown) => {
    const leaves: [string, Leaf][] = [];
    walk(value, [], leaves);
    for (const [key, v] of leaves) rows.push([project, section, key, v]);
  };
  add('', 'report', { title: data.title, generatedAt: data.generatedAt, appVersion: data.appVersion, sections: data.sections.join(','), command: data.footer.command });
  for (const h of data.footer.settingsHashes) add(h.project, 'footer', { settingsHash: h.hash });
  if (data.comparison) add('', 'comparison', data.comparison.projects);
  for (const p of data.projects) {
    add(p.name, 'project', { dir: p.dir, buildCurrent: p.buildCurrent });
    for (const section of data.sections) {
      if (section !== 'comparison') add(p.name, section, p[section]);
    }
  }
  return `${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}
