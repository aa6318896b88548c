/** Opening a project from CLI flags: --project DIR, and --model/--data (+ preprocessing) to create one. */
import { type NodeLayerFamily, nodeLayerFamilies } from '../engine/node-layers.js';
import { ProjectSession } from '../project/project-session.js';
import { buildSettingsSchema, resolveBuildSettings, type BuildSettings, type BuildSettingsInput } from '../scm/build-settings.js';
import { UsageError } from './cli-error.js';
import { type Flags, optionalString, preprocessingFrom, requireString } from './options.js';
import { flagsOf, parseFlags } from './schema-flags.js';

export const projectFlags = ['project', 'model', 'data', 'split', 'scale', 'mean', 'std', 'resize', 'node-layers'];
export const buildFlags = flagsOf(buildSettingsSchema);

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

/** The build settings from their flags (`buildFlags`), with the schema's defaults and limits. */
export function buildSettingsFrom(flags: Flags, base: BuildSettingsInput = {}): BuildSettings {
  const parsed = parseFlags(buildSettingsSchema, flags, base);
  try {
    return resolveBuildSettings(parsed);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
