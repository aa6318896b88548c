/**
 * Builds the desktop app (main, preload, renderer) with electron-vite; web mode builds only the
 * renderer, from the same `rendererConfig`, so both hosts serve the same files.
 */
import vue from '@vitejs/plugin-vue';
import { defineConfig, type UserConfig } from 'electron-vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = import.meta.dirname;
const version = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;

// electron-vite 6 reads `rolldownOptions` (its types still say rollupOptions): give both.
const bundle = (options: object) => ({ rollupOptions: options, rolldownOptions: options });

// The dev server injects styles and a WebSocket for hot reload: relax the page's CSP in dev only.
const devCsp = {
  name: 'causeway-dev-csp',
  apply: 'serve' as const,
  transformIndexHtml: (html: string) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*"),
};

export const rendererConfig = {
  root: resolve(root, 'src/renderer'),
  // Relative asset URLs work from file:// (Electron) and from the web server's root alike.
  base: './',
  plugins: [vue(), devCsp],
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 2500,
    ...bundle({ input: resolve(root, 'src/renderer/index.html') }),
  },
};

const config = {
  main: {
    // Bundled, util/app-version.ts cannot find package.json beside it: the version is built in.
    define: { __CAUSEWAY_VERSION__: JSON.stringify(version) },
    build: {
      outDir: resolve(root, 'out/main'),
      // `dependencies` stay outside the bundle (electron-vite's default), loaded from node_modules in
      // app.asar, native ones from app.asar.unpacked; a devDependency imported here would be bundled.
      // The job worker is its own entry: runJob starts ./job-worker.js beside the main bundle.
      ...bundle({
        input: { index: resolve(root, 'src/main/electron/main.ts'), 'job-worker': resolve(root, 'src/main/worker/job-worker.ts') },
        output: { entryFileNames: '[name].js' },
      }),
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload can require only electron: zod (the contract's schemas) is bundled in.
      externalizeDeps: { exclude: ['zod'] },
      // A sandboxed preload must be a single CommonJS file.
      ...bundle({ input: { index: resolve(root, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } }),
    },
  },
  renderer: rendererConfig,
} as UserConfig;

export default defineConfig(config);
