// @ts-check
// The benchmark's logits: per kind and vocabulary size, a seeded stream that gives every
// timed call a vector no call has seen (bench/lib/fresh-logits.mjs), with the shapes of the
// generator the tests use (bench/logits.mjs). Every run, on every machine, samples exactly
// the same vectors, so numbers from two runs are comparable.

import { freshLogits } from './lib/fresh-logits.mjs';
import { NORMAL_SHAPES } from './logits.mjs';

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

/** How many vectors the calibration summarises and the greedy check runs: the first ones of
 *  the stream every contender samples. */
export const CALIBRATION_VECTORS = 8;

/**
 * Seeded from (kind, size), so each stream is reproducible on its own.
 * @param {Kind} kind
 * @param {number} n
 */
function seedOf(kind, n) {
  return KINDS[kind].salt * 0x9e3779b1 + n * 131;
}

/**
 * A new stream of vectors of one kind and size, none like another: each call of it returns
 * the next one (in an array the following call reuses). Each stream starts the same sequence,
 * so every contender of a (configuration, size) samples the same vectors in the same order.
 * @param {Kind} kind
 * @param {number} n
 * @returns {() => Float32Array}
 */
export function logitsStream(kind, n) {
  if (!KINDS[kind]) throw new RangeError(`unknown logits kind "${kind}" (expected ${KIND_NAMES.join(', ')})`);
  return freshLogits(NORMAL_SHAPES[kind], n, seedOf(kind, n));
}

/**
 * The first `count` vectors of logitsStream(kind, n), each in its own array.
 * @param {Kind} kind
 * @param {number} n
 * @param {number} [count]
 * @returns {Float32Array[]}
 */
export function firstVectors(kind, n, count = CALIBRATION_VECTORS) {
  const next = logitsStream(kind, n);
  return Array.from({ length: count }, () => next().slice());
}
