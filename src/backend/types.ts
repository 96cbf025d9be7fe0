/** Which implementation draws the tokens. All three return identical results. */
export type BackendName = 'wasm-simd' | 'wasm' | 'js';

/**
 * What the sampler needs from a backend. Parameters arrive validated and in their float32
 * form: c = log2(e)/temperature, topK 0 = off, topP 1 = off, minP 0 = off.
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
  /** Makes `logits` the current input (copying it into place if needed); returns max. */
  load(logits: Float32Array): number;
  argmax(n: number, m: number): number;
  sample(n: number, m: number, c: number, topK: number, topP: number, minP: number, u: number): number;
  probs(n: number, m: number, c: number, topK: number, topP: number, minP: number, out: Float32Array): void;
}
