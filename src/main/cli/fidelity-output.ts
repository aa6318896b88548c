/**
 * The SCM's measured fidelity beside its numbers in the CLI (the same lines as the app and the
 * report: evaluation/scm-fidelity.ts). Text mode prints the lines with the result and each warning
 * on stderr; JSON carries the lines and a `warnings` array.
 */
import type { FidelityLine } from '../../shared/fidelity.js';
import { evaluateCommandFor } from '../report/sections/rankings.js';

/** What the "not evaluated" line tells a CLI user to run. */
export function evaluateHowFor(dir: string): string {
  return `Run: ${evaluateCommandFor(dir)}`;
}

/** The warnings of the poor lines, in order. */
export function fidelityWarnings(lines: (FidelityLine | null | undefined)[]): string[] {
  return lines.flatMap((l) => (l?.warning ? [l.warning] : []));
}

/** One "fidelity: …" line per measured line; the not-evaluated sentence where a line needs the evaluation. */
export function fidelityText(lines: (FidelityLine | null | undefined)[], notEvaluated: string | null): string[] {
  return [...lines.flatMap((l) => (l ? [`fidelity: ${l.text}`] : [])), ...(notEvaluated ? [`fidelity: ${notEvaluated}`] : [])];
}
