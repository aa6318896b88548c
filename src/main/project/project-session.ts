/**
 * An open project: its store, settings, model and dataset, and the key that ties cached results to
 * exactly these model bytes, this dataset and this preprocessing. A project folder that does not
 * exist yet is created from a model and a dataset.
 *
 * Creation is atomic: the model is loaded, the dataset opened and their fit checked before anything
 * is written, so a bad path leaves no project behind. A project keeps the model and dataset it was
 * made for: a --model/--data that differs is refused, never silently ignored.
 */
import { existsSync, rmdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { checkDatasetForModel } from '../data/dataset-checks.js';
import { openDataset } from '../data/open-dataset.js';
import type { Preprocessing } from '../data/preprocessing.js';
import { LoadedModel } from '../engine/loaded-model.js';
import { combineHashes, hashJson, hashModel } from '../store/hashing.js';
import type { ProjectSettings } from '../store/project-settings.js';
import { ProjectStore } from '../store/project-store.js';
import type { NodeLayerFamily } from '../engine/node-layers.js';
import { DB_FILE_NAME } from '../store/schema.js';
import { appVersion } from '../util/app-version.js';
import { datasetIdentity } from './dataset-identity.js';

export interface NewProject {
  modelPath: string;
  dataPath: string;
  preprocessing: Preprocessing;
  split?: 'train' | 'test';
  name?: string;
  /** Layer families that become node layers (default conv; `['conv', 'dense']` adds Dense layers). */
  nodeLayers?: NodeLayerFamily[];
}

export interface SessionOptions {
  /** Open the database read-only (commands that only read: report, rank when cached, query). */
  readonly?: boolean;
  /** More checks of the model and dataset (a build's split); for a new project, run before anything is written. */
  check?: (model: LoadedModel, dataset: Dataset) => void;
}

export class ProjectSession {
  private constructor(
    readonly dir: string,
    readonly store: ProjectStore,
    readonly settings: ProjectSettings,
    readonly model: LoadedModel,
    readonly dataset: Dataset,
    readonly dataKey: string,
  ) {
    store.engine = model.engine.name; // every build and artifact written from here records it
  }

  /** Opens `dir`; creates it from `create` when it has no project yet. */
  static async open(dir: string, create?: NewProject, options: SessionOptions = {}): Promise<ProjectSession> {
    const abs = resolve(dir);
    const exists = existsSync(resolve(abs, DB_FILE_NAME));
    if (!exists && !create) throw new Error(`${abs}: no project here; give --model and --data to create one`);
    if (!exists) return ProjectSession.create(abs, create!, options.check);
    const store = ProjectStore.open(abs, { readonly: options.readonly });
    let loaded: { model: LoadedModel; dataset: Dataset } | undefined;
    try {
      let settings = store.getSettings();
      if (settings && create) refuseOtherInputs(store.file, settings, create);
      if (!settings) {
        // A database without settings (left by an older version's interrupted creation).
        if (!create) throw new Error(`${store.file}: the project has no settings; give --model and --data`);
        loaded = await loadChecked(create, options.check);
        settings = store.setSettings(newSettings(create));
      }
      loaded ??= await loadInputs(settings);
      options.check?.(loaded.model, loaded.dataset);
      const dataKey = await dataKeyOf(settings);
      return new ProjectSession(abs, store, settings, loaded.model, loaded.dataset, dataKey);
    } catch (error) {
      loaded?.model.dispose();
      store.close();
      throw error;
    }
  }

  /** Loads and checks everything first; only then makes the folder and the database. */
  private static async create(abs: string, create: NewProject, check?: SessionOptions['check']): Promise<ProjectSession> {
    const { model, dataset } = await loadChecked(create, check);
    const folderExisted = existsSync(abs);
    let store: ProjectStore | undefined;
    try {
      const settings = newSettings(create);
      const dataKey = await dataKeyOf(settings);
      store = ProjectStore.open(abs, { create: true });
      const stored = store.setSettings(settings);
      return new ProjectSession(abs, store, stored, model, dataset, dataKey);
    } catch (error) {
      model.dispose();
      if (store) {
        store.close();
        ProjectStore.remove(abs);
      }
      if (!folderExisted) {
        try {
          rmdirSync(abs); // only when empty: never a folder that held anything else
        } catch {
          // not empty or already gone
        }
      }
      throw error;
    }
  }

  close(): void {
    this.model.dispose();
    this.store.close();
  }
}

function newSettings(create: NewProject): ProjectSettings {
  return {
    modelPath: resolve(create.modelPath),
    dataPath: resolve(create.dataPath),
    preprocessing: create.preprocessing,
    split: create.split,
    name: create.name,
    nodeLayers: create.nodeLayers,
    createdWith: appVersion,
  };
}

async function loadInputs(settings: Pick<ProjectSettings, 'modelPath' | 'dataPath' | 'split' | 'preprocessing' | 'nodeLayers'>): Promise<{ model: LoadedModel; dataset: Dataset }> {
  const [model, dataset] = await Promise.allSettled([
    LoadedModel.load(settings.modelPath, { nodeLayers: settings.nodeLayers }),
    openDataset(settings.dataPath, { split: settings.split, resize: settings.preprocessing.resize }),
  ]);
  if (model.status === 'rejected') {
    throw model.reason;
  }
  if (dataset.status === 'rejected') {
    model.value.dispose();
    throw dataset.reason;
  }
  return { model: model.value, dataset: dataset.value };
}

/** A new project's model and dataset, loaded and checked against each other. */
async function loadChecked(create: NewProject, check?: SessionOptions['check']): Promise<{ model: LoadedModel; dataset: Dataset }> {
  const loaded = await loadInputs({ ...newSettings(create) });
  try {
    checkDatasetForModel(loaded.dataset, loaded.model.numClasses);
    check?.(loaded.model, loaded.dataset);
    return loaded;
  } catch (error) {
    loaded.model.dispose();
    throw error;
  }
}

async function dataKeyOf(settings: ProjectSettings): Promise<string> {
  const [modelHash, dataHash] = await Promise.all([hashModel(settings.modelPath), datasetIdentity(settings.dataPath)]);
  // Node layers other than the default change every φ table and equation: a separate cache.
  const families = settings.nodeLayers && settings.nodeLayers.join(',') !== 'conv' ? settings.nodeLayers.join(',') : '';
  return combineHashes(modelHash, dataHash, hashJson(settings.preprocessing), settings.split ?? '', ...(families ? [families] : []));
}

/** A project answers for the model and dataset it was made for; other paths are an error, not ignored. */
function refuseOtherInputs(file: string, settings: ProjectSettings, given: NewProject): void {
  const differences: string[] = [];
  if (resolve(given.modelPath) !== settings.modelPath) differences.push(`--model ${resolve(given.modelPath)} (the project's model is ${settings.modelPath})`);
  if (resolve(given.dataPath) !== settings.dataPath) differences.push(`--data ${resolve(given.dataPath)} (the project's data is ${settings.dataPath})`);
  if ((given.split ?? null) !== (settings.split ?? null)) differences.push(`--split ${given.split ?? '(none)'} (the project's is ${settings.split ?? '(none)'})`);
  if (differences.length > 0) {
    throw new Error(
      `${file}: this project was made for another model or dataset: ${differences.join('; ')}. Leave out --model/--data to use the project's own, or give a new --project folder for these`,
    );
  }
}

/** Opens the project, runs `fn` on it and closes it again, whatever happens: every job's frame. */
export async function withProjectSession<T>(dir: string, fn: (session: ProjectSession) => Promise<T>, create?: NewProject, options?: SessionOptions): Promise<T> {
  const session = await ProjectSession.open(dir, create, options);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}
