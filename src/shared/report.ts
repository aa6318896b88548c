/** The result shapes of the report feature; its methods are declared in features/report.ts. */
import type { ReportFormat } from './choices.js';

export { type ReportFormat, reportFormats } from './choices.js';

export interface ReportSectionDto {
  id: string;
  title: string;
  description: string;
  severalProjects: boolean;
  needsEvaluation: boolean;
}

export interface ReportPreview {
  /** One self-contained document (inline CSS and SVG, no script). */
  html: string;
  /** The sections it holds, in print order. */
  sections: string[];
  /** The command that regenerates it (also in its footer). */
  command: string;
}

export interface ReportExported {
  /** Where the file went; null when the user cancelled the save dialog. */
  path: string | null;
  format: ReportFormat;
  bytes?: number;
  pages?: number;
}
