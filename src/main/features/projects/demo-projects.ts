/**
 * The bundled demo projects: a demo model from resources/models with the bundled CIFAR-10 demo set
 * (resources/data/cifar10-test-demo.bin: 5,000 test images, inputs x/255; its README says what it
 * holds), large enough that the default build's held-out split (≈1,000 images) gives a ground truth
 * with split-half reliability ≥ 0.8 on every layer (issue 12). A demo's project folder lives in the
 * user data folder and is created the first time it is opened.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoInfo } from '../../../shared/dto.js';
import { ApiError } from '../../../shared/errors.js';
import type { NewProject } from '../../project/project-session.js';

const titles: Record<string, string> = {
  lenet5: 'LeNet-5 on CIFAR-10 (small, builds in seconds)',
  vgg_bn: 'VGG with BatchNorm on CIFAR-10',
  resnet: 'Small ResNet on CIFAR-10 (residual merges)',
};

/** The order demos are offered in; the first available one is the default. */
const order = ['lenet5', 'vgg_bn', 'resnet'];

export const demoSample = 'data/cifar10-test-demo.bin';

export function demoCatalog(resourcesDir: string): DemoInfo[] {
  if (!existsSync(join(resourcesDir, demoSample))) return [];
  return order
    .filter((name) => existsSync(join(resourcesDir, 'models', name, 'model.json')))
    .map((name) => ({ name, title: titles[name] ?? name }));
}

export interface DemoProject {
  dir: string;
  create: NewProject;
}

export function demoProject(resourcesDir: string, userDataDir: string, name?: string): DemoProject {
  const catalog = demoCatalog(resourcesDir);
  const chosen = name ?? catalog[0]?.name;
  if (!chosen || !catalog.some((d) => d.name === chosen)) {
    const offered = catalog.map((d) => d.name).join(', ') || 'none';
    throw new ApiError('not-found', `no bundled demo model "${name ?? ''}" in ${join(resourcesDir, 'models')} (available: ${offered})`);
  }
  return {
    dir: join(userDataDir, 'demo-projects', chosen),
    create: {
      modelPath: join(resourcesDir, 'models', chosen),
      dataPath: join(resourcesDir, demoSample),
      preprocessing: { scale: 1 / 255 },
      name: `${chosen} demo`,
    },
  };
}
