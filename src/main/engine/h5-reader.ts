/**
 * Thin helpers over h5wasm (HDF5 in WebAssembly) for the Keras loaders: open a file from the real
 * filesystem (the Node build of h5wasm uses NODERAWFS, so host paths work directly), read string
 * attributes and datasets as Float32Array, and turn HDF5 errors into ModelLoadErrors.
 */
import { stat } from 'node:fs/promises';
import type h5wasm from 'h5wasm/node';
import type { Dataset, Group } from 'h5wasm/node';
import { ModelLoadError } from './model-spec.js';

export type { Dataset, Group };
export type H5File = InstanceType<typeof h5wasm.File>;

let lib: typeof h5wasm | undefined;
let module: Awaited<typeof h5wasm.ready> | undefined;

/**
 * h5wasm, ready, with the error handler that throws instead of printing HDF5-DIAG to stderr.
 * Imported on first use only: its Node build costs ≈ 570 MB of memory the moment it is imported
 * (measured), which every process and worker paid even for models that are not HDF5.
 */
export async function h5(): Promise<typeof h5wasm> {
  if (!lib) {
    const loaded = (await import('h5wasm/node')).default;
    module = await loaded.ready;
    module.activate_throwing_error_handler();
    lib = loaded;
  }
  return lib;
}

/** The last line of an HDF5 error stack ("unable to open file: ... 'No such file or directory'"). */
export function hdf5ErrorSummary(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split('\n').filter((l) => /#\d+:/.test(l));
  const last = lines.length ? lines[lines.length - 1] : text.split('\n')[0];
  return last.replace(/^.*\(\):\s*/, '').trim();
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Opens an HDF5 file read-only, runs `fn` and closes it. `displayName` is the file named in errors
 * (the .keras archive for its model.weights.h5).
 */
export async function withH5File<T>(path: string, displayName: string, fn: (f: H5File) => T): Promise<T> {
  const lib = await h5();
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ModelLoadError(displayName, 'is not a file');
  } catch (e) {
    if (e instanceof ModelLoadError) throw e;
    throw new ModelLoadError(displayName, 'file not found');
  }
  let f: H5File;
  try {
    f = new lib.File(path, 'r');
  } catch (e) {
    throw new ModelLoadError(displayName, `is not a readable HDF5 file (${hdf5ErrorSummary(e)})`);
  }
  if (f.file_id < 0n) throw new ModelLoadError(displayName, 'is not a readable HDF5 file');
  try {
    return fn(f);
  } catch (e) {
    if (e instanceof ModelLoadError) throw e;
    throw new ModelLoadError(displayName, `cannot be read: ${hdf5ErrorSummary(e)}`);
  } finally {
    f.close();
  }
}

/** True when the bytes start like an HDF5 file (signature at offset 0; user blocks are not handled). */
export function looksLikeHdf5(bytes: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

export function isGroup(e: unknown): e is Group {
  return e instanceof lib!.Group; // entities exist only after h5() loaded the library
}

export function isDataset(e: unknown): e is Dataset {
  return e instanceof lib!.Dataset;
}

/** An entity by path, or undefined when it does not exist (never throws for a missing path). */
export function getEntity(g: Group, path: string): unknown {
  try {
    return g.get(path) ?? undefined;
  } catch {
    return undefined;
  }
}

function decode(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v).replace(/\0+$/, '');
  return undefined;
}

/** A string attribute (vlen or fixed-length, str or bytes), or undefined. */
export function stringAttr(obj: Group | Dataset, name: string): string | undefined {
  const a = obj.attrs[name];
  if (!a) return undefined;
  const v = a.value;
  if (Array.isArray(v) && v.length === 1) return decode(v[0]);
  return decode(v);
}

/**
 * A list-of-strings attribute such as Keras' weight_names/layer_names. Keras splits long lists over
 * `name0`, `name1`, ... attributes; those are joined. Empty lists come back from h5wasm as an empty
 * numeric array. Undefined when absent.
 */
export function stringListAttr(obj: Group | Dataset, name: string): string[] | undefined {
  const attrs = obj.attrs;
  const read = (key: string): string[] => {
    const v = attrs[key].value;
    if (Array.isArray(v)) return v.map((x) => decode(x) ?? String(x));
    const s = decode(v);
    if (s !== undefined) return [s];
    return [];
  };
  if (attrs[name]) return read(name);
  if (!attrs[`${name}0`]) return undefined;
  const out: string[] = [];
  for (let i = 0; attrs[`${name}${i}`]; i++) out.push(...read(`${name}${i}`));
  return out;
}

/** A float/int dataset as Float32Array (float16 converted; float64 and ints cast). */
export function datasetFloat32(d: Dataset): { shape: number[]; values: Float32Array } {
  const meta = d.metadata;
  const shape = d.shape ?? [];
  const FLOAT = 1;
  const INTEGER = 0;
  if (meta.type !== FLOAT && meta.type !== INTEGER) {
    throw new Error(`dataset ${d.path} is not numeric (dtype ${JSON.stringify(d.dtype)})`);
  }
  if (meta.type === FLOAT && meta.size === 2) return { shape, values: halfToFloat32(rawBytes(d)) };
  const v = d.value;
  if (v instanceof Float32Array) return { shape, values: v };
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return { shape, values: Float32Array.from(v, (x) => Number(x)) };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { shape, values: Float32Array.from(v as unknown as ArrayLike<number>) };
  if (typeof v === 'number') return { shape, values: Float32Array.of(v) };
  throw new Error(`dataset ${d.path} has unsupported dtype ${JSON.stringify(d.dtype)}`);
}

/** The raw bytes of a dataset (h5wasm has no Float16Array accessor). */
function rawBytes(d: Dataset): Uint8Array {
  const M = module!;
  const meta = d.metadata;
  const nbytes = meta.size * meta.total_size;
  const ptr = M._malloc(Math.max(nbytes, 1));
  try {
    M.get_dataset_data(d.file_id, d.path, null, null, null, BigInt(ptr));
    return M.HEAPU8.slice(ptr, ptr + nbytes);
  } finally {
    M._free(ptr);
  }
}

/** IEEE 754 half precision (little-endian bytes) → float32. */
export function halfToFloat32(bytes: Uint8Array): Float32Array {
  const n = bytes.length >> 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = bytes[2 * i] | (bytes[2 * i + 1] << 8);
    out[i] = halfBitsToNumber(h);
  }
  return out;
}

export function halfBitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
