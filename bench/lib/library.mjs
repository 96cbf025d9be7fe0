// Loads logit-sampler from its TypeScript source (src/index.ts), so the bench
// always measures the code in the working tree, never a stale dist/ build.

import { register } from 'node:module';

let registered = false;

export async function loadLibrary() {
  if (!registered) {
    register('./ts-hooks.mjs', import.meta.url);
    registered = true;
  }
  return import('../../src/index.ts');
}
