/**
 * `npm start`: until the desktop app lands, a guided tour of what runs today — the backend in use,
 * then each bundled demo model's node layers and accuracy on the bundled CIFAR-10 sample.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './main.js';

const models = 'resources/models';
const sample = 'resources/data/cifar10-test-sample.bin';

async function tour(): Promise<number> {
  process.stdout.write('Causeway — explain CNNs with causal inference\n\n');
  const names = existsSync(models) ? readdirSync(models).filter((n) => existsSync(join(models, n, 'model.json'))) : [];
  if (names.length === 0 || !existsSync(sample)) {
    process.stdout.write(`No bundled demo models found in ${models}/.\nTry: npm run causeway -- --help\n`);
    return 0;
  }
  for (const name of names) {
    process.stdout.write(`── ${name} ──\n`);
    const model = join(models, name);
    if ((await main(['info', '--model', model])) !== 0) return 1;
    process.stdout.write('\n');
    if ((await main(['eval', '--model', model, '--data', sample])) !== 0) return 1;
    process.stdout.write('\n');
  }
  process.stdout.write('More: npm run causeway -- --help\n');
  return 0;
}

tour().then((code) => process.exit(code));
