/**
 * logit-sampler: turn a vector of LLM logits into the next token — temperature, top-k, top-p,
 * min-p, typical-p, penalties, bias, masks — with one set of kernels built as WebAssembly SIMD,
 * WebAssembly, and JavaScript generated from the latter, all returning the same bits.
 * @packageDocumentation
 */
// The Node entry (also what Deno and Bun resolve): reads the .wasm files with fs.
import { makeCreateSampler } from './create.js';
import { nodeLoader } from './load/node.js';

export * from './api.js';

// The URLs sit in this file so that they resolve alike from src/ and from a bundle in dist/.
/** Creates a sampler; the backend is chosen as in {@link SamplerOptions.backend}. */
export const createSampler = makeCreateSampler(
  nodeLoader(
    new URL('../build/logit-sampler.simd.wasm', import.meta.url),
    new URL('../build/logit-sampler.wasm', import.meta.url),
  ),
);
