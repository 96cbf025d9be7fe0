/**
 * logit-sampler for browsers and bundlers: the .wasm files are fetched by URL.
 * @packageDocumentation
 */
import { makeCreateSampler } from './create.js';
import { fetchLoader } from './load/browser.js';

export * from './api.js';

// One literal `new URL('…', import.meta.url)` per file: that is the pattern bundlers (Vite,
// webpack 5, Rollup, esbuild, Parcel) recognise to copy the asset and rewrite the URL.
/** Creates a sampler; the backend is chosen as in {@link SamplerOptions.backend}. */
export const createSampler = makeCreateSampler(
  fetchLoader(
    new URL('../build/logit-sampler.simd.wasm', import.meta.url),
    new URL('../build/logit-sampler.wasm', import.meta.url),
  ),
);
