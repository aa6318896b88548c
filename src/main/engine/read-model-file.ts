/** Reading a model file's bytes, the same 'file not found' ModelLoadError for every loader. */
import { readFile } from 'node:fs/promises';
import { ModelLoadError } from './model-spec.js';

/** The bytes of `file` (an absolute path); a missing or unreadable file is a ModelLoadError naming it. */
export async function readModelFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw new ModelLoadError(file, 'file not found');
  }
}
