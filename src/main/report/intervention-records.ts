/**
 * The intervention history as stored by the app (src/main/features/interventions/intervention-history.ts:
 * spec = {source: 'app', interventions}, the SCM's result, and the real network's once verified),
 * read leniently: a record of another shape is counted, not guessed at.
 */
import type { InterventionRecord } from '../store/project-store.js';

export interface StoredIntervention {
  layer: string;
  channels: number[];
  kind: 'zero' | 'scale' | 'constant' | 'mean';
  value?: number;
}

export interface StoredOutcome {
  n: number;
  accuracy: number;
  baselineAccuracy: number;
}

export interface InterventionRun {
  id: number;
  createdAt: string;
  interventions: StoredIntervention[];
  scm: StoredOutcome;
  real: StoredOutcome | null;
}

export function readInterventionRuns(records: InterventionRecord[]): { runs: InterventionRun[]; unreadable: number } {
  const runs: InterventionRun[] = [];
  let unreadable = 0;
  for (const record of records) {
    const spec = record.spec as { source?: unknown; interventions?: unknown } | null;
    const interventions = spec?.source === 'app' && Array.isArray(spec.interventions) ? spec.interventions.filter(isIntervention) : [];
    const scm = outcome(record.scmResult);
    if (interventions.length === 0 || interventions.length !== (spec!.interventions as unknown[]).length || !scm) {
      unreadable++;
      continue;
    }
    runs.push({ id: record.id, createdAt: record.createdAt, interventions, scm, real: outcome(record.realResult) });
  }
  return { runs, unreadable };
}

function isIntervention(x: unknown): x is StoredIntervention {
  const iv = x as Partial<StoredIntervention> | null;
  return (
    typeof iv?.layer === 'string' &&
    Array.isArray(iv.channels) &&
    iv.channels.every((k) => Number.isInteger(k)) &&
    (iv.kind === 'zero' || iv.kind === 'scale' || iv.kind === 'constant' || iv.kind === 'mean') &&
    (iv.value === undefined || typeof iv.value === 'number')
  );
}

function outcome(x: unknown): StoredOutcome | null {
  const o = x as Partial<StoredOutcome> | null | undefined;
  if (typeof o?.accuracy !== 'number' || typeof o.baselineAccuracy !== 'number' || typeof o.n !== 'number') return null;
  return { n: o.n, accuracy: o.accuracy, baselineAccuracy: o.baselineAccuracy };
}

/** The CLI's --do syntax (`conv1:3=0,conv1:5-7=0`, `conv2:0=x0.5`), so a reader can re-run it with `causeway query`. */
export function formatIntervention(iv: StoredIntervention): string {
  const value = iv.kind === 'zero' ? '0' : iv.kind === 'scale' ? `x${iv.value}` : iv.kind === 'mean' ? 'mean' : String(iv.value);
  return channelRuns(iv.channels)
    .map((run) => `${iv.layer}:${run}=${value}`)
    .join(',');
}

/** Sorted channels as runs: [3, 5, 6, 7] → ['3', '5-7']. */
export function channelRuns(channels: number[]): string[] {
  const sorted = [...new Set(channels)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    runs.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return runs;
}
