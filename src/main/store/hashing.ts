/**
 * Content hashes that key every cache entry: a cached φ matrix, fitted equation or result is valid
 * exactly as long as the hashes of what it was computed from (model bytes, dataset identity,
 * preprocessing, settings) are unchanged, so a changed setting only misses the entries keyed by it.
 * All hashes are lowercase sha256 hex.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';

/**
 * sha256 of a file's bytes (streamed: model files and datasets can be large), or of a directory:
 * every regular file below it in sorted order, each prefixed with its relative path and size, so a
 * renamed, added, removed or changed file changes the hash.
 */
export async function hashFile(path: string): Promise<string> {
  const abs = resolve(path);
  const info = await stat(abs);
  if (info.isFile()) {
    const hash = createHash('sha256');
    await streamInto(hash, abs);
    return hash.digest('hex');
  }
  if (!info.isDirectory()) throw new Error(`${abs} is neither a file nor a directory`);
  const hash = createHash('sha256');
  hash.update('causeway-dir-v1\0');
  for (const rel of await listFiles(abs)) {
    const file = join(abs, ...rel.split('/'));
    hash.update(`${rel}\0${(await stat(file)).size}\0`);
    await streamInto(hash, file);
  }
  return hash.digest('hex');
}

/**
 * The identity of a model as the loaders read it: a TensorFlow.js model.json is hashed together with
 * every weight shard its weightsManifest lists (the shards live beside it, not inside it); any other
 * file or a directory goes through hashFile.
 */
export async function hashModel(path: string): Promise<string> {
  const abs = resolve(path);
  const info = await stat(abs);
  if (!info.isFile() || !abs.toLowerCase().endsWith('.json')) return hashFile(abs);
  const shards = manifestShards(await readFile(abs, 'utf8'));
  if (shards.length === 0) return hashFile(abs);
  const parts = [await hashFile(abs)];
  for (const shard of shards) parts.push(shard, await hashFile(join(dirname(abs), shard)));
  return combineHashes(...parts);
}

/**
 * sha256 of canonical JSON: object keys sorted at every depth, `undefined` members dropped (as
 * JSON.stringify does), numbers written as JSON writes them. Non-finite numbers, bigints, functions
 * and symbols are rejected rather than silently turned into null, so two different settings never
 * share a key.
 */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** One hash from several (order matters); each part is length-prefixed so ("ab","c") ≠ ("a","bc"). */
export function combineHashes(...parts: string[]): string {
  const hash = createHash('sha256');
  hash.update('causeway-combine-v1\0');
  for (const part of parts) hash.update(`${part.length}:${part}\0`);
  return hash.digest('hex');
}

export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null) return 'null';
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON: () => unknown }).toJSON(), path);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`hashJson: ${path} is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value) || ArrayBuffer.isView(value)) {
        const items = Array.from(value as ArrayLike<unknown>, (v, i) =>
          v === undefined ? 'null' : canonicalJson(v, `${path}[${i}]`),
        );
        return `[${items.join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k], `${path}.${k}`)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new Error(`hashJson: ${path} is a ${typeof value}, which JSON cannot represent`);
  }
}

function streamInto(hash: Hash, file: string): Promise<void> {
  return new Promise((done, fail) => {
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => done());
  });
}

/** Relative '/'-separated paths of all regular files below `root` (symlinks to files followed), sorted. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(full)).isFile())) {
        out.push(relative(root, full).split(sep).join(posix.sep));
      }
    }
  };
  await walk(root);
  // Code-unit order, not locale order: the same on every machine.
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function manifestShards(text: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const manifest = (doc as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) return [];
  return manifest.flatMap((group: { paths?: unknown }) => (Array.isArray(group?.paths) ? group.paths.map(String) : []));
}
