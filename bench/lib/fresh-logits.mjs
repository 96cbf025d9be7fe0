// @ts-check
// Logits no call has seen before, one vector per timed call. A CPU that samples the same few
// vectors over and over learns them (most likely its branch predictor learns where the few
// large logits sit): at 721ad7c llama.cpp's chain took 23.7 µs per token on 8 cycled vectors
// and about 60 µs on new ones. A model hands the sampler logits it has never produced before,
// so the benchmark does too.
//
// Box–Muller normals cost about 6 ms per 128,256-token vector, hundreds of times a fast
// sample, so each vector is read from a fixed table of standard normals instead: entry i is
// σ·table[(b + a·i) mod M] with a new odd stride a and start b per vector (a different subset
// of the table in a different order, no two vectors alike), then BOOSTED tokens at new
// positions get their U[8, 15] boost as in makeLogits. About 0.5 ms per 128,256 tokens, untimed.
// One table of 2^20 normals (4 MiB) serves every size and kind, where a pool of distinct
// vectors would cost n·4 bytes each.

import { boost, normal, rng } from '../logits.mjs';

/** At least this many normals, and at least 4× the vocabulary, so that vectors differ in
 *  which normals they hold, not only in their order. */
const MIN_TABLE = 1 << 20;
const TABLE_SEED = 0x7ab1e;

/** @type {Float32Array} */
let table = new Float32Array(0);

/**
 * The table, with at least `length` entries. Always made from the same seed, so a longer one
 * starts with the shorter one: a stream's vectors do not depend on the sizes run before it.
 * @param {number} length
 */
function normals(length) {
  if (table.length < length) {
    const r = rng(TABLE_SEED);
    table = new Float32Array(length);
    for (let i = 0; i < length; i++) table[i] = normal(r);
  }
  return table;
}

/**
 * A seeded stream of new vectors of n logits, σ·N(0,1) plus, where `boosted`, BOOSTED tokens
 * boosted by U[8, 15] (a shape of NORMAL_SHAPES in bench/logits.mjs). The same (shape, n,
 * seed) gives the same sequence on every machine.
 *
 * Each vector comes in an array of the stream's own, which the contenders copy from as they
 * would from a model's output: gathered straight into a zero-copy view instead, the view
 * would end up behind 4 MiB of table reads, out of the caches a model's freshly written
 * logits are in, and the memory-bound configurations would slow down for that alone.
 * @param {{sigma: number, boosted: boolean}} shape
 * @param {number} n
 * @param {number} seed
 * @returns {() => Float32Array} the next vector, in an array reused by the next call
 */
export function freshLogits({ sigma, boosted }, n, seed) {
  let size = MIN_TABLE;
  while (size < 4 * n) size *= 2;
  const t = normals(size);
  const mask = size - 1;
  const r = rng(seed);
  const x = new Float32Array(n);
  return () => {
    // An odd stride is invertible mod a power of two: the n indices are n distinct entries.
    const a = Math.floor(r() * size) | 1;
    let j = Math.floor(r() * size);
    for (let i = 0; i < n; i++) {
      x[i] = sigma * t[j];
      j = (j + a) & mask;
    }
    return boosted ? boost(x, r) : x;
  };
}
