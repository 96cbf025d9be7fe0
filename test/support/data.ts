// Deterministic test data. The generator lives in bench/logits.mjs, shared with the
// benchmark so that a shape means the same vectors in both.
export { makeLogits, normal, rng, SHAPES, type Shape } from '../../bench/logits.mjs';

/** Uniform doubles in [0, 1) from a seed (xorshift32), without Math.random. */
export function xorshift(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Real vocabulary sizes (Llama 3, Gemma) and a 2^20 one that forces memory growth, with the
 *  shapes and parameters the large-vocabulary tests (reference/, parity/) run at each. */
export const LARGE_VOCABULARIES = [128_256, 256_000, 1_048_576];
export const LARGE_CONFIGS = [
  ['peaked', { temperature: 0.7 }],
  ['peaked', { temperature: 0.7, topK: 40, topP: 0.9 }],
  ['flat', { topP: 0.95 }],
  ['peaked', { minP: 0.05 }],
] as const;
