import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/sequencer.js';

// One run, two projects sharing the workers: the unit tests, and the runtime tests (after
// `npm run build`, against the packed tarball; *.runtime.ts, with a global setup that packs
// and installs it). `npm test` runs both; `npm run test:unit` / `test:runtimes` one of them.
/** The unit files that measure per-call allocation. */
const HEAP_FILES = [
  'test/guarantees/memory.test.ts',
  'test/controls/edits-arrays.test.ts',
  'test/sequences/stateful.test.ts',
];

export default defineConfig({
  test: {
    // Every core: vitest's default leaves one free (cores − 1), which on 2 cores is one worker.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: HEAP_FILES,
          // A worker imports the library, fast-check and the support modules once, not once per
          // file (that took a fifth of the unit tests' CPU time). Tests that patch globals,
          // spy on WebAssembly or reset modules undo it in afterEach or finally.
          isolate: false,
          // Property runs and the parity sweeps take tens of seconds on 2 cores.
          testTimeout: 120_000,
        },
      },
      {
        // The files that count the bytes a call allocates (support/heap.ts), each in a fresh
        // module graph: in a shared worker, what earlier files left running allocates too.
        test: { name: 'heap', include: HEAP_FILES, isolate: true, testTimeout: 120_000 },
      },
      {
        test: {
          name: 'runtimes',
          include: ['test/runtimes/**/*.runtime.ts'],
          globalSetup: ['test/runtimes/setup.ts'],
          // Each test starts a runtime, a browser or a bundler: slow on 2 cores, never minutes.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
