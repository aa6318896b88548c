/**
 * One bar and one ETA for a job of several stages. Each stage reports its own done/total (and its
 * own ETA, which jumps at every change of stage: 42 s of φ extraction, then 6 min of augmentation).
 * A plan lists the stages in order with their estimated cost in common units (forward passes of
 * one image, say); the job's fraction is the cost of the finished stages plus the running stage's
 * share, over the whole plan. The ETA divides the cost still ahead by the rate observed since
 * work began (time spent loading before the first unit of work does not count), damped so that one
 * slow batch does not swing it; it is withheld until there is a rate worth the name.
 */
import type { Progress } from '../util/progress.js';

export interface PlannedStage<S extends string = string> {
  /** Progress reports of this typed step (and, when given, this part of it: a layer, a split) belong to the planned stage. */
  step: S;
  part?: string;
  /** Estimated cost, in units common to the plan (≥ 0). */
  units: number;
  /**
   * The stage starts another worker that loads the model and data again: it costs what the loading
   * before the first unit of work cost, converted to units at the observed rate (added to `units`),
   * and its share done is paced by that duration (it reports nothing while it loads).
   */
  reloads?: boolean;
}

export interface OverallSnapshot {
  /** Share of the job's estimated cost done, in [0, 1]; never decreases. */
  fraction: number;
  /** Seconds left; absent until the rate is known. */
  etaSeconds?: number;
}

/** The rate needs this much work time and this share of the job before an ETA is shown. */
const minWorkSeconds = 2;
const minFraction = 0.02;
/** Weight of a new raw estimate against the previous ETA counted down (1 = no damping). */
const damping = 0.3;

export class OverallProgress<S extends string = string> {
  private readonly total: number;
  private index = 0;
  private fraction = 0;
  private workStart: { time: number; fraction: number } | undefined;
  private eta: { seconds: number; at: number; fraction: number } | undefined;
  private readonly started: number;
  private loadSeconds = 0;
  private readonly frozen = new Map<number, number>();
  private readonly stageStart = new Map<number, number>();

  constructor(
    private readonly plan: readonly PlannedStage<S>[],
    private readonly now: () => number = () => performance.now() / 1000,
  ) {
    this.total = plan.reduce((s, p) => s + Math.max(0, p.units), 0);
    this.started = now();
  }

  /** The job's fraction and ETA after a stage's progress report. */
  update({ step, part, done, total }: Pick<Progress<S>, 'step' | 'part' | 'done' | 'total'>): OverallSnapshot {
    const at = this.stageIndex(step, part);
    if (at >= 0) this.index = at;
    const units = this.plan.map((p, i) => this.frozen.get(i) ?? this.unitsOf(p));
    // A reloading stage's cost is fixed once it starts: the rate while it waits says nothing.
    if (at >= 0 && this.plan[at].reloads && !this.frozen.has(at)) this.frozen.set(at, units[at]);
    const all = units.reduce((a, b) => a + b, 0);
    const before = units.slice(0, this.index).reduce((a, b) => a + b, 0);
    if (at >= 0 && !this.stageStart.has(at)) this.stageStart.set(at, this.now());
    let share = at >= 0 && total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    // While a worker loads again nothing reports; the first load's duration paces the bar (to 90%).
    if (at >= 0 && this.plan[at].reloads && this.loadSeconds > 0) share = Math.max(share, Math.min(0.9, (this.now() - this.stageStart.get(at)!) / this.loadSeconds));
    const current = at >= 0 ? units[at] * share : 0;
    const fraction = all > 0 ? Math.min(1, (before + current) / all) : 0;
    this.fraction = Math.max(this.fraction, fraction);
    return this.snapshot(at >= 0 && done > 0);
  }

  private unitsOf(stage: PlannedStage<S>): number {
    const base = Math.max(0, stage.units);
    if (!stage.reloads || !this.workStart || this.fraction <= this.workStart.fraction) return base;
    const seconds = this.now() - this.workStart.time;
    if (seconds <= 0) return base;
    // Units per second so far, times the seconds the first load took.
    const rate = ((this.fraction - this.workStart.fraction) * this.total) / seconds;
    return base + rate * this.loadSeconds;
  }

  /** The current fraction and ETA without new progress (a timer tick). */
  snapshot(working = false): OverallSnapshot {
    const t = this.now();
    if (working && this.workStart === undefined) {
      this.workStart = { time: t, fraction: this.fraction };
      this.loadSeconds = t - this.started;
    }
    const out: OverallSnapshot = { fraction: this.fraction };
    const start = this.workStart;
    if (!start) return out;
    const seconds = t - start.time;
    const gained = this.fraction - start.fraction;
    if (this.fraction >= 1) {
      this.eta = { seconds: 0, at: t, fraction: 1 };
      return { ...out, etaSeconds: 0 };
    }
    if (seconds < minWorkSeconds || this.fraction < minFraction || gained <= 0) return out;
    const counted = this.eta ? Math.max(0, this.eta.seconds - (t - this.eta.at)) : undefined;
    // No progress since the last estimate (a stage that reports only at its end, a worker loading):
    // the clock runs on, so does the countdown; the rate is judged again when work shows.
    if (counted !== undefined && this.fraction === this.eta!.fraction) {
      this.eta = { ...this.eta!, seconds: counted, at: t };
      return { ...out, etaSeconds: counted };
    }
    const raw = ((1 - this.fraction) * seconds) / gained;
    const eta = counted !== undefined ? counted + damping * (raw - counted) : raw;
    this.eta = { seconds: eta, at: t, fraction: this.fraction };
    return { ...out, etaSeconds: eta };
  }

  /** What this job showed of the machine: units of work per second, and the seconds the first load took. */
  measured(): { unitsPerSecond: number; loadSeconds: number } | undefined {
    const start = this.workStart;
    if (!start) return undefined;
    const seconds = this.now() - start.time;
    const units = (this.fraction - start.fraction) * this.total;
    return seconds > 0.5 && units > 0 ? { unitsPerSecond: units / seconds, loadSeconds: this.loadSeconds } : undefined;
  }

  /** The planned stage a report belongs to: the first of its step (and part) at or after the current one. */
  private stageIndex(step: S | undefined, part: string | undefined): number {
    if (step === undefined) return -1;
    for (let i = this.index; i < this.plan.length; i++) {
      const planned = this.plan[i];
      if (planned.step === step && (planned.part === undefined || planned.part === part)) return i;
    }
    return -1;
  }
}
