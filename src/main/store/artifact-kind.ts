/**
 * A kind of stored result, declared once where it is computed: its name in the artifacts table, the
 * function that makes its key, and (as a type) its value. Everything that writes or reads it — the
 * job that computes it, the app, the CLI, the report — goes through the declaration, so a name, a key
 * recipe or a value shape cannot drift between writer and reader.
 */
import type { ProjectStore } from './project-store.js';

export interface ArtifactKind<T, K extends unknown[]> {
  /** The `kind` column of the artifacts table. */
  readonly name: string;
  readonly key: (...parts: K) => string;
  /** Never set: carries the value type. */
  readonly value?: T;
}

/** `artifactKind<Value>()(name, key)`: the value type is given, the key's parts inferred. */
export function artifactKind<T>() {
  return <K extends unknown[]>(name: string, key: (...parts: K) => string): ArtifactKind<T, K> => ({ name, key });
}

type Store = Pick<ProjectStore, 'getArtifact' | 'putArtifact' | 'listArtifacts'>;

export function readArtifact<T, K extends unknown[]>(store: Store, kind: ArtifactKind<T, K>, ...parts: K): T | undefined {
  return store.getArtifact<T>(kind.name, kind.key(...parts))?.value;
}

export function writeArtifact<T, K extends unknown[]>(store: Store, kind: ArtifactKind<T, K>, value: T, ...parts: K): void {
  store.putArtifact(kind.name, kind.key(...parts), value);
}

/** Every stored value of a kind, oldest first (what a report lists). */
export function readAllArtifacts<T>(store: Store, kind: ArtifactKind<T, never>): { key: string; createdAt: string; value: T }[] {
  return store
    .listArtifacts(kind.name)
    .map(({ key, createdAt }) => ({ key, createdAt, value: store.getArtifact<T>(kind.name, key)!.value }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
