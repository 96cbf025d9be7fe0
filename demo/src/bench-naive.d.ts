// The type of bench/peers/naive.mjs as the page imports it (Vite aliases 'bench-naive' to that
// file). Declared here rather than read from the file: the benchmark's JSDoc is checked with
// its own, looser settings (bench/tsconfig.json), which the page's stricter ones would reject.
declare module 'bench-naive' {
  import type { SamplingParams } from 'logit-sampler';
  /** A first-try sampler (fresh softmax per call, full sort for any filter, Math.random). */
  export function naiveSample(logits: Float32Array, params?: SamplingParams): number;
}
