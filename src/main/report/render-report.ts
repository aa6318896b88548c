/**
 * Report data → one self-contained HTML document: inline CSS and SVG, no script, and a content
 * security policy that forbids every fetch, so printing it never touches the network.
 */
import { utc } from './format.js';
import { esc, note, section } from './html.js';
import type { ProjectReportData, ReportData } from './report-data.js';
import { type SectionId, sectionTitle } from './report-sections.js';
import { reportCss } from './report-style.js';
import { comparisonHtml } from './sections/comparison.js';
import { fidelityHtml } from './sections/fidelity.js';
import { footerHtml } from './sections/footer.js';
import { interventionsHtml } from './sections/interventions.js';
import { plotsHtml } from './sections/plots.js';
import { explanationsHtml } from './sections/explanations.js';
import { pixelEffectsHtml } from './sections/pixel-effects.js';
import { propertiesHtml } from './sections/properties.js';
import { rankingsHtml } from './sections/rankings.js';
import { summaryHtml } from './sections/summary.js';
import { validationHtml } from './sections/validation.js';

const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

function projectSection(p: ProjectReportData, id: Exclude<SectionId, 'comparison'>): string {
  const body = (() => {
    switch (id) {
      case 'summary':
        return summaryHtml(p.summary!);
      case 'validation':
        return validationHtml(p.validation!);
      case 'rankings':
        return rankingsHtml(p.rankings!);
      case 'fidelity':
        return fidelityHtml(p.fidelity!);
      case 'plots':
        return plotsHtml(p.plots!);
      case 'interventions':
        return interventionsHtml(p.interventions!);
      case 'pixel-effects':
        return pixelEffectsHtml(p['pixel-effects']!);
      case 'properties':
        return propertiesHtml(p.properties!);
      case 'explanations':
        return explanationsHtml(p.explanations!);
    }
  })();
  return section(`${id}-${p.name}`, sectionTitle(id), body);
}

export function renderReport(data: ReportData): string {
  const several = data.projects.length > 1;
  const perProject = data.sections.filter((s): s is Exclude<SectionId, 'comparison'> => s !== 'comparison');
  const stale = data.projects.filter((p) => !p.buildCurrent).map((p) => p.name);
  const body = [
    `<header class="report-header"><h1>${esc(data.title)}</h1><p>Generated ${esc(utc(data.generatedAt))} by Causeway ${esc(data.appVersion)} from the stored results of ${several ? `${data.projects.length} projects` : esc(data.projects[0].dir)}. Every number is a stored result; the footer gives the command that regenerates this report.</p></header>`,
    stale.length
      ? note(
          `The model file, the dataset or the preprocessing ${several ? `of ${stale.join(', ')} ` : ''}changed after this build: the numbers describe the files as they were; run build again to update them.`,
          'warning',
        )
      : '',
    data.comparison ? section('comparison', sectionTitle('comparison'), comparisonHtml(data.comparison)) : '',
    ...data.projects.map((p) => {
      const sections = perProject.map((id) => projectSection(p, id)).join('');
      return several && sections ? `<div class="project"><h2 class="project-title">${esc(p.name)} <span class="muted">${esc(p.dir)}</span></h2>${sections}</div>` : sections;
    }),
    footerHtml(data.footer),
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${esc(data.title)}</title>
<style>${reportCss}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
