/** Temp project folders and file fingerprints for the store tests. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectSettings } from '../../src/main/store/project-settings.js';

const made: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-store-'));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

export const SETTINGS: ProjectSettings = {
  modelPath: '/models/cifar/model.json',
  dataPath: '/data/cifar-10-batches-bin',
  preprocessing: { scale: 1 / 255, mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] },
  split: 'test',
  name: 'CIFAR ResNet',
  createdWith: '0.1.0',
};
