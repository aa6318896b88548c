/**
 * How much of a job a progress report says is done: the whole job's fraction when the services
 * know its stages; otherwise the running stage's share, but null (a bar without a value) once that
 * stage is complete and the job still runs, or before anything is known: a full bar while work goes
 * on, or an empty one while it has started, would both say something false.
 */
export interface ProgressLike {
  done: number;
  total: number;
  overall?: { fraction: number };
}

export function jobFraction(p: ProgressLike | null | undefined): number | null {
  if (!p) return null;
  if (p.overall) return Math.min(1, Math.max(0, p.overall.fraction));
  if (!(p.total > 0) || p.done >= p.total) return null;
  return Math.max(0, p.done / p.total);
}
