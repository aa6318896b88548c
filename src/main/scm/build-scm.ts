/**
 * The SCM build pipeline (METHODS §1), stage by stage, every stage cached in the project store under
 * a key of everything it depends on: split → observational φ (train, evaluation) → augmentation per
 * node layer → structural equations → validation. A changed setting recomputes only the stages whose
 * key it enters; a killed build resumes at the first batch it had not committed.
 */
import type { Dataset } from '../data/dataset.js';
import type { Preprocessing } from '../data/preprocessing.js';
import { selectIndices, splitIndices } from '../data/sampling.js';
import type { LoadedModel } from '../engine/loaded-model.js';
import type { TensorPhiKind } from '../engine/phi.js';
import { type ProgressListener, ProgressReporter, throwIfCancelled } from '../util/progress.js';
import { combineHashes, hashJson } from '../store/hashing.js';
import type { ProjectStore } from '../store/project-store.js';
import { readArtifact, writeArtifact } from '../store/artifact-kind.js';
import { equationsArtifact, latestBuildArtifact } from './artifacts.js';
import type { BuildSettings } from './build-settings.js';
import { type FittedScm, scmFromJSON, scmToJSON } from './fitted-scm.js';
import { type LayerFitReport, fitScm } from './fit-scm.js';
import { augmentedPhi, observationalPhi } from './phi-extraction.js';
import { readAugmented, readTable, runExtraction } from './phi-store.js';
import type { AugmentedRows, PhiTable } from './phi-table.js';
import { scmStructure } from './scm-structure.js';
import { type Validation, validate } from './validation.js';
import { toScmSpace } from './scm-space.js';

export interface BuildContext {
  store: ProjectStore;
  model: LoadedModel;
  dataset: Dataset;
  preprocessing: Preprocessing;
  /** Hash of model bytes, dataset identity and preprocessing. */
  dataKey: string;
}

export type { Validation } from './validation.js';

export interface BuiltScm {
  scm: FittedScm;
  report: LayerFitReport[];
  validation: Validation;
  /** Observational φ of the evaluation split, in the SCM's space (binary thresholded). */
  evaluation: PhiTable;
  evaluationIndices: number[];
  keys: { split: string; train: string; evaluation: string; augmented: string[]; equations: string };
  seconds: number;
}

/** The steps a build's progress names (the pipeline view shows one row per step). */
export type BuildStep = 'phi' | 'augmentation' | 'fitting';

export interface BuildHooks {
  onProgress?: ProgressListener<BuildStep>;
  signal?: AbortSignal;
}

export async function buildScm(ctx: BuildContext, settings: BuildSettings, hooks: BuildHooks = {}): Promise<BuiltScm> {
  const started = performance.now();
  const { store, model, dataset } = ctx;
  const labels = dataset.labels();
  const layers = scmStructure(model.nodeLayers);
  const extractKind: TensorPhiKind = settings.phi === 'binary' ? 'fro' : settings.phi;

  const selected = selectIndices(labels, { limit: settings.limit, stratified: settings.limit !== undefined, seed: settings.seed });
  const split = splitIndices(selected, labels, 1 - settings.evalFraction, settings.seed);
  const splitKey = hashJson({ limit: settings.limit ?? null, seed: settings.seed, evalFraction: settings.evalFraction, n: labels.length });
  const base = combineHashes(ctx.dataKey, splitKey, extractKind, String(settings.batchSize));
  const keys = { split: splitKey, train: combineHashes(base, 'train'), evaluation: combineHashes(base, 'evaluation') };

  const observe = (key: string, indices: number[], part: 'training' | 'evaluation') => {
    throwIfCancelled(hooks.signal, 'the build');
    // The stage's words are also part of the stored extraction's key: keep them as they were.
    const stage = `φ extraction (${part} split)`;
    const progress = new ProgressReporter<BuildStep>(stage, indices.length, hooks.onProgress, undefined, { step: 'phi', part });
    return runExtraction(
      store,
      {
        key,
        kind: 'observational',
        settings: { stage, splitKey, phi: extractKind },
        indices,
        batchSize: settings.batchSize,
        phi: extractKind,
        batches: (skip) => observationalPhi(model, dataset, indices, ctx.preprocessing, extractKind, { batchSize: settings.batchSize, skip, signal: hooks.signal }),
      },
      progress,
    );
  };
  await observe(keys.train, split.train, 'training');
  await observe(keys.evaluation, split.evaluation, 'evaluation');

  const augmentIndices = split.train.slice(0, settings.augment > 0 ? settings.augmentImages : 0);
  const augmentKeys: string[] = [];
  const augmented: AugmentedRows[] = [];
  for (const layer of layers) {
    if (layer.kind === 'logits' || augmentIndices.length === 0) continue;
    throwIfCancelled(hooks.signal, 'the build');
    const key = combineHashes(base, 'augment', layer.name, String(settings.augment), String(augmentIndices.length));
    augmentKeys.push(key);
    const progress = new ProgressReporter<BuildStep>(`augmentation (${layer.name})`, augmentIndices.length, hooks.onProgress, undefined, { step: 'augmentation', part: layer.name });
    await runExtraction(
      store,
      {
        key,
        kind: 'augmented',
        layer: layer.name,
        settings: { layer: layer.name, fraction: settings.augment, seed: settings.seed, phi: extractKind },
        indices: augmentIndices,
        batchSize: settings.batchSize,
        phi: extractKind,
        batches: (skip) =>
          augmentedPhi(model, dataset, augmentIndices, ctx.preprocessing, extractKind, layer.name, { fraction: settings.augment, seed: settings.seed }, {
            batchSize: settings.batchSize,
            skip,
            signal: hooks.signal,
          }),
      },
      progress,
    );
    augmented.push(readAugmented(store, key, extractKind, labels, layer.name));
  }

  const train = readTable(store, keys.train, extractKind, labels);
  const evaluationRaw = readTable(store, keys.evaluation, extractKind, labels);
  // Regressor options enter the key only when given, so builds with the defaults keep their old keys.
  const equationSettings = settings.regressorOptions ? { phi: settings.phi, regressor: settings.regressor, regressorOptions: settings.regressorOptions } : { phi: settings.phi, regressor: settings.regressor };
  const equationsKey = combineHashes(keys.train, ...augmentKeys, hashJson(equationSettings));
  let cached = readArtifact(store, equationsArtifact, equationsKey);
  if (!cached) {
    throwIfCancelled(hooks.signal, 'the build');
    const fitting = new ProgressReporter<BuildStep>('fitting structural equations', layers.filter((l) => !l.exogenous).length, hooks.onProgress, 0, { step: 'fitting' });
    const fitted = await fitScm({
      layers,
      phi: settings.phi,
      regressor: settings.regressor,
      regressorOptions: settings.regressorOptions,
      train,
      augmented,
      evaluation: evaluationRaw,
      onLayer: () => fitting.advance(),
      signal: hooks.signal,
    });
    cached = { scm: scmToJSON(fitted.scm), report: fitted.report };
    writeArtifact(store, equationsArtifact, cached, equationsKey);
  }
  const scm = scmFromJSON(cached.scm);
  const evaluation = toScmSpace(evaluationRaw, scm.binaryThresholds);
  const validation = await validate(scm, evaluation, evaluationRaw, toScmSpace(train, scm.binaryThresholds));
  writeArtifact(store, latestBuildArtifact, { settings, equationsKey, keys: { ...keys, augmented: augmentKeys }, validation });
  return {
    scm,
    report: cached.report,
    validation,
    evaluation,
    evaluationIndices: split.evaluation,
    keys: { ...keys, augmented: augmentKeys, equations: equationsKey },
    seconds: (performance.now() - started) / 1000,
  };
}
