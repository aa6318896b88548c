/**
 * `npm run dist [-- --dir] [-- --linux|--mac|--win]`: builds the app with electron-vite, then packages
 * it with electron-builder (electron-builder.config.ts) for this machine's platform: AppImage + deb,
 * dmg or NSIS; `--dir` stops at the unpacked app (dist/<platform>-unpacked). electron-builder
 * downloads Electron for the target and its packaging tools (AppImage, fpm, NSIS) from GitHub; where
 * that cannot work, this says so in one line instead of a stack trace after a minute of retries.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as electronBuilder, Platform } from 'electron-builder';
import { packagingInputs, unavailableReason } from './packaging-inputs.js';
import config from '../../electron-builder.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const say = (line: string) => process.stdout.write(`dist: ${line}\n`);

const platforms = { '--linux': Platform.LINUX, '--mac': Platform.MAC, '--win': Platform.WINDOWS } as const;
const hostPlatform = process.platform === 'darwin' ? Platform.MAC : process.platform === 'win32' ? Platform.WINDOWS : Platform.LINUX;

async function main(argv: string[]): Promise<number> {
  const dirOnly = argv.includes('--dir');
  const flag = argv.find((a): a is keyof typeof platforms => a in platforms);
  const platform = flag ? platforms[flag] : hostPlatform;

  say('building the app with electron-vite…');
  const { build } = await import('electron-vite');
  await build({ root, logLevel: 'warn' });

  const inputs = packagingInputs({ root, platform: platform.nodeName, arch: process.arch, dirOnly });
  const missing = await unavailableReason(inputs);
  if (missing) {
    say(`cannot package here: ${missing}. The bundle is built in out/ (npm start runs it).`);
    return 3;
  }
  try {
    const artifacts = await electronBuilder({
      projectDir: root,
      targets: platform.createTarget(dirOnly ? 'dir' : undefined),
      config: { ...config, ...(inputs.electronDist ? { electronDist: inputs.electronDist } : {}) },
    });
    say(`packaged ${dirOnly ? `the unpacked app in dist/` : artifacts.map((a) => relative(root, a)).join(', ')}`);
    return 0;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|socket hang up|status code 40[34]/.test(message)) {
      say(`cannot package here: electron-builder could not download what it needs (${message.split('\n')[0]}). The bundle is built in out/.`);
      return 3;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`dist: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
