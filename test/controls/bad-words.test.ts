// `badWords` (vLLM's bad_words, Hugging Face's bad_words_ids): a sequence's last token is banned
// when the history ends with the rest of it; a one-token sequence is always banned.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { favouring, loopingHistory } from '../support/edits-data.js';
import { rejectsEach } from '../support/rejects.js';
import { thrown } from '../support/thrown.js';

const V = 2000;
const loop = loopingHistory(V, 200, 9, 101);
const lm = favouring(makeLogits(V, 'lm', 102), loop, 6);
const last = (k: number) => Array.from(loop.subarray(loop.length - k));
// The likeliest tokens, to ban.
const top = Array.from(lm.keys()).sort((a, b) => lm[b]! - lm[a]!);

const CASES: ControlCase[] = [
  { name: 'one-token words', x: lm, params: { history: loop, badWords: [[top[0]!], [top[2]!], [top[5]!]] } },
  {
    name: 'multi-token words that match the history, and some that do not',
    x: lm,
    params: {
      history: loop,
      badWords: [
        [...last(1), top[0]!],
        Int32Array.of(...last(3), top[1]!),
        [top[3]!, top[4]!],
        [...last(2), top[2]!].reverse(),
      ],
      temperature: 0.8,
      minP: 0.02,
    },
  },
  {
    name: 'with the sequence bias and DRY',
    x: lm,
    params: {
      history: Array.from(loop),
      sequenceBias: [[[...last(2), top[1]!], 2]],
      dry: { multiplier: 0.8 },
      badWords: [[...last(2), top[0]!], [top[1]!]],
    },
  },
];

controlSuite('bad words', CASES);

describe.each(BACKENDS)('%s: bad words', (backend) => {
  test('by hand', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const x = new Float32Array(6);
    const ban = (history: number[], badWords: (number[] | Int32Array)[]) => keptSet(s.probs(x, { history, badWords }));
    expect(ban([1, 2], [[4]])).toEqual([0, 1, 2, 3, 5]);
    expect(ban([1, 2], [[2, 4]])).toEqual([0, 1, 2, 3, 5]);
    expect(ban([1, 2], [[1, 2, 4]])).toEqual([0, 1, 2, 3, 5]);
    expect(ban([1, 2], [[1, 4]])).toEqual([0, 1, 2, 3, 4, 5]);
    // Longer than the history plus one: never completes.
    expect(ban([1, 2], [[0, 1, 2, 4]])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ban([], [[5], [1, 4]])).toEqual([0, 1, 2, 3, 4]);
    // Repeated and overlapping words, typed arrays.
    expect(ban([3, 3], [Int32Array.of(3, 3, 0), [3, 0], [0]])).toEqual([1, 2, 3, 4, 5]);
    // The logits read the same afterwards (the bans are put back).
    expect(Array.from(x)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('everything banned is the all-masked error, naming badWords', async () => {
    const s = await createSampler({ backend, seed: 1 });
    thrown(
      () => s.sample([0, 0], { history: [], badWords: [[0], [1]] }),
      RangeError,
      /every token is masked .*badWords/,
    );
  });
});

describe.each(BACKENDS)('%s rejects bad badWords, naming the entry', (backend) => {
  rejectsEach(backend, [
    [{ badWords: [[1]] }, TypeError, /^badWords needs the token history: pass params.history/],
    [
      { history: [1], badWords: [1, 2] },
      TypeError,
      /^badWords\[0\] must be an array of token ids \(number\[\] or Int32Array\), got 1/,
    ],
    [
      { history: [1], badWords: 'damn' },
      TypeError,
      /^badWords must be an array of token-id sequences \(number\[\]\[\]\), got "damn"/,
    ],
    [{ history: [1], badWords: [[1], []] }, RangeError, /^badWords\[1\] is empty: a sequence needs at least one token/],
    [{ history: [1], badWords: [[1, 100]] }, RangeError, /^badWords\[0\]\[1\] is 100, not a token id in \[0, 100\)/],
    [{ history: [1], badWords: [[1, -1]] }, RangeError, /^badWords\[0\]\[1\] is -1, not a token id/],
    [{ history: [1], badWords: [[1, 2 ** 31]] }, RangeError, /^badWords\[0\]\[1\] is 2147483648, not a token id/],
    [{ history: [1], badWords: [[Number.NaN]] }, RangeError, /^badWords\[0\]\[0\] is NaN, not a token id/],
    [{ history: [1], badWords: [[1n]] }, TypeError, /^badWords\[0\]\[0\] must be a number, got 1n/],
    [
      { history: [1], badWords: [new Uint32Array(1)] },
      TypeError,
      /^badWords\[0\] must be an array of token ids.*got a Uint32Array/,
    ],
    [{ history: [1], bad_words_ids: [[1]] }, TypeError, /did you mean 'badWords'/],
  ]);
});
