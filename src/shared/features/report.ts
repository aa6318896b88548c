/**
 * Reports: the sections to pick, the composed HTML for the preview, and exports (PDF, HTML, CSV,
 * JSON). Every number in a report is a stored result of the chosen projects; nothing new is computed.
 */
import { z } from 'zod';
import { reportFormats } from '../choices.js';
import { method } from '../feature.js';
import type { ReportExported, ReportPreview, ReportSectionDto } from '../report.js';
import { noArgs, path } from './common.js';

const projects = z.array(path).min(1).max(12);
const sections = z.array(z.string().min(1).max(50)).max(20).optional();

export const reportMethods = {
  'report.sections': method<ReportSectionDto[]>()(noArgs),
  'report.compose': method<ReportPreview>()(z.object({ projects, sections }).strict()),
  'report.export': method<ReportExported>()(z.object({ projects, sections, format: z.enum(reportFormats) }).strict()),
};
