// The runtime tests: run after `npm run build` (npm test does both), against the packed
// tarball. Kept out of the default `vitest run` by their *.runtime.ts names.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/runtimes/**/*.runtime.ts'],
    globalSetup: ['test/runtimes/setup.ts'],
    // Each test starts a runtime, a browser or a bundler: slow on 2 cores, never minutes.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
