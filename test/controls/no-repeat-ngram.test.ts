// `noRepeatNgramSize: n` (Hugging Face's no_repeat_ngram_size, transformers.js's
// NoRepeatNGramLogitsProcessor): every token that would complete an n-gram the history already
// holds is banned — the tokens that followed an earlier occurrence of the history's last n − 1
// tokens (n = 1: every token of the history).
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
const loop = loopingHistory(V, 400, 10, 91);
const lm = favouring(makeLogits(V, 'lm', 92), loop, 6);

const CASES: ControlCase[] = [
  { name: 'n = 2', x: lm, params: { history: loop, noRepeatNgramSize: 2 } },
  {
    name: 'n = 3, temperature 0.8, top-p 0.95',
    x: lm,
    params: { history: loop, noRepeatNgramSize: 3, temperature: 0.8, topP: 0.95 },
  },
  {
    name: 'n = 1 (no token of the history again)',
    x: lm,
    params: { history: Array.from(loop.subarray(0, 50)), noRepeatNgramSize: 1 },
  },
  {
    name: 'n = 6 over masked logits',
    x: favouring(makeLogits(V, 'masked', 93), loop, 3),
    params: { history: loop, noRepeatNgramSize: 6 },
  },
];

controlSuite('no-repeat n-gram', CASES);

/** What Hugging Face's _get_ngrams / _get_generated_ngrams ban, by brute force. */
function hfBanned(h: number[], n: number): number[] {
  if (h.length + 1 < n) return [];
  const grams = new Map<string, number[]>();
  for (let j = 0; j + n <= h.length; j++) {
    const key = h.slice(j, j + n - 1).join(',');
    grams.set(key, [...(grams.get(key) ?? []), h[j + n - 1]!]);
  }
  return [...new Set(grams.get(h.slice(h.length + 1 - n).join(',')) ?? [])].sort((a, b) => a - b);
}

describe.each(BACKENDS)('%s: no-repeat n-gram', (backend) => {
  test('by hand, and as Hugging Face computes it on random histories', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const x = new Float32Array(6);
    // [1 2] occurred, followed by 3: n = 3 bans 3; n = 2 bans what followed 2 (3); n = 1 all.
    expect(keptSet(s.probs(x, { history: [1, 2, 3, 1, 2], noRepeatNgramSize: 3 }))).toEqual([0, 1, 2, 4, 5]);
    expect(keptSet(s.probs(x, { history: [1, 2, 3, 1, 2], noRepeatNgramSize: 2 }))).toEqual([0, 1, 2, 4, 5]);
    expect(keptSet(s.probs(x, { history: [1, 2, 3, 1, 2], noRepeatNgramSize: 1 }))).toEqual([0, 4, 5]);
    // Overlapping: [4 4 4] holds 4-grams? No: n = 4 needs 4 tokens; [4 4 4 4] then bans 4.
    expect(keptSet(s.probs(x, { history: [4, 4, 4], noRepeatNgramSize: 4 }))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(keptSet(s.probs(x, { history: [4, 4, 4, 4], noRepeatNgramSize: 4 }))).toEqual([0, 1, 2, 3, 5]);
    // n longer than the history: nothing; an empty history: nothing.
    expect(keptSet(s.probs(x, { history: [1, 2], noRepeatNgramSize: 30 }))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(keptSet(s.probs(x, { history: [], noRepeatNgramSize: 1 }))).toEqual([0, 1, 2, 3, 4, 5]);
    for (let seed = 0; seed < 40; seed++) {
      const h = Array.from(loopingHistory(8, 30 + seed, 3 + (seed % 4), seed), (t) => t % 8);
      for (const n of [1, 2, 3, 4, 5]) {
        const banned = hfBanned(h, n);
        // Tokens 8 and 9 never occur: never banned.
        const kept = keptSet(s.probs(new Float32Array(10), { history: h, noRepeatNgramSize: n }));
        expect(kept, `history ${h}, n ${n}`).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((t) => !banned.includes(t)));
      }
    }
  });

  test('O(history): 300,000 tokens of one repeated phrase', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const h = Int32Array.from({ length: 300_000 }, (_, i) => i % 7);
    const t0 = performance.now();
    // The last 4 tokens [4 5 6 0] (299,999 ≡ 0 mod 7) were always followed by 1.
    expect(keptSet(s.probs(new Float32Array(10), { history: h, noRepeatNgramSize: 5 }))).toEqual([
      0, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(performance.now() - t0).toBeLessThan(backend === 'js' ? 2000 : 1000);
  });

  test('everything banned is the all-masked error, naming noRepeatNgramSize', async () => {
    const s = await createSampler({ backend, seed: 1 });
    thrown(
      () => s.sample([0, 0, 0], { history: [0, 1, 2], noRepeatNgramSize: 1 }),
      RangeError,
      /every token is masked .*noRepeatNgramSize/,
    );
  });
});

describe.each(BACKENDS)('%s rejects a bad noRepeatNgramSize, naming it', (backend) => {
  rejectsEach(backend, [
    [{ noRepeatNgramSize: 2 }, TypeError, /^noRepeatNgramSize needs the token history: pass params.history/],
    [{ history: [1], noRepeatNgramSize: 0 }, RangeError, /^noRepeatNgramSize must be an integer ≥ 1, got 0/],
    [{ history: [1], noRepeatNgramSize: -3 }, RangeError, /^noRepeatNgramSize .*got -3/],
    [{ history: [1], noRepeatNgramSize: 2.5 }, RangeError, /^noRepeatNgramSize .*got 2.5/],
    [{ history: [1], noRepeatNgramSize: Number.NaN }, RangeError, /^noRepeatNgramSize .*got NaN/],
    [{ history: [1], noRepeatNgramSize: Infinity }, RangeError, /^noRepeatNgramSize .*got Infinity/],
    [{ history: [1], noRepeatNgramSize: '3' }, TypeError, /^noRepeatNgramSize must be a number, got "3"/],
    [{ history: [1], no_repeat_ngram_size: 3 }, TypeError, /did you mean 'noRepeatNgramSize'/],
  ]);
});
