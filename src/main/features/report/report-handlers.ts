/** The report feature's handler group: sections, the preview, exports where the host says. */
import type { FeatureHandlers } from '../../../shared/contract.js';
import type { reportMethods } from '../../../shared/features/report.js';
import { exportFromApp, previewReport, type ReportHost, sectionList } from './report-app.js';

export function reportHandlers(host: ReportHost | undefined): FeatureHandlers<typeof reportMethods> {
  return {
    'report.sections': async () => sectionList(),
    'report.compose': (a) => previewReport(a),
    'report.export': (a) => exportFromApp(a, host),
  };
}
