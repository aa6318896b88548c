/** The interventions the user ran in the app, each with the SCM's answer and, once verified, the real network's. */
import { count, pct, utc } from '../format.js';
import { type Cell, mono, note, table } from '../html.js';
import { formatIntervention } from '../intervention-records.js';
import type { StoredResults } from '../stored-results.js';
import type { ScmFidelityDto } from '../../../shared/fidelity.js';
import { fidelityLinesHtml, storedFidelity } from '../fidelity-lines.js';

export interface InterventionRow {
  id: number;
  createdAt: string;
  /** In the CLI's --do syntax. */
  spec: string;
  images: number;
  scm: { baselineAccuracy: number; accuracy: number };
  real: { baselineAccuracy: number; accuracy: number } | null;
}

export interface InterventionsData {
  runs: InterventionRow[];
  /** History records of another shape (not written by the app), left out. */
  unreadable: number;
  /** How far the SCM's do-answers were from the network's (evaluation), and its chained accuracy's. */
  fidelity: Pick<ScmFidelityDto, 'chained' | 'queries' | 'notEvaluated'>;
}

export function interventionsData(r: StoredResults): InterventionsData {
  return {
    runs: r.interventions.map((run) => ({
      id: run.id,
      createdAt: run.createdAt,
      spec: run.interventions.map(formatIntervention).join(','),
      images: run.scm.n,
      scm: { baselineAccuracy: run.scm.baselineAccuracy, accuracy: run.scm.accuracy },
      real: run.real && { baselineAccuracy: run.real.baselineAccuracy, accuracy: run.real.accuracy },
    })),
    unreadable: r.unreadableInterventions,
    fidelity: (({ chained, queries, notEvaluated }) => ({ chained, queries, notEvaluated }))(storedFidelity(r)),
  };
}

export function interventionsHtml(d: InterventionsData): string {
  const skipped = d.unreadable > 0 ? note(`${d.unreadable} record(s) of the history were not written by the app and are left out.`, 'warning') : '';
  if (d.runs.length === 0) return note('No interventions run yet: the app saves every query run on the causal graph here.', 'missing') + skipped;
  const f = d.fidelity;
  const fidelity = fidelityLinesHtml([f.queries?.counterfactual ?? null, f.queries?.interventional ?? null, f.chained], f.notEvaluated);
  const rows = d.runs.map((r): Cell[] => [
    r.id,
    utc(r.createdAt),
    mono(r.spec),
    count(r.images),
    pct(r.scm.baselineAccuracy),
    pct(r.scm.accuracy),
    r.real ? pct(r.real.baselineAccuracy) : '—',
    r.real ? pct(r.real.accuracy) : 'not verified',
  ]);
  return (
    table(['#', 'run', 'do(…)', 'images', 'SCM before', 'SCM after', 'real before', 'real after'], rows, {
      numeric: [0, 3, 4, 5, 6, 7],
      caption: 'Accuracy on the held-out images without (before) and with (after) the intervention; "real" is the network itself',
      className: 'interventions',
    }) +
    fidelity +
    skipped
  );
}
