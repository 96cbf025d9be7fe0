// Everything the entries share. Each runtime entry (index = Node/Deno/Bun, browser, workerd)
// re-exports this and adds its own createSampler, built from how that runtime gets the .wasm.

export type { BackendName } from './backend/types.js';
export { createSamplerSync, type SamplerOptions } from './create.js';
export type { SamplingParams } from './params.js';
export type { Seed } from './rng.js';
export { type Logits, Sampler } from './sampler.js';
export { hasWasmSimd } from './simd.js';
