/** Opening a project from CLI flags: --project DIR, and --model/--data (+ preprocessing) to create one. */
import { type NodeLayerFamily, nodeLayerFamilies } from '../engine/node-layers.js';
import { ProjectSession } from '../services/project-session.js';
import { resolveBuildSettings, type BuildSettings, type BuildSettingsInput } from '../scm/build-settings.js';
import { UsageError } from './cli-error.js';
import { type Flags, optionalInteger, optionalNumber, optionalString, preprocessingFrom, requireString } from './options.js';

export const projectFlags = ['project', 'model', 'data', 'split', 'scale', 'mean', 'std', 'resize', 'node-layers'];
export const buildFlags = ['phi', 'regressor', 'augment', 'augment-images', 'limit', 'seed', 'batch-size'];

/**
 * Opens (or creates) the project named by the flags, in this thread: for quick commands. With
 * `readonly` (commands that only read) an existing project opens without write access, so it works
 * in a read-only folder; giving --model/--data still opens it for writing (it may create it).
 */
export async function openProjectFromFlags(flags: Flags, options: { readonly?: boolean } = {}): Promise<ProjectSession> {
  const dir = requireString(flags, 'project');
  const model = optionalString(flags, 'model');
  const data = optionalString(flags, 'data');
  if ((model === undefined) !== (data === undefined)) throw new UsageError('--model and --data go together');
  const split = optionalString(flags, 'split');
  if (split !== undefined && split !== 'train' && split !== 'test') throw new UsageError('--split must be train or test');
  const create = model && data ? { modelPath: model, dataPath: data, preprocessing: preprocessingFrom(flags), split: split as 'train' | 'test' | undefined, nodeLayers: nodeLayersFrom(flags) } : undefined;
  return ProjectSession.open(dir, create, { readonly: options.readonly === true && create === undefined });
}

/** `--node-layers conv,dense` (when creating a project): the layer families that become node layers. */
export function nodeLayersFrom(flags: Flags): NodeLayerFamily[] | undefined {
  const text = optionalString(flags, 'node-layers');
  if (text === undefined) return undefined;
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((f) => !(nodeLayerFamilies as readonly string[]).includes(f));
  if (bad !== undefined || list.length === 0) throw new UsageError(`--node-layers takes a list of ${nodeLayerFamilies.join(', ')} (e.g. conv,dense), got "${text}"`);
  return [...new Set(list)] as NodeLayerFamily[];
}

export function buildSettingsFrom(flags: Flags, base: BuildSettingsInput = {}): BuildSettings {
  const input: BuildSettingsInput = { ...base };
  const phi = optionalString(flags, 'phi');
  if (phi !== undefined) input.phi = phi as BuildSettingsInput['phi'];
  const regressor = optionalString(flags, 'regressor');
  if (regressor !== undefined) input.regressor = regressor as BuildSettingsInput['regressor'];
  const augment = optionalNumber(flags, 'augment');
  if (augment !== undefined) input.augment = augment;
  const augmentImages = optionalInteger(flags, 'augment-images', 0);
  if (augmentImages !== undefined) input.augmentImages = augmentImages;
  const limit = optionalInteger(flags, 'limit');
  if (limit !== undefined) input.limit = limit;
  const seed = optionalInteger(flags, 'seed', 0);
  if (seed !== undefined) input.seed = seed;
  const batchSize = optionalInteger(flags, 'batch-size');
  if (batchSize !== undefined) input.batchSize = batchSize;
  const parsed = (() => {
    try {
      return resolveBuildSettings(input);
    } catch (error) {
      const issues = (error as { issues?: { path: (string | number)[]; message: string }[] }).issues;
      if (issues) throw new UsageError(issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      throw error;
    }
  })();
  return parsed;
}
