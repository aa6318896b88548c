/**
 * The S3 section: CE-map and adversarial runs store their summaries, and the default report then
 * prints them with the numbers the runs returned (HTML, CSV, PDF text).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReport } from '../../src/main/report/compose-report.js';
import { fixed, pct } from '../../src/main/report/format.js';
import { reportCsv } from '../../src/main/report/report-csv.js';
import { adversarialReport, cemapReport } from '../../src/main/features/pixel-effects/pixel-effects-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { exportReport } from '../../src/main/features/report/report-service.js';
import { defaultSections, makeSmallLenetBuild } from './fixture-projects.js';
import { pdfText } from './poppler.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-report-s3-'));
const project = join(tmp, 'lenet');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => makeSmallLenetBuild(project));

describe('report section: pixel-level causal effects (S3)', () => {
  it('is left out of the default report while no run is stored', async () => {
    expect(await defaultSections(project)).not.toContain('pixel-effects');
  });

  it('prints the stored CE-map and detection runs with the numbers the runs returned', async () => {
    const session = await ProjectSession.open(project);
    try {
      const maps = await cemapReport(session, { images: 3, grid: 4 });
      const adv = await adversarialReport(session, { images: 8, grid: 4, attack: 'fgsm', eps: 8 });
      const report = composeReport(session);
      expect(report.data.sections).toContain('pixel-effects');
      const data = report.data.projects[0]['pixel-effects']!;
      expect(data.maps[0]).toMatchObject({ images: maps.summary.images, grid: 4, medianGradcamSpearman: maps.summary.medianGradcamSpearman, deletionAuc: maps.summary.meanDeletionAuc });
      expect(data.attacks[0]).toMatchObject({ attack: 'fgsm', eps: 8, images: adv.n, attackSuccess: adv.attackSuccess, auroc: { mass: adv.auroc.mass, max: adv.auroc.max, entropy: adv.auroc.entropy } });
      expect(reportCsv(report.data)).toContain(`lenet,pixel-effects,attacks/0/attackSuccess,${adv.attackSuccess ?? ''}`);
      // beside its rival, in plain words
      const rival = adv.detection.scores.find((s) => s.name === 'low-confidence')!;
      expect(data.attacks[0]).toMatchObject({ confidenceAuroc: rival.oneSided.estimate, verdict: adv.detection.primary.verdict });
      expect(report.html).toContain(adv.detection.primary.sentence);

      const pdf = join(tmp, 'report.pdf');
      // 'pixels', the section's earlier name, still picks it (scripts written before the rename).
      await exportReport({ projects: [project], sections: ['pixels'], pdf });
      const text = pdfText(pdf).replace(/\s+/g, ' ');
      expect(text).toContain('Pixel-level causal effects (S3)');
      expect(text).toContain(`FGSM 8/255 ${adv.n} ${pct(adv.attackSuccess)} ${fixed(adv.auroc.mass)} ${fixed(adv.auroc.max)} ${fixed(adv.auroc.entropy)} ${fixed(rival.oneSided.estimate)} ${adv.detection.primary.verdict}`);
    } finally {
      session.close();
    }
  });
});
