/**
 * logit-sampler for React Native (Hermes) and other engines without WebAssembly or
 * `import.meta`: the `js` backend, with no `.wasm` file to locate. A precompiled module can
 * still be passed as `opts.module` where WebAssembly exists.
 * @packageDocumentation
 */
import { makeCreateSampler } from './create.js';

export * from './api.js';

/** Creates a sampler: the `js` backend, or a WebAssembly build given as `opts.module`. */
export const createSampler = makeCreateSampler(async () => {
  // Nothing to load here: 'auto' falls back to js, an explicit WebAssembly backend says why.
  throw new Error("this entry ships no .wasm file to load: pass opts.module, or use backend 'js'");
});
