// Everything the entries share. Each runtime entry (index = Node/Deno/Bun, browser, workerd)
// re-exports this and adds its own createSampler, built from how that runtime gets the .wasm.

export type { BackendName } from './backend/name.js';
export { createSamplerSync, type SamplerOptions } from './create.js';
export type { BiasArrays, LogitBias } from './edits.js';
export type { ChainOrder, SamplingParams } from './params.js';
export type { Seed } from './rng.js';
export type {
  Detailed,
  DetailOptions,
  DraftVerification,
  Logits,
  RowParams,
  Sampler,
  SampleStream,
  VerifyDraftArgs,
} from './sampler.js';
export { hasWasmSimd } from './simd.js';
export type { DynamicTemperature, StageName } from './stages.js';
