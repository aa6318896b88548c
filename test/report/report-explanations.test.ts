/**
 * The S2 section: a stored class explanatory graph appears in the default report (and only when one is
 * stored), with its numbers exactly as stored — in the HTML, the CSV and the PDF text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReport } from '../../src/main/report/compose-report.js';
import { fixed } from '../../src/main/report/format.js';
import { esc } from '../../src/main/report/html.js';
import { reportCsv } from '../../src/main/report/report-csv.js';
import { GRAPH_ARTIFACT, explanatoryGraphOn, repairOn } from '../../src/main/features/explain/explain-service.js';
import { wilsonInterval } from '../../src/main/evaluation/wilson-interval.js';
import { exportReport } from '../../src/main/features/report/report-service.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { defaultSections, makeSmallLenetBuild } from './fixture-projects.js';
import { pdfText } from './poppler.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-report-s2-'));
const project = join(tmp, 'lenet');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => makeSmallLenetBuild(project));

describe('report section: causal explanatory graphs (S2)', () => {
  it('is left out of the default report while no graph is stored', async () => {
    expect(await defaultSections(project)).not.toContain('explanations');
  });

  it('prints a stored graph with its stored numbers, in the HTML, the CSV and the PDF', async () => {
    const session = await ProjectSession.open(project);
    try {
      await explanatoryGraphOn(session, 'cat', { k: 3, images: 8, bootstrap: 2, noiseRepeats: 1, randomSeeds: 2, candidates: 4 });
      const stored = session.store
        .listArtifacts(GRAPH_ARTIFACT)
        .map(
          (a) =>
            session.store.getArtifact<{ className: string; nodes: unknown[]; stability: { jaccard: number | null }; faithfulness: { sufficiency: number; necessity: number }; rivals: { sentence: string }[] }>(
              GRAPH_ARTIFACT,
              a.key,
            )!.value,
        );
      expect(stored).toHaveLength(1);
      const g = stored[0];
      const report = composeReport(session);
      expect(report.data.sections).toContain('explanations');
      const row = report.data.projects[0].explanations!.graphs[0];
      expect(row).toMatchObject({ className: 'cat', nodes: g.nodes.length, jaccard: g.stability.jaccard, sufficiency: g.faithfulness.sufficiency, necessity: g.faithfulness.necessity });
      expect(report.html).toContain('Causal explanatory graphs (S2)');
      expect(report.html).toContain(fixed(g.faithfulness.sufficiency));
      expect(reportCsv(report.data)).toContain(`lenet,explanations,graphs/0/sufficiency,${g.faithfulness.sufficiency}`);
      // beside Grad-CAM in plain words: stability of the top layer, sufficiency and necessity on disjoint images
      expect(g.rivals.map((r) => r.sentence)).toEqual(row.rivals);
      expect(row.rivals).toHaveLength(3);
      expect(report.html).toContain(esc(`cat: ${g.rivals[1].sentence}`));

      const pdf = join(tmp, 'report.pdf');
      await exportReport({ projects: [project], sections: ['summary', 'explanations'], pdf });
      const text = pdfText(pdf).replace(/\s+/g, ' ');
      expect(text).toContain('Causal explanatory graphs (S2)');
      expect(text).toMatch(new RegExp(`cat .*${fixed(g.faithfulness.sufficiency).replace('.', '\\.')} ${fixed(g.faithfulness.necessity).replace('.', '\\.')}`));
    } finally {
      session.close();
    }
  });

  it('prints a stored repair with its accuracies and the sentence the app shows (Wilson intervals)', async () => {
    const session = await ProjectSession.open(project);
    try {
      const r = await repairOn(session, { class: 'cat', settings: { k: 3, images: 8, candidates: 4 } });
      const report = composeReport(session);
      const row = report.data.projects[0].explanations!.repairs[0];
      expect(row).toMatchObject({ className: 'cat', removed: r.removed.map((n) => n.id), before: { conflicting: r.before.conflicting }, after: { conflicting: r.after.conflicting } });
      const n = r.images.evaluation;
      const [lo, hi] = wilsonInterval(Math.round(r.before.conflicting * n), n);
      if (r.removed.length) expect(row.sentence).toContain(`from ${(100 * r.before.conflicting).toFixed(0)}% [${(100 * lo).toFixed(0)}, ${(100 * hi).toFixed(0)}]`);
      else expect(row.sentence).toContain('nothing was removed');
      expect(report.html).toContain(esc(`cat: ${row.sentence}`));
      // the paired change of the same images: its table's margins are the two stored accuracies
      const t = row.change!.conflicting.counts;
      expect((t.both + t.beforeOnly) / n).toBeCloseTo(r.before.conflicting, 6);
      expect((t.both + t.afterOnly) / n).toBeCloseTo(r.after.conflicting, 6);
      expect(report.html).toContain('conflicting change');
    } finally {
      session.close();
    }
  });
});
