import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Statistical tests draw 50,000 tokens per case; the pure-TS backend needs seconds.
    testTimeout: 120_000,
  },
});
