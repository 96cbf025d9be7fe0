// What the sampler needs from a backend, and the numbers that cross between them.
import type { Resolved } from '../params.js';

/** Which implementation draws the tokens. All three return identical results. */
export type BackendName = 'wasm-simd' | 'wasm' | 'js';

/** What a run computes (assembly/index.ts MODE_*). */
export const MODE_DRAW = 0;
export const MODE_PROBS = 1;
export const MODE_STATS = 2;

/** Per-call flags the sampler adds to the parameters' own (assembly/params.ts F_*). */
export const F_ENTROPY = 8;
export const F_TOP = 16;
export const F_RAW = 32;

/** Statuses of a run (assembly/params.ts S_*). */
export const S_OK = 0;
export const S_INVALID = 1;
export const S_ALL_MASKED = 2;
export const S_BAD_PROB = 3;
export const S_RAW_INVALID = 4;

/** What a run leaves behind (assembly/params.ts R_*), read back into one reused object. */
export class Results {
  status = 0;
  /** The token drawn; with S_BAD_PROB or S_INVALID, the first offending index when known. */
  token = 0;
  /** z = (x − max)·c of the token drawn. */
  z = 0;
  /** Mass (Σ e) of the kept set; Σ e·z over it when entropy was asked. */
  mass = 0;
  ez = 0;
  /** Unmasked tokens (MODE_STATS). */
  count = 0;
  /** (token, z) pairs written for the top logprobs. */
  topCount = 0;
  rawMass = 0;
  rawZ = 0;
}

/**
 * A backend runs the pipeline over logits it was given with place(), in the float32 form and
 * order of the kernels (assembly/), and never allocates per call once reserved.
 * @internal
 */
export interface Backend {
  readonly name: BackendName;
  /** Bytes of memory held for logits and scratch. */
  readonly memoryBytes: number;
  /** Makes room for n tokens and `edits` bias entries plus history tokens. May grow memory,
   *  which detaches every view of the old memory; throws a RangeError when it cannot. */
  reserve(n: number, edits: number): void;
  /** A Float32Array of length n the backend reads without copying (logitsView). */
  view(n: number): Float32Array;
  /** True when `a` was detached by a memory growth (an old logitsView). */
  isDetached(a: Float32Array): boolean;
  /** Where a number[] or Float64Array is converted to float32 (valid until the next reserve). */
  input(n: number): Float32Array;
  /** Makes x[0 .. n) the input of the next run: read in place when the backend can, else copied. */
  place(x: Float32Array): void;
  /** Runs the pipeline (MODE_*) with parameters p over n tokens. */
  run(mode: number, p: Resolved, n: number, u: number, flags: number, topN: number): Results;
  /** After a MODE_PROBS run: the distribution, n floats (a view, valid until the next call). */
  output(n: number): Float32Array;
  /** After a run with F_TOP or F_RAW: the i-th most likely (token, z). */
  topToken(i: number): number;
  topZ(i: number): number;
  /** Releases the memory; the backend is unusable afterwards. */
  dispose(): void;
}
