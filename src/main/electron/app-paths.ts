/**
 * Where the desktop app finds its bundled resources (demo models, the CIFAR-10 sample). Run from a
 * checkout (`electron .`) they are in resources/ beside package.json; packaged, electron-builder
 * copies them next to app.asar (`extraResources` in electron-builder.config.cjs) as plain files, so
 * native code that opens a path itself (onnxruntime, tfjs-node) can read them, which it cannot do
 * inside an asar archive.
 */
import { join } from 'node:path';

export interface AppLike {
  isPackaged: boolean;
  getAppPath(): string;
}

export function bundledResourcesDir(app: AppLike, resourcesPath: string | undefined = process.resourcesPath): string {
  if (app.isPackaged && resourcesPath) return join(resourcesPath, 'resources');
  return join(app.getAppPath(), 'resources');
}
