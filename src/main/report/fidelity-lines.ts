/**
 * The SCM's measured fidelity beside its numbers in the report (issue 15, item 6): the same lines
 * the app shows (src/main/evaluation/scm-fidelity.ts), from the project's stored build and evaluation.
 */
import type { FidelityLine, ScmFidelityDto } from '../../shared/fidelity.js';
import { scmFidelity } from '../evaluation/scm-fidelity.js';
import { esc, note } from './html.js';
import { evaluateCommandFor } from './sections/rankings.js';
import type { StoredResults } from './stored-results.js';

export function storedFidelity(r: StoredResults): ScmFidelityDto {
  return scmFidelity({
    validation: r.build.validation,
    build: { regressor: r.build.settings.regressor, limit: r.build.settings.limit },
    nodeLayers: r.settings.nodeLayers,
    evaluation: r.evaluation?.report,
    evaluateHow: `Evaluate in the app's Rankings view, or run: ${evaluateCommandFor(r.dir)}`,
  });
}

/** Each line as "Fidelity: …", a poor one followed by its warning; `notEvaluated` where a line needs the evaluation. */
export function fidelityLinesHtml(lines: (FidelityLine | null)[], notEvaluated: string | null = null): string {
  const shown = lines.filter((l): l is FidelityLine => l !== null);
  const parts = shown.map((l) => `<p class="note fidelity"><b>Fidelity</b> ${esc(l.text)}</p>${l.warning ? note(`Warning: ${l.warning}`, 'warning') : ''}`);
  if (notEvaluated && shown.length < lines.length) parts.push(note(notEvaluated, 'missing'));
  return parts.join('');
}
