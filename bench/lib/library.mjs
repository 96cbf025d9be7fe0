// @ts-check
// Loads logit-sampler the way a user's Node program does: the built package entry
// (dist/index.js, which reads build/*.wasm). `npm run bench` builds first; a build older
// than the sources is refused rather than measured.

import { assertBuildFresh } from './build-guard.mjs';

/** @typedef {typeof import('../../src/index.js')} Library */

const entry = new URL('../../dist/index.js', import.meta.url).href;

/** @returns {Promise<Library>} */
export async function loadLibrary() {
  assertBuildFresh();
  return /** @type {Library} */ (await import(entry));
}
