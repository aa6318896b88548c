/**
 * An open project: its store, settings, model and dataset, and the key that ties cached results to
 * exactly these model bytes, this dataset and this preprocessing. A project folder that does not
 * exist yet is created from a model and a dataset.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { openDataset } from '../data/open-dataset.js';
import type { Preprocessing } from '../data/preprocessing.js';
import { LoadedModel } from '../engine/loaded-model.js';
import { combineHashes, hashJson, hashModel } from '../store/hashing.js';
import type { ProjectSettings } from '../store/project-settings.js';
import { ProjectStore } from '../store/project-store.js';
import type { NodeLayerFamily } from '../engine/node-layers.js';
import { appVersion } from './app-version.js';
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

export class ProjectSession {
  private constructor(
    readonly dir: string,
    readonly store: ProjectStore,
    readonly settings: ProjectSettings,
    readonly model: LoadedModel,
    readonly dataset: Dataset,
    readonly dataKey: string,
  ) {}

  /** Opens `dir`; creates it from `create` when it has no project yet. */
  static async open(dir: string, create?: NewProject): Promise<ProjectSession> {
    const exists = existsSync(resolve(dir, 'project.causeway.sqlite'));
    if (!exists && !create) throw new Error(`${resolve(dir)}: no project here; give --model and --data to create one`);
    const store = ProjectStore.open(dir, { create: !exists });
    try {
      let settings = store.getSettings();
      if (!settings || (create && !exists)) {
        if (!create) throw new Error(`${store.file}: the project has no settings; give --model and --data`);
        settings = store.setSettings({
          modelPath: resolve(create.modelPath),
          dataPath: resolve(create.dataPath),
          preprocessing: create.preprocessing,
          split: create.split,
          name: create.name,
          nodeLayers: create.nodeLayers,
          createdWith: appVersion,
        });
      }
      const [model, dataset] = await Promise.all([
        LoadedModel.load(settings.modelPath, { nodeLayers: settings.nodeLayers }),
        openDataset(settings.dataPath, { split: settings.split, resize: settings.preprocessing.resize }),
      ]);
      const [modelHash, dataHash] = await Promise.all([hashModel(settings.modelPath), datasetIdentity(settings.dataPath)]);
      // Node layers other than the default change every φ table and equation: a separate cache.
      const families = settings.nodeLayers && settings.nodeLayers.join(',') !== 'conv' ? settings.nodeLayers.join(',') : '';
      const dataKey = combineHashes(modelHash, dataHash, hashJson(settings.preprocessing), settings.split ?? '', ...(families ? [families] : []));
      store.engine = model.engine.name; // every build and artifact written from here records it
      return new ProjectSession(resolve(dir), store, settings, model, dataset, dataKey);
    } catch (error) {
      store.close();
      throw error;
    }
  }

  close(): void {
    this.model.dispose();
    this.store.close();
  }
}
