/** The exact command line that regenerates a report, printed in its footer. */
import { resolve } from 'node:path';
import type { SectionId } from './report-sections.js';

export interface ReportOutputs {
  pdf?: string;
  html?: string;
  csv?: string;
  json?: string;
}

/** POSIX shell quoting, only where needed: paths with spaces or quotes still paste correctly. */
export function shellArg(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function regenerateCommand(dirs: string[], sections: SectionId[], outputs: ReportOutputs = {}): string {
  const [first, ...others] = dirs.map((d) => resolve(d));
  const parts = ['npm run causeway -- report --project', shellArg(first)];
  // Commas separate the --compare list, so a folder whose name has one cannot be listed there.
  if (others.length) parts.push('--compare', shellArg(others.join(',')));
  parts.push('--sections', sections.join(','));
  for (const kind of ['pdf', 'html', 'csv', 'json'] as const) {
    const out = outputs[kind];
    if (out) parts.push(`--${kind}`, shellArg(resolve(out)));
  }
  return parts.join(' ');
}
