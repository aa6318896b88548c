/**
 * Finished batches of an evaluation kept in the project store, so a killed `evaluate` resumes where it
 * stopped (issue 14): each batch of a mask run (every mask's outcome sums on one image batch, per
 * image group) is one artifact row, written by one INSERT — SQLite commits it whole or not at all, so
 * a kill loses at most the batch in flight. Keys: the evaluation's key (build + settings), the stage,
 * a hash of the masks, the batch index. Sums round-trip exactly through JSON, and batches are added in
 * batch order either way, so a resumed evaluation equals a clean one bit for bit. Cleared once the
 * evaluation's report is stored.
 */
import { artifactKind, readArtifact, writeArtifact } from '../store/artifact-kind.js';
import { combineHashes, hashJson } from '../store/hashing.js';
import type { ProjectStore } from '../store/project-store.js';
import type { BatchCache, Mask, OutcomeSums } from './masked-outcomes.js';

/** One batch of one mask run of one evaluation; every key starts with the evaluation's key. */
export const batchArtifact = artifactKind<OutcomeSums[][]>()('evaluation-batch', (runKey: string, stage: string, masks: Mask[], index: number) => `${runKey}:${combineHashes(stage, hashJson(masks))}:${index}`);

export class StoredBatches {
  constructor(
    private readonly store: ProjectStore,
    /** The evaluation's cache key. */
    private readonly runKey: string,
  ) {}

  /** The cache of one mask run: `stage` names it (e.g. 'true-ablation:conv2'), `masks` pin what it computes. */
  cache(stage: string, masks: Mask[]): BatchCache {
    return {
      get: (index) => readArtifact(this.store, batchArtifact, this.runKey, stage, masks, index),
      put: (index, sums) => writeArtifact(this.store, batchArtifact, sums, this.runKey, stage, masks, index),
    };
  }

  /** Number of stored batches of this evaluation. */
  count(): number {
    return this.keys().length;
  }

  clear(): void {
    for (const key of this.keys()) this.store.deleteArtifact(batchArtifact.name, key);
  }

  private keys(): string[] {
    return this.store
      .listArtifacts(batchArtifact.name)
      .map((a) => a.key)
      .filter((key) => key.startsWith(`${this.runKey}:`));
  }
}
