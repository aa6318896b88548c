/**
 * Finished batches of an evaluation kept in the project store, so a killed `evaluate` resumes where it
 * stopped (issue 14): each batch of a mask run (every mask's outcome sums on one image batch, per
 * image group) is one artifact row, written by one INSERT — SQLite commits it whole or not at all, so
 * a kill loses at most the batch in flight. Keys: the evaluation's key (build + settings), the stage,
 * a hash of the masks, the batch index. Sums round-trip exactly through JSON, and batches are added in
 * batch order either way, so a resumed evaluation equals a clean one bit for bit. Cleared once the
 * evaluation's report is stored.
 */
import { combineHashes, hashJson } from '../store/hashing.js';
import type { ProjectStore } from '../store/project-store.js';
import type { BatchCache, Mask, OutcomeSums } from './masked-outcomes.js';

export const batchArtifact = 'evaluation-batch';

export class StoredBatches {
  constructor(
    private readonly store: ProjectStore,
    /** The evaluation's cache key. */
    private readonly runKey: string,
  ) {}

  /** The cache of one mask run: `stage` names it (e.g. 'true-ablation:conv2'), `masks` pin what it computes. */
  cache(stage: string, masks: Mask[]): BatchCache {
    const prefix = `${this.runKey}:${combineHashes(stage, hashJson(masks))}:`;
    return {
      get: (index) => this.store.getArtifact<OutcomeSums[][]>(batchArtifact, prefix + index)?.value,
      put: (index, sums) => this.store.putArtifact(batchArtifact, prefix + index, sums),
    };
  }

  /** Number of stored batches of this evaluation. */
  count(): number {
    return this.keys().length;
  }

  clear(): void {
    for (const key of this.keys()) this.store.deleteArtifact(batchArtifact, key);
  }

  private keys(): string[] {
    return this.store
      .listArtifacts(batchArtifact)
      .map((a) => a.key)
      .filter((key) => key.startsWith(`${this.runKey}:`));
  }
}
