/**
 * Whether a project's stored build still belongs to the model bytes, dataset and preprocessing the
 * project points at now. The report prints stored numbers only, so it must say when they describe
 * files that have changed since. Mirrors the training-split key of src/main/scm/build-scm.ts
 * (test/report checks the two agree on a fresh build).
 */
import type { BuildSettings } from '../scm/build-settings.js';
import { combineHashes, hashJson } from '../store/hashing.js';

export function buildIsCurrent(dataKey: string, datasetCount: number, settings: BuildSettings, storedTrainKey: string): boolean {
  const splitKey = hashJson({ limit: settings.limit ?? null, seed: settings.seed, evalFraction: settings.evalFraction, n: datasetCount });
  const extractKind = settings.phi === 'binary' ? 'fro' : settings.phi;
  const base = combineHashes(dataKey, splitKey, extractKind, String(settings.batchSize));
  return combineHashes(base, 'train') === storedTrainKey;
}
