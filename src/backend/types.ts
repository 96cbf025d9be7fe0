/** Which implementation draws the tokens. All three return identical results. */
export type BackendName = 'wasm-simd' | 'wasm' | 'js';

/**
 * What the sampler needs from a backend. Parameters arrive validated and in kernel form:
 * c = log2(e)/temperature as float32 (0 = greedy), topK 0 = off, topP 1 = off, minP 0 = off
 * (else the smallest float32 ≥ min-p). The logits are checked by the kernels themselves, as
 * a by-product of finding their maximum: sample() answers -1 and probs() false when one is
 * NaN or +Infinity or all are -Infinity.
 * @internal
 */
export interface Backend {
  readonly name: BackendName;
  /** Bytes of memory the backend holds for logits and scratch. */
  readonly memoryBytes: number;
  /** A Float32Array of length n the backend reads without copying. */
  view(n: number): Float32Array;
  /** True when `a` was detached by a memory growth (an old logitsView). */
  isDetached(a: Float32Array): boolean;
  /** Makes `logits` the current input, copying it into place if needed. */
  load(logits: Float32Array): void;
  /** Maximum of the current input (NaN if any is NaN): for error messages. */
  max(n: number): number;
  sample(n: number, c: number, topK: number, topP: number, minP: number, u: number): number;
  probs(n: number, c: number, topK: number, topP: number, minP: number, out: Float32Array): boolean;
}
