import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Component tests (test/app) import .vue files.
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    // tfjs-wasm and the datasets are heavy: run files in forked processes, two at a time (2-core machines).
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
