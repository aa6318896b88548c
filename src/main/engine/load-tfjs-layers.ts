/**
 * TensorFlow.js LayersModel: `model.json` (format "layers-model") with the Keras model config in
 * `modelTopology` (directly, or wrapped as {model_config, keras_version, backend}) and weight
 * shards listed in `weightsManifest` (each group's `paths` concatenated in order).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { buildModelSpec, isRecord, parseJson, type RawWeight, type WeightSource } from './keras-config.js';
import { halfToFloat32 } from './h5-reader.js';
import { ModelLoadError, type ModelSpec } from './model-spec.js';
import { readModelFile } from './read-model-file.js';

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, bool: 1, uint16: 2, float16: 2 };

/** Loads a TensorFlow.js LayersModel from its model.json or the directory holding it. */
export async function loadTfjsLayers(path: string): Promise<ModelSpec> {
  let file = resolve(path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'model.json');
  } catch {
    throw new ModelLoadError(file, 'file not found');
  }
  const text = (await readModelFile(file)).toString('utf8');
  const doc = parseJson(file, text, 'model.json');
  if (!isRecord(doc)) throw new ModelLoadError(file, 'is not a TensorFlow.js model.json (not a JSON object)');
  if (doc.format === 'graph-model' || (isRecord(doc.modelTopology) && 'node' in doc.modelTopology)) {
    throw new ModelLoadError(file, 'is a TensorFlow.js graph model; only layers models (format "layers-model") are supported');
  }
  if (doc.format !== undefined && doc.format !== 'layers-model') {
    throw new ModelLoadError(file, `has format ${JSON.stringify(doc.format)}; expected "layers-model"`);
  }
  const topology = doc.modelTopology;
  if (!isRecord(topology)) throw new ModelLoadError(file, 'has no modelTopology; not a TensorFlow.js LayersModel');
  const modelConfig = isRecord(topology.model_config) ? topology.model_config : topology;
  const kerasVersion = typeof topology.keras_version === 'string' ? topology.keras_version : undefined;

  const weights = await readManifestWeights(file, doc.weightsManifest);
  return buildModelSpec({
    file,
    format: 'tfjs-layers',
    modelConfig,
    weights: tfjsWeightSource(weights),
    kerasVersion,
    fallbackName: basename(dirname(file)),
  });
}

/** Groups weights by the layer part of their names ("conv2d_1/kernel" → "conv2d_1"). */
function tfjsWeightSource(weights: RawWeight[]): WeightSource {
  const byPrefix = new Map<string, RawWeight[]>();
  for (const w of weights) {
    const i = w.name.lastIndexOf('/');
    const prefix = i < 0 ? '' : w.name.slice(0, i);
    const list = byPrefix.get(prefix) ?? [];
    list.push(w);
    byPrefix.set(prefix, list);
  }
  return {
    weightsFor(path) {
      const layer = path[path.length - 1];
      const exact = byPrefix.get(path.join('/')) ?? byPrefix.get(layer);
      if (exact) return exact;
      for (const [prefix, list] of byPrefix) if (prefix.endsWith(`/${layer}`)) return list;
      return undefined;
    },
  };
}

function parseManifestWeight(file: string, w: unknown): ManifestWeight {
  if (!isRecord(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ModelLoadError(file, `weightsManifest has a malformed entry ${JSON.stringify(w).slice(0, 200)}`);
  }
  const dtype = typeof w.dtype === 'string' ? w.dtype : 'float32';
  const q = isRecord(w.quantization) ? w.quantization : undefined;
  if (q && (typeof q.dtype !== 'string' || !['uint8', 'uint16', 'float16'].includes(q.dtype))) {
    throw new ModelLoadError(file, `weight ${w.name} uses quantization ${JSON.stringify(q.dtype)}; supported: uint8, uint16, float16`);
  }
  if (!q && !(dtype in BYTES)) throw new ModelLoadError(file, `weight ${w.name} has dtype ${dtype}; supported: float32, int32, uint8, bool`);
  return {
    name: w.name,
    shape: w.shape as number[],
    dtype,
    quantization: q ? { dtype: q.dtype as string, scale: Number(q.scale ?? 1), min: Number(q.min ?? 0) } : undefined,
  };
}

/** Reads every weight in the manifest, checking that each group's shards hold exactly its bytes. */
async function readManifestWeights(file: string, manifest: unknown): Promise<RawWeight[]> {
  if (manifest === undefined || manifest === null) return [];
  if (!Array.isArray(manifest)) throw new ModelLoadError(file, 'weightsManifest is not a list');
  const dir = dirname(file);
  const out: RawWeight[] = [];
  for (const group of manifest) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ModelLoadError(file, 'weightsManifest has a group without paths/weights');
    }
    const entries = group.weights.map((w) => parseManifestWeight(file, w));
    const paths = group.paths.map(String);
    const shards: Uint8Array[] = [];
    for (const p of paths) {
      const shard = join(dir, p);
      try {
        shards.push(await readFile(shard));
      } catch {
        throw new ModelLoadError(shard, `weights shard not found (listed in ${basename(file)})`);
      }
    }
    const total = shards.reduce((a, s) => a + s.length, 0);
    const need = entries.reduce((a, w) => a + size(w.shape) * BYTES[w.quantization?.dtype ?? w.dtype], 0);
    if (total !== need) {
      const what = paths.length === 1 ? `${paths[0]} has` : `the shards ${paths.join(', ')} have`;
      throw new ModelLoadError(paths.length === 1 ? join(dir, paths[0]) : file, `${what} ${total} bytes, the manifest needs ${need}`);
    }
    const buf = new Uint8Array(total);
    let at = 0;
    for (const s of shards) {
      buf.set(s, at);
      at += s.length;
    }
    let offset = 0;
    for (const w of entries) {
      const n = size(w.shape);
      const bytes = n * BYTES[w.quantization?.dtype ?? w.dtype];
      out.push({ name: w.name, shape: w.shape, values: decodeWeight(buf.subarray(offset, offset + bytes), n, w) });
      offset += bytes;
    }
  }
  return out;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Bytes of one weight → float32 values (de-quantized where quantized). */
function decodeWeight(bytes: Uint8Array, n: number, w: ManifestWeight): Float32Array {
  const copy = bytes.slice(); // aligned, owned buffer
  const q = w.quantization;
  if (q) {
    if (q.dtype === 'float16') return halfToFloat32(copy);
    const ints = q.dtype === 'uint8' ? copy : new Uint16Array(copy.buffer, 0, n);
    const out = new Float32Array(n);
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    for (let i = 0; i < n; i++) out[i] = ints[i] * scale + min;
    return out;
  }
  switch (w.dtype) {
    case 'float32':
      return new Float32Array(copy.buffer, 0, n);
    case 'int32':
      return Float32Array.from(new Int32Array(copy.buffer, 0, n));
    default: // uint8, bool
      return Float32Array.from(copy);
  }
}
