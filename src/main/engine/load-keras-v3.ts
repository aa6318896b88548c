/**
 * Keras v3 `.keras`: a zip holding `config.json` (Keras 3 serialization), `metadata.json`
 * (keras_version) and `model.weights.h5`, whose groups `layers/<layer>/vars/0, 1, ...` hold each
 * layer's variables in Keras order (nested models: `layers/<model>/layers/<layer>/vars`; tf.keras
 * 2.13–2.15 wrote `_layer_checkpoint_dependencies/<layer>/vars` instead).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { datasetFloat32, getEntity, isDataset, isGroup, withH5File, type Group, type H5File } from './h5-reader.js';
import { buildModelSpec, isRecord, parseJson, type RawWeight, type WeightSource } from './keras-config.js';
import { ModelLoadError, type ModelSpec } from './model-spec.js';
import { readModelFile } from './read-model-file.js';

const CONTAINER_KEYS = ['layers', '_layer_checkpoint_dependencies'];

/** Loads a Keras v3 `.keras` archive. */
export async function loadKerasV3(path: string): Promise<ModelSpec> {
  const file = resolve(path);
  const zipped = await readModelFile(file);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zipped, { filter: (f) => ['config.json', 'metadata.json', 'model.weights.h5', 'model.weights.npz'].includes(f.name) });
  } catch (e) {
    throw new ModelLoadError(file, `is not a readable zip archive (${(e as Error).message})`);
  }
  const text = (name: string): string | undefined => (entries[name] ? new TextDecoder().decode(entries[name]) : undefined);
  const configText = text('config.json');
  if (configText === undefined) throw new ModelLoadError(file, 'has no config.json; not a Keras v3 .keras archive');
  const modelConfig = parseJson(file, configText, 'config.json');
  const metaText = text('metadata.json');
  const meta = metaText === undefined ? undefined : parseJson(file, metaText, 'metadata.json');
  const kerasVersion = isRecord(meta) && typeof meta.keras_version === 'string' ? meta.keras_version : undefined;
  const build = (weights: WeightSource): ModelSpec =>
    buildModelSpec({ file, format: 'keras-v3', modelConfig, weights, kerasVersion, fallbackName: basename(file, extname(file)) });

  const h5bytes = entries['model.weights.h5'];
  if (!h5bytes) {
    if (entries['model.weights.npz']) throw new ModelLoadError(file, 'stores its weights as model.weights.npz, which is not supported (only model.weights.h5)');
    // A model without weights at all still loads; any layer that needs weights fails by name.
    return build({ weightsFor: () => undefined });
  }
  const dir = await mkdtemp(join(tmpdir(), 'causeway-keras-'));
  try {
    const h5path = join(dir, 'model.weights.h5');
    await writeFile(h5path, h5bytes);
    return await withH5File(h5path, `${file} (model.weights.h5)`, (f) => build(v3WeightSource(file, f)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function v3WeightSource(file: string, f: H5File): WeightSource {
  let index: Map<string, string[]> | undefined;
  const findGroup = (path: string[]): Group | undefined => {
    for (const key of CONTAINER_KEYS) {
      const g = getEntity(f, path.map((p) => `${key}/${p}`).join('/'));
      if (isGroup(g)) return g;
    }
    // Anything else: a unique group named like the layer that holds `vars`.
    index ??= indexVarGroups(f);
    const found = index.get(path[path.length - 1]) ?? [];
    if (found.length === 1) {
      const g = getEntity(f, found[0]);
      if (isGroup(g)) return g;
    }
    if (found.length > 1) {
      throw new ModelLoadError(file, `layer ${path.join('/')}: model.weights.h5 has several candidate groups (${found.join(', ')})`);
    }
    return undefined;
  };
  return {
    weightsFor(path) {
      const g = findGroup(path);
      if (!g) return undefined;
      const vars = getEntity(g, 'vars');
      if (!isGroup(vars)) return [];
      const keys = vars.keys().sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
      return keys.flatMap((k): RawWeight[] => {
        const d = getEntity(vars, k);
        if (!isDataset(d)) return [];
        try {
          return [{ name: k, ...datasetFloat32(d) }];
        } catch (e) {
          throw new ModelLoadError(file, `layer ${path.join('/')}: variable ${k}: ${(e as Error).message}`);
        }
      });
    },
  };
}

/** Group base name → paths of the groups with that name that have a `vars` child. */
function indexVarGroups(f: H5File): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (g: Group, path: string, depth: number): void => {
    if (depth > 12) return;
    for (const k of g.keys()) {
      const child = getEntity(g, k);
      if (!isGroup(child)) continue;
      const p = path ? `${path}/${k}` : k;
      if (k !== 'vars' && isGroup(getEntity(child, 'vars'))) out.set(k, [...(out.get(k) ?? []), p]);
      walk(child, p, depth + 1);
    }
  };
  walk(f, '', 0);
  return out;
}
