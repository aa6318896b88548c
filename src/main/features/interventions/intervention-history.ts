/**
 * The project's intervention history as the app sees it: every query the user ran, saved in the
 * project store with its SCM result and, once verified, the real network's result; plus which of
 * them is in effect, with undo/redo (in memory: a re-opened project starts at the observed network).
 */
import type { HistoryEntry, HistoryState, InterventionDto, RealResultDto, ScmResultDto } from '../../../shared/dto.js';
import { ApiError } from '../../../shared/errors.js';
import type { InterventionRecord, ProjectStore } from '../../store/project-store.js';
import { UndoStack } from './undo-stack.js';

interface StoredSpec {
  source: 'app';
  interventions: InterventionDto[];
}

export class InterventionHistory {
  private readonly pointer = new UndoStack<number | null>(null);

  constructor(private readonly store: ProjectStore) {}

  state(): HistoryState {
    const entries = this.entries();
    return { entries, currentId: this.pointer.current, canUndo: this.pointer.canUndo, canRedo: this.pointer.canRedo };
  }

  count(): number {
    return this.entries().length;
  }

  /** Saves a query the user ran and makes it the one in effect. */
  add(interventions: InterventionDto[], scm: ScmResultDto): number {
    const spec: StoredSpec = { source: 'app', interventions };
    const id = this.store.addIntervention({ spec, scmResult: scm });
    this.pointer.push(id);
    return id;
  }

  get(id: number): HistoryEntry {
    const record = this.store.getIntervention(id);
    const entry = record && toEntry(record);
    if (!entry) throw new ApiError('not-found', `the project has no intervention ${id}`);
    return entry;
  }

  setReal(id: number, real: RealResultDto): HistoryEntry {
    this.get(id);
    this.store.updateIntervention(id, { realResult: real });
    return this.get(id);
  }

  apply(id: number | null): void {
    if (id !== null) this.get(id);
    if (id !== this.pointer.current) this.pointer.push(id);
  }

  undo(): void {
    this.pointer.undo();
  }

  redo(): void {
    this.pointer.redo();
  }

  delete(id: number): void {
    if (!this.store.deleteIntervention(id)) throw new ApiError('not-found', `the project has no intervention ${id}`);
    this.pointer.forget(id, null);
  }

  private entries(): HistoryEntry[] {
    return this.store.listInterventions().flatMap((r) => toEntry(r) ?? []);
  }
}

/** Records saved by the app; anything else in the table (other tools, other versions) is left out. */
function toEntry(record: InterventionRecord): HistoryEntry | undefined {
  const spec = record.spec as Partial<StoredSpec> | null;
  if (!spec || spec.source !== 'app' || !Array.isArray(spec.interventions) || typeof record.scmResult !== 'object' || record.scmResult === null) {
    return undefined;
  }
  return {
    id: record.id,
    createdAt: record.createdAt,
    interventions: spec.interventions,
    scm: record.scmResult as ScmResultDto,
    real: (record.realResult as RealResultDto | undefined) ?? null,
  };
}
