/**
 * The contract of the Report view: the sections to pick, the composed HTML for the preview, and
 * exports (PDF, HTML, CSV, JSON). Merged into contract.ts/schemas.ts. Every number in a report is a
 * stored result of the chosen projects; the services never compute anything new for it.
 */
import { z } from 'zod';

const path = z.string().min(1, 'must not be empty').max(4096);
const projects = z.array(path).min(1).max(12);
const sections = z.array(z.string().min(1).max(50)).max(20).optional();

export const reportFormats = ['pdf', 'html', 'csv', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const reportArgsSchemas = {
  'report.sections': z.object({}).strict().optional(),
  'report.compose': z.object({ projects, sections }).strict(),
  'report.export': z.object({ projects, sections, format: z.enum(reportFormats) }).strict(),
} as const;

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

export interface ReportResults {
  'report.sections': ReportSectionDto[];
  'report.compose': ReportPreview;
  'report.export': ReportExported;
}
