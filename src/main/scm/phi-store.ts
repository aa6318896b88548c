/**
 * φ rows in the project store: each extraction is a build keyed by everything it depends on, one
 * batch per transaction, so a killed build resumes where it stopped; tables are read back whole.
 */
import type { TensorPhiKind } from '../engine/phi.js';
import { batchCount } from '../data/model-batches.js';
import type { ProgressReporter } from '../util/progress.js';
import type { ProjectStore } from '../store/project-store.js';
import type { PhiBatch } from './phi-extraction.js';
import type { AugmentedRows, PhiTable } from './phi-table.js';

export interface ExtractionJob {
  key: string;
  kind: 'observational' | 'augmented';
  /** Augmented builds: the node layer whose channels were zeroed. */
  layer?: string;
  settings: unknown;
  indices: number[];
  batchSize: number;
  phi: TensorPhiKind;
  /** Produces the batches not in `skip`. */
  batches: (skip: ReadonlySet<number>) => AsyncGenerator<PhiBatch>;
}

/** Runs (or resumes, or skips when finished) one extraction; reports rows done. */
export async function runExtraction(store: ProjectStore, job: ExtractionJob, progress?: Pick<ProgressReporter, 'advance'>): Promise<void> {
  const total = batchCount(job.indices.length, job.batchSize);
  const status = store.beginBuild(job.key, { kind: job.kind, settings: job.settings, totalBatches: total });
  if (status.finished) {
    progress?.advance(job.indices.length);
    return;
  }
  const done = new Set(store.listDoneBatches(job.key));
  for (const b of done) progress?.advance(Math.min(job.batchSize, job.indices.length - b * job.batchSize));
  for await (const batch of job.batches(done)) {
    const rows = batch.indices.length;
    store.putPhiBatch(job.key, batch.batchIndex, {
      rows,
      images: Int32Array.from(batch.indices),
      interventions: batch.masks?.map((channels) => ({ layer: job.layer!, channels })),
      blocks: Object.entries(batch.layers).map(([layer, data]) => ({ layer, phi: job.phi, cols: data.length / rows, data })),
    });
    progress?.advance(rows);
  }
}

/** Reads a finished extraction back as a table; `labels` are the dataset's labels by image index. */
export function readTable(store: ProjectStore, key: string, phi: TensorPhiKind, labels: Int32Array): PhiTable {
  const tags = store.readRowTags(key);
  const layers: Record<string, Float32Array> = {};
  for (const entry of store.listPhi(key)) {
    if (entry.phi !== phi) continue;
    layers[entry.layer] = store.readPhi(key, entry.layer, phi)!.data;
  }
  const indices = Array.from(tags.images);
  return { n: indices.length, indices, labels: Int32Array.from(indices, (i) => labels[i]), layers };
}

export function readAugmented(store: ProjectStore, key: string, phi: TensorPhiKind, labels: Int32Array, layer: string): AugmentedRows {
  const table = readTable(store, key, phi, labels);
  const tags = store.readRowTags(key);
  return { ...table, intervenedLayer: layer, masks: tags.interventions.map((t) => t?.channels ?? []) };
}
