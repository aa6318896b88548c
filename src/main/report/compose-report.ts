/**
 * A report from one or more open projects: their stored results (nothing recomputed), the sections
 * the user picked, and the command that regenerates it. Returns the HTML to print, the data it
 * prints (for the JSON/CSV exports) and the page layout for Chromium's printer.
 */
import { appVersion } from '../util/app-version.js';
import type { ProjectSession } from '../project/project-session.js';
import { type PrintLayout, printLayout } from './print-layout.js';
import type { ProjectReportData, ReportData } from './report-data.js';
import { resolveSections } from './report-sections.js';
import { type ReportOutputs, regenerateCommand } from './regenerate-command.js';
import { renderReport } from './render-report.js';
import { comparisonData } from './sections/comparison.js';
import { explanationsData } from './sections/explanations.js';
import { fidelityData } from './sections/fidelity.js';
import { pixelEffectsData } from './sections/pixel-effects.js';
import { propertiesData } from './sections/properties.js';
import type { FooterData } from './sections/footer.js';
import { interventionsData } from './sections/interventions.js';
import { plotsData } from './sections/plots.js';
import { rankingsData } from './sections/rankings.js';
import { summaryData } from './sections/summary.js';
import { validationData } from './sections/validation.js';
import { type StoredResults, readStoredResults } from './stored-results.js';

export interface ComposeOptions {
  /** Section ids; default: every section that applies. */
  sections?: readonly string[];
  /** Where the report will be written: they enter the regenerate command in the footer. */
  outputs?: ReportOutputs;
  /** The report's date (tests pin it). */
  now?: Date;
}

export interface ComposedReport {
  html: string;
  data: ReportData;
  layout: PrintLayout;
}

export function composeReport(sessions: ProjectSession | ProjectSession[], options: ComposeOptions = {}): ComposedReport {
  const list = Array.isArray(sessions) ? sessions : [sessions];
  if (list.length === 0) throw new Error('a report needs at least one project');
  // A user's pick is checked before anything is read; the default depends on what is stored.
  const picked = options.sections?.length ? resolveSections(options.sections, list.length) : undefined;
  // Every project is read before anything is rendered: a project without a build fails the whole report.
  const results = list.map(readStoredResults);
  const sections =
    picked ??
    resolveSections(undefined, list.length, {
      explanations: results.some((r) => r.explanations.graphs.length + r.explanations.repairs.length > 0),
      properties: results.some((r) => r.audits.length > 0),
      pixelEffects: results.some((r) => r.pixelEffects.maps.length + r.pixelEffects.attacks.length > 0),
    });
  const names = uniqueNames(results);
  const footer: FooterData = {
    generatedAt: (options.now ?? new Date()).toISOString(),
    appVersion,
    settingsHashes: results.map((r, i) => ({ project: names[i], hash: r.build.equationsKey })),
    command: regenerateCommand(
      results.map((r) => r.dir),
      sections,
      options.outputs,
    ),
  };
  const projects = results.map((r, i): ProjectReportData => {
    const p: ProjectReportData = { name: names[i], dir: r.dir, settingsHash: r.build.equationsKey, buildCurrent: r.build.current };
    if (sections.includes('summary')) p.summary = summaryData(r);
    if (sections.includes('validation')) p.validation = validationData(r);
    if (sections.includes('rankings')) p.rankings = rankingsData(r);
    if (sections.includes('fidelity')) p.fidelity = fidelityData(r);
    if (sections.includes('plots')) p.plots = plotsData(r);
    if (sections.includes('interventions')) p.interventions = interventionsData(r);
    if (sections.includes('pixel-effects')) p['pixel-effects'] = pixelEffectsData(r.pixelEffects);
    if (sections.includes('properties')) p.properties = propertiesData(r.audits);
    if (sections.includes('explanations')) p.explanations = explanationsData(r.explanations);
    return p;
  });
  const data: ReportData = {
    title: results.length === 1 ? `Causeway report: ${names[0]}` : `Causeway report: ${names.join(' vs ')}`,
    generatedAt: footer.generatedAt,
    appVersion,
    sections,
    projects,
    ...(sections.includes('comparison') ? { comparison: comparisonData(results.map((r, i) => ({ ...r, name: names[i] }))) } : {}),
    footer,
  };
  return { html: renderReport(data), data, layout: printLayout(footer) };
}

/** Projects are told apart by name; two folders with the same name get their parent folder added. */
function uniqueNames(results: StoredResults[]): string[] {
  const names = results.map((r) => r.name);
  return names.map((name, i) => (names.indexOf(name) !== names.lastIndexOf(name) ? `${name} (${results[i].dir.split('/').slice(-2, -1)[0] ?? i + 1})` : name));
}
