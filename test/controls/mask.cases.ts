// `allowed` cases: what mask.test.ts checks against float64 and by chi-square, and what
// test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { maskOf, randomMask } from '../support/controls-data.js';
import { makeLogits, rng } from '../support/data.js';

const flat = makeLogits(1000, 'flat', 1).map((v) => v * 3);
const peaked = makeLogits(1025, 'peaked', 2).map((v) => v / 4);
const argmax = peaked.indexOf(Math.max(...peaked));

/** Llama 3's vocabulary, and what xgrammar's allocate_token_bitmask / llguidance hand over: an
 *  int32 tensor of ⌈V/32⌉ words per sequence, 1 bits allowed. Row 1 of a batch of 4 allows a
 *  JSON number's continuations: 10 digit tokens, '.', 'e', ',', '}' and the end-of-text token;
 *  row 2 allows everything. */
export const V = 128_256;
export const GRAMMAR = [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 13, 68, 11, 92, 128_001];
const words = Math.ceil(V / 32);
export const BATCH = new Int32Array(4 * words);
for (const id of GRAMMAR) BATCH[words + (id >> 5)]! |= 1 << (id & 31);
BATCH.fill(-1, 2 * words, 3 * words);
export const ROW = new Uint32Array(BATCH.buffer, words * 4, words);
export const GRAMMAR_LOGITS = makeLogits(V, 'peaked', 5);

export const CASES: ControlCase[] = [
  { name: 'every other word allowed, n = 1000', x: flat, params: { allowed: maskOf(1000, (i) => (i >> 5) % 2 === 0) } },
  {
    name: 'random 30% allowed, n = 1025 (a partial last word), temperature 0.8, top-k 50',
    x: peaked,
    params: { allowed: randomMask(1025, 0.3, 3), temperature: 0.8, topK: 50 },
  },
  {
    name: 'the argmax disallowed, top-p 0.9',
    x: peaked,
    params: { allowed: maskOf(1025, (i) => i !== argmax), topP: 0.9 },
  },
  {
    name: 'bits past n set, masked logits allowed, min-p 0.02',
    x: makeLogits(1000, 'masked', 4),
    params: { allowed: maskOf(1000, (i) => i % 3 !== 0).fill(0xffffffff, 31), minP: 0.02 },
  },
  { name: 'greedy under a mask', x: peaked, params: { allowed: maskOf(1025, (i) => i !== argmax), temperature: 0 } },
  {
    name: 'a grammar engine’s bitmask at Llama 3’s vocabulary (128,256): one row of a [4, ⌈V/32⌉] batch',
    x: GRAMMAR_LOGITS,
    params: { allowed: ROW, temperature: 0.7 },
    draws: 2000,
  },
];

/** Grammar-style constraints at 128,256 tokens: `count` random tokens allowed, as -Infinity
 *  logits (`masked`) and as a bitmask over the unmasked `logits` (`allowed`). */
export function grammarStyle(count: number): { logits: Float32Array; masked: Float32Array; allowed: Uint32Array } {
  const r = rng(count);
  const logits = makeLogits(V, 'flat', 10).map((v) => v * 3);
  const masked = new Float32Array(V).fill(-Infinity);
  const allowed = new Uint32Array(Math.ceil(V / 32));
  for (let k = 0; k < count; k++) {
    const i = Math.floor(r() * V);
    masked[i] = logits[i]!;
    allowed[i >> 5]! |= 1 << (i & 31);
  }
  return { logits, masked, allowed };
}

/** The parameter sets the grammar-style constraints are checked with. */
export const GRAMMAR_PARAMS = [
  { temperature: 0.7, topK: 40, topP: 0.9 },
  { temperature: 0.7, topK: 40 },
  { temperature: 1.5, minP: 0.05 },
];
