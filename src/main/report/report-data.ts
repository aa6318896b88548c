/** The plain-JSON content of a report: every number it prints, by section (what the JSON and CSV exports hold). */
import type { SectionId } from './report-sections.js';
import type { ComparisonData } from './sections/comparison.js';
import type { ExplanationsData } from './sections/explanations.js';
import type { FidelityData } from './sections/fidelity.js';
import type { FooterData } from './sections/footer.js';
import type { InterventionsData } from './sections/interventions.js';
import type { PixelEffectsData } from './sections/pixel-effects.js';
import type { PlotsData } from './sections/plots.js';
import type { PropertiesData } from './sections/properties.js';
import type { RankingsData } from './sections/rankings.js';
import type { SummaryData } from './sections/summary.js';
import type { ValidationData } from './sections/validation.js';

export interface ProjectReportData {
  name: string;
  dir: string;
  settingsHash: string;
  /** False when the project's files changed after its build (the report says so on the page). */
  buildCurrent: boolean;
  summary?: SummaryData;
  validation?: ValidationData;
  rankings?: RankingsData;
  fidelity?: FidelityData;
  plots?: PlotsData;
  interventions?: InterventionsData;
  /** Keyed by its section id, as every section (the CSV's section column reads the keys). */
  'pixel-effects'?: PixelEffectsData;
  properties?: PropertiesData;
  explanations?: ExplanationsData;
}

export interface ReportData {
  title: string;
  generatedAt: string;
  appVersion: string;
  sections: SectionId[];
  projects: ProjectReportData[];
  comparison?: ComparisonData;
  footer: FooterData;
}
