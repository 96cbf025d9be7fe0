/**
 * logit-sampler for Cloudflare Workers (workerd) and other `worker` runtimes: both .wasm
 * files are imported as precompiled WebAssembly.Module objects, since compiling from bytes
 * is forbidden there.
 * @packageDocumentation
 */

import simd from '../build/logit-sampler.simd.wasm';
import scalar from '../build/logit-sampler.wasm';
import { makeCreateSampler } from './create.js';
import { importedLoader } from './load/workerd.js';

export * from './api.js';

/** Creates a sampler; the backend is chosen as in {@link SamplerOptions.backend}. */
export const createSampler = makeCreateSampler(importedLoader(simd, scalar));
