/**
 * A dataset's identity for cache keys: a file is hashed by content (CIFAR-10 batches and IDX files
 * are small); a folder of images by its listing (relative path, size, modification time), since
 * reading 60,000 JPEGs on every open would cost more than the cache saves.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hashFile, hashJson } from '../store/hashing.js';

export async function datasetIdentity(path: string): Promise<string> {
  const stat = statSync(path);
  if (stat.isFile()) return hashFile(path);
  const entries: [string, number, number][] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const s = statSync(full);
        entries.push([relative(path, full), s.size, Math.round(s.mtimeMs)]);
      }
    }
  };
  walk(path);
  // Small folders (IDX pairs, a few batch files) are cheap to hash by content.
  if (entries.length <= 16) return hashFile(path);
  return hashJson(entries);
}
