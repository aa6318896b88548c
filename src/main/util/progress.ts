/**
 * Progress of long work: stage, done/total and an ETA from the observed rate, reported at most
 * every `intervalMs` (and always at the end) so listeners see at least two updates a second
 * without being flooded.
 */
export interface Progress<S extends string = string> {
  /** The step of its job this belongs to (typed by the job's declaration); absent for untyped work. */
  step?: S;
  /** Which part of the step, when it runs once per layer or split ("conv2", "training"): plans tell repeats apart by it. */
  part?: string;
  /** The stage in words, for people: "augmentation (conv2)". */
  stage: string;
  done: number;
  total: number;
  /** Seconds left at the current rate; undefined until there is a rate. */
  etaSeconds?: number;
  elapsedSeconds: number;
}

export type ProgressListener<S extends string = string> = (progress: Progress<S>) => void;

export class ProgressReporter<S extends string = string> {
  private readonly start = performance.now();
  private lastReport = Number.NEGATIVE_INFINITY;
  private done = 0;

  constructor(
    private readonly stage: string,
    private readonly total: number,
    private readonly listener?: ProgressListener<S>,
    private readonly intervalMs = 250,
    /** The job's typed step this work belongs to (and which part of it), for plans of the whole job. */
    private readonly at?: { step: S; part?: string },
  ) {}

  /** Adds `amount` finished units and reports when due. */
  advance(amount = 1): void {
    this.done += amount;
    const now = performance.now();
    if (this.done >= this.total || now - this.lastReport >= this.intervalMs) {
      this.lastReport = now;
      this.listener?.(this.snapshot(now));
    }
  }

  snapshot(now = performance.now()): Progress<S> {
    const elapsedSeconds = (now - this.start) / 1000;
    const rate = this.done / Math.max(elapsedSeconds, 1e-9);
    const etaSeconds = this.done > 0 ? Math.max(0, (this.total - this.done) / rate) : undefined;
    return { ...this.at, stage: this.stage, done: this.done, total: this.total, etaSeconds, elapsedSeconds };
  }
}

/** Thrown when work stops because its AbortSignal fired. */
export class CancelledError extends Error {
  constructor(what = 'the job') {
    super(`${what} was cancelled`);
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}

/**
 * Call once per unit of long work: yields to the event loop, then throws if cancelled. Without the
 * yield, a loop whose awaits resolve as microtasks (tfjs-wasm's data() does) never lets a cancel
 * message or a progress timer run until the loop ends.
 */
export async function checkpoint(signal: AbortSignal | undefined, what?: string): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfCancelled(signal, what);
}
