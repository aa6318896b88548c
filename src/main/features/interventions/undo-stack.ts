/**
 * Which saved intervention is in effect, with undo/redo over the user's moves between them. The saved
 * list itself only grows (every intervention stays in the project); undo and redo move the pointer
 * back and forth through the states the user was in, as an editor does (a new move clears redo).
 */
export class UndoStack<T> {
  private readonly undos: T[] = [];
  private readonly redos: T[] = [];

  constructor(private state: T) {}

  get current(): T {
    return this.state;
  }

  get canUndo(): boolean {
    return this.undos.length > 0;
  }

  get canRedo(): boolean {
    return this.redos.length > 0;
  }

  /** A new state: the old one can be undone to, and what was undone is forgotten. */
  push(next: T): void {
    this.undos.push(this.state);
    this.redos.length = 0;
    this.state = next;
  }

  undo(): T {
    if (this.undos.length === 0) return this.state;
    this.redos.push(this.state);
    this.state = this.undos.pop()!;
    return this.state;
  }

  redo(): T {
    if (this.redos.length === 0) return this.state;
    this.undos.push(this.state);
    this.state = this.redos.pop()!;
    return this.state;
  }

  /** Forgets `value` wherever it appears (a deleted entry), falling back to `fallback` if current. */
  forget(value: T, fallback: T): void {
    const keep = (list: T[]) => {
      const kept = list.filter((v) => v !== value);
      list.length = 0;
      list.push(...kept);
    };
    keep(this.undos);
    keep(this.redos);
    if (this.state === value) this.state = fallback;
  }
}
