/**
 * `causeway report --project DIR [--compare DIR2,DIR3] [--sections a,b,c] [--pdf OUT.pdf] [--html OUT.html]
 * [--csv OUT.csv] [--json OUT.json]`: a report from the projects' stored results (nothing is recomputed),
 * printed to PDF with the system's Chromium and/or exported as HTML, CSV and JSON. Stdout says what was
 * written (as JSON when --json is given, since that flag names a file here).
 */
import { resolveSections, sectionIds } from '../../report/report-sections.js';
import { exportReport } from '../../features/report/report-service.js';
import { UsageError } from '../cli-error.js';
import { count } from '../format.js';
import { type Flags, optionalString, requireString } from '../options.js';

export const reportUsage = `report --project DIR [--compare DIR2,DIR3] [--sections ${sectionIds.join(',')}] [--pdf OUT.pdf] [--html OUT.html] [--csv OUT.csv] [--json OUT.json]`;

export const reportValues = ['project', 'compare', 'sections', 'pdf', 'html', 'csv', 'json'];

export async function reportCommand(flags: Flags) {
  const project = requireString(flags, 'project');
  const compare = optionalString(flags, 'compare');
  const projects = [project, ...(compare ? compare.split(',').map((d) => d.trim()).filter(Boolean) : [])];
  if (compare !== undefined && projects.length === 1) throw new UsageError('--compare needs one or more project folders, separated by commas');
  const sectionsText = optionalString(flags, 'sections');
  const sections = sectionsText?.split(',').map((s) => s.trim()).filter(Boolean);
  try {
    resolveSections(sections, projects.length);
  } catch (error) {
    throw new UsageError(`--sections: ${(error as Error).message}`);
  }
  const outputs = { pdf: optionalString(flags, 'pdf'), html: optionalString(flags, 'html'), csv: optionalString(flags, 'csv'), json: optionalString(flags, 'json') };
  if (!outputs.pdf && !outputs.html && !outputs.csv && !outputs.json) throw new UsageError('give at least one of --pdf, --html, --csv, --json');

  const result = await exportReport({ projects, sections, ...outputs });
  const w = result.written;
  const lines = [
    ...(w.pdf ? [`wrote ${w.pdf.path} (${w.pdf.pages} page${w.pdf.pages === 1 ? '' : 's'})`] : []),
    ...(w.html ? [`wrote ${w.html.path}`] : []),
    ...(w.csv ? [`wrote ${w.csv.path} (${count(w.csv.rows)} rows)`] : []),
    ...(w.json ? [`wrote ${w.json.path}`] : []),
    `sections: ${result.sections.join(', ')}`,
  ];
  return { json: result, text: lines.join('\n') };
}
