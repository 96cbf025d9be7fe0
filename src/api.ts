// Everything the entries share. Each runtime entry (index = Node/Deno/Bun, browser, workerd)
// re-exports this and adds its own createSampler, built from how that runtime gets the .wasm.
export { createSamplerSync, type SamplerOptions, type ModuleLoader } from './create.js';
export { Sampler, type Logits } from './sampler.js';
export type { SamplingParams } from './params.js';
export type { BackendName } from './backend/types.js';
export type { Seed } from './rng.js';
export { hasWasmSimd } from './simd.js';
