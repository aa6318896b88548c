/**
 * The S4 section: an audit run stores its summary, and the default report then prints it with the
 * stored numbers (HTML, CSV, PDF text); without an audit the section is left out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReport } from '../../src/main/report/compose-report.js';
import { pct, sig } from '../../src/main/report/format.js';
import { LARGE_EPGM_PER_UNIT } from '../../src/main/properties/property-summary.js';
import { reportCsv } from '../../src/main/report/report-csv.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { AUDIT_ARTIFACT, runPropertiesOn } from '../../src/main/features/properties/properties-service.js';
import { exportReport } from '../../src/main/features/report/report-service.js';
import { defaultSections, makeSmallLenetBuild } from './fixture-projects.js';
import { pdfText } from './poppler.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-report-s4-'));
const project = join(tmp, 'lenet');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => makeSmallLenetBuild(project));

describe('report section: property interventions (S4)', () => {
  it('is left out of the default report while no audit is stored', async () => {
    expect(await defaultSections(project)).not.toContain('properties');
  });

  it('prints a stored audit with the numbers the audit returned, in the HTML, the CSV and the PDF', async () => {
    const session = await ProjectSession.open(project);
    try {
      const audit = await runPropertiesOn(session, { properties: ['brightness'], images: 6, steps: 16, permutations: 100 });
      expect(session.store.listArtifacts(AUDIT_ARTIFACT)).toHaveLength(1);
      const report = composeReport(session);
      expect(report.data.sections).toContain('properties');
      const rows = report.data.projects[0].properties!.rows;
      expect(rows).toHaveLength(audit.properties.length);
      for (const [i, g] of audit.properties.entries()) {
        expect(rows[i]).toMatchObject({ property: g.name, class: g.class, images: g.summary.n, medianEpgm: g.summary.medianEpgm, shareSignificant: g.summary.shareSignificant });
        expect(report.html).toContain(sig(g.summary.medianEpgm, 3));
      }
      expect(reportCsv(report.data)).toContain(`lenet,properties,rows/0/medianEpgm,${audit.properties[0].summary.medianEpgm}`);
      // the calibrated cut-off is the one named, and the reading is spelled out
      expect(rows[0].largeCutoff).toBe(LARGE_EPGM_PER_UNIT);
      expect(report.html).toContain(`moves by ≥ ${LARGE_EPGM_PER_UNIT} per unit of strength`);
      expect(report.html).toContain('calibrated on control properties');

      const pdf = join(tmp, 'report.pdf');
      await exportReport({ projects: [project], sections: ['properties'], pdf });
      const text = pdfText(pdf).replace(/\s+/g, ' ');
      expect(text).toContain('Property interventions (S4)');
      const g = audit.properties[0];
      expect(text).toContain(`${sig(g.summary.medianEpgm, 3)} ${pct(g.summary.shareSignificant)}`);
    } finally {
      session.close();
    }
  });
});
