// @ts-check
// The benchmark's logits: several vectors per kind and vocabulary size, from the generator
// the tests use (bench/logits.mjs). Every run, on every machine, samples exactly the same
// vectors, so numbers from two runs are comparable.

import { makeLogits } from './logits.mjs';

/** Vocabulary sizes of common model families. */
export const SIZES = [
  32000, // Llama 2 / Mistral
  50257, // GPT-2
  128256, // Llama 3
  151936, // Qwen 2.5
  256000, // Gemma
];

/**
 * The kinds the benchmark samples, headline first: `lm` is shaped like a real model head,
 * `peaked` is far sharper (most of the vocabulary falls below the exponential's cutoff),
 * `flat` is the high-entropy worst case for top-p.
 * @typedef {'lm' | 'peaked' | 'flat'} Kind
 */

/** @type {Record<Kind, {title: string, salt: number}>} */
export const KINDS = {
  lm: { title: 'LM-like', salt: 3 },
  peaked: { title: 'peaked', salt: 1 },
  flat: { title: 'flat', salt: 2 },
};
export const KIND_NAMES = /** @type {Kind[]} */ (Object.keys(KINDS));

/** Different vectors per size, cycled call by call, so a contender cannot profit from seeing
 *  the same input twice in a row (branch history, a cached result). */
export const VECTORS_PER_SIZE = 8;

/**
 * Seeded from (kind, size, index), so each vector is reproducible on its own.
 * @param {Kind} kind
 * @param {number} n
 * @param {number} index
 */
function seedOf(kind, n, index) {
  return KINDS[kind].salt * 0x9e3779b1 + n * 131 + index * 7919;
}

/** @type {Map<string, Float32Array[]>} */
const cache = new Map();

/**
 * The VECTORS_PER_SIZE logits vectors of one kind and size (made once, then cached).
 * @param {Kind} kind
 * @param {number} n
 * @returns {Float32Array[]}
 */
export function logitsSet(kind, n) {
  if (!KINDS[kind]) throw new RangeError(`unknown logits kind "${kind}" (expected ${KIND_NAMES.join(', ')})`);
  const key = `${kind}:${n}`;
  let set = cache.get(key);
  if (!set) {
    set = Array.from({ length: VECTORS_PER_SIZE }, (_, i) => makeLogits(n, kind, seedOf(kind, n, i)));
    cache.set(key, set);
  }
  return set;
}

/**
 * A function returning the next vector of the set on each call, round robin.
 * @param {Kind} kind
 * @param {number} n
 * @returns {() => Float32Array}
 */
export function cycler(kind, n) {
  const set = logitsSet(kind, n);
  let i = 0;
  return () => {
    const v = /** @type {Float32Array} */ (set[i]);
    i = i + 1 === set.length ? 0 : i + 1;
    return v;
  };
}
