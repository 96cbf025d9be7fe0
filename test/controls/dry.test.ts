// `dry`: DRY, "Don't Repeat Yourself" (koboldcpp PR #982 by pi6am; llama.cpp's --dry-*). For
// each candidate c, L is the longest suffix of the latest `lastN` history tokens that occurred
// earlier followed by c, never reaching back over the end of the latest sequence breaker; if
// L ≥ allowedLength, c's logit loses multiplier · base^min(L − allowedLength, ⌊ln FLT_MAX/ln base⌋).
// A single-token breaker is never penalised.
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { probsFrom } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';
import { favouring, loopingHistory } from '../support/edits-data.js';
import { reference } from '../support/reference.js';
import { rejectsEach } from '../support/rejects.js';
import { thrown } from '../support/thrown.js';

const V = 2000;
const loop = loopingHistory(V, 300, 12, 72);
const lm = favouring(makeLogits(V, 'lm', 71), loop, 6);
const masked = favouring(makeLogits(V, 'masked', 73), loop, 4);
// A phrase said eight times over, word for word: repeats of ~80 tokens.
const verbatim = Int32Array.from({ length: 90 }, (_, i) => 100 + (i % 11));

const CASES: ControlCase[] = [
  { name: 'multiplier 0.8 with the defaults', x: lm, params: { history: loop, dry: { multiplier: 0.8 } } },
  {
    name: 'last 64 tokens, allowedLength 3, breakers of one and two tokens, temperature 0.7, top-k 30',
    x: lm,
    params: {
      history: loop,
      dry: {
        multiplier: 1.2,
        base: 2,
        allowedLength: 3,
        lastN: 64,
        sequenceBreakers: [[loop[290]!], Int32Array.of(loop[40]!, loop[41]!), [1999, 3]],
      },
      temperature: 0.7,
      topK: 30,
    },
  },
  {
    name: 'base 1 (a constant penalty) over masked logits',
    x: masked,
    params: { history: Array.from(loop), dry: { multiplier: 3, base: 1, allowedLength: 1 } },
  },
  {
    name: 'the exponent capped: base 30 (⌊88.72/ln 30⌋ = 26), repeats of 80 tokens',
    x: favouring(makeLogits(V, 'flat', 74), verbatim, 3),
    params: { history: verbatim, dry: { multiplier: 1e-37, base: 30 } },
  },
  {
    name: 'probability input',
    x: probsFrom(lm, 5),
    params: { input: 'probs', history: loop, dry: { multiplier: 0.8, base: 1.5 } },
  },
  {
    name: 'with a bias, the penalties and the n-gram ban',
    x: lm,
    params: {
      history: loop,
      logitBias: { [loop[0]!]: 2 },
      repetitionPenalty: 1.1,
      frequencyPenalty: 0.1,
      dry: { multiplier: 0.5, allowedLength: 1 },
      noRepeatNgramSize: 4,
    },
    draws: 0,
  },
];

controlSuite('DRY', CASES);

const zeros = (n: number) => new Float32Array(n);
/** softmax in float64 of logits 0 except `lowered`'s. */
const expected = (n: number, lowered: Record<number, number>) => {
  const u = Array.from({ length: n }, (_, i) => Math.exp(-(lowered[i] ?? 0)));
  const z = u.reduce((a, b) => a + b, 0);
  return u.map((v) => v / z);
};
const close = (got: Float32Array, want: number[]) => {
  for (let i = 0; i < want.length; i++) expect(got[i], `token ${i}`).toBeCloseTo(want[i]!, 6);
};

describe.each(BACKENDS)('%s: DRY', (backend) => {
  const history = [1, 2, 3, 4, 1, 2, 3];
  const dry = (d: Partial<NonNullable<SamplingParams['dry']>>) => ({ history, dry: { multiplier: 1, ...d } });

  test('the definition by hand: [1 2 3] repeats, and 4 followed it', async () => {
    const s = await createSampler({ backend, seed: 1 });
    // L(4) = 3: penalty 1 · 1.75^(3 − 2).
    close(s.probs(zeros(6), dry({})), expected(6, { 4: 1.75 }));
    close(s.probs(zeros(6), dry({ multiplier: 0.5, base: 3 })), expected(6, { 4: 1.5 }));
    close(s.probs(zeros(6), dry({ allowedLength: 3 })), expected(6, { 4: 1 }));
    close(s.probs(zeros(6), dry({ allowedLength: 4 })), expected(6, {}));
    // Only the latest lastN tokens: [2 3 4 1 2 3] still holds [2 3] then 4; [4 1 2 3] nothing.
    close(s.probs(zeros(6), dry({ lastN: 6 })), expected(6, { 4: 1 }));
    close(s.probs(zeros(6), dry({ lastN: 4 })), expected(6, {}));
    close(s.probs(zeros(6), dry({ lastN: 100 })), expected(6, { 4: 1.75 }));
    // Off: multiplier 0 or lastN 0 (and then the history is not needed).
    expect(s.probs(zeros(6), dry({ multiplier: 0 }))).toEqual(s.probs(zeros(6)));
    expect(s.probs(zeros(6), dry({ lastN: 0 }))).toEqual(s.probs(zeros(6)));
    expect(s.probs(zeros(6), { dry: { multiplier: 0 } })).toEqual(s.probs(zeros(6)));
  });

  test('the longest repeat per candidate, and overlapping repeats', async () => {
    const s = await createSampler({ backend, seed: 1 });
    // [5 5 5 5]: the suffix [5 5 5] occurred at 0 … 2, followed by 5: L(5) = 3.
    close(s.probs(zeros(6), { history: [5, 5, 5, 5], dry: { multiplier: 1 } }), expected(6, { 5: 1.75 }));
    // 4 follows [1 2] once and [7 1 2] (the suffix, L = 3) once; 3 follows [1 2] (L = 2).
    const h = [1, 2, 4, 0, 1, 2, 3, 7, 1, 2, 4, 7, 1, 2];
    close(s.probs(zeros(8), { history: h, dry: { multiplier: 1, base: 2 } }), expected(8, { 4: 2, 3: 1 }));
  });

  test('sequence breakers: no repeat reaches back over the latest one', async () => {
    const s = await createSampler({ backend, seed: 1 });
    // A single-token breaker at position 5 (token 2): the repeat may be 1 token long at most.
    close(s.probs(zeros(6), dry({ sequenceBreakers: [[2]] })), expected(6, {}));
    // [4 1] ends at position 4: [2 3] is all the repeat may be.
    close(s.probs(zeros(6), dry({ sequenceBreakers: [[4, 1]] })), expected(6, { 4: 1 }));
    // [1 2] ends latest at position 5; [3 9] and [9] never occur.
    close(s.probs(zeros(6), dry({ sequenceBreakers: [[1, 2]] })), expected(6, {}));
    close(s.probs(zeros(10), dry({ sequenceBreakers: [[3, 9], [9]] })), expected(10, { 4: 1.75 }));
    // Only breakers inside the window count: [4] is before the last 3 tokens… of a window of 6.
    close(s.probs(zeros(6), dry({ lastN: 6, sequenceBreakers: [[1, 2, 3, 4]] })), expected(6, { 4: 1 }));
  });

  test('the latest breaker is the one that ends latest (llama.cpp: that starts latest)', async () => {
    const s = await createSampler({ backend, seed: 1 });
    // [7 8 9] repeats, followed by 1; breaker [5 6 7] ends at position 6, [6] at 5. A repeat may
    // not reach position 6: L(1) = 2 < allowedLength 3. llama.cpp would stop at [6] (it starts
    // later) and allow L = 3.
    const h = [7, 8, 9, 1, 5, 6, 7, 8, 9];
    const params = { history: h, dry: { multiplier: 1, allowedLength: 3, sequenceBreakers: [[5, 6, 7], [6]] } };
    close(s.probs(zeros(10), params), expected(10, {}));
    close(s.probs(zeros(10), { history: h, dry: { ...params.dry, sequenceBreakers: [[6]] } }), expected(10, { 1: 1 }));
  });

  test('a single-token breaker is never penalised; a token of a longer one is', async () => {
    const s = await createSampler({ backend, seed: 1 });
    // [1 2] repeats, then 3 followed it: 3 is a breaker itself, so it keeps its logit.
    const h = [1, 2, 3, 1, 2];
    close(s.probs(zeros(6), { history: h, dry: { multiplier: 1 } }), expected(6, { 3: 1 }));
    close(s.probs(zeros(6), { history: h, dry: { multiplier: 1, sequenceBreakers: [[3]] } }), expected(6, {}));
    // [3 4] ends nowhere in the window: 3 is penalised as usual.
    close(s.probs(zeros(6), { history: h, dry: { multiplier: 1, sequenceBreakers: [[3, 4]] } }), expected(6, { 3: 1 }));
  });

  test('O(history): 200,000 equal tokens in well under a second, the exponent capped', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const h = new Int32Array(200_000).fill(5);
    const t0 = performance.now();
    const p = s.probs(zeros(10), { history: h, dry: { multiplier: 1e-38 } });
    expect(performance.now() - t0).toBeLessThan(backend === 'js' ? 2000 : 1000);
    // L = 199,999; the exponent stops at ⌊88.7228391/ln 1.75⌋ = 158.
    expect(Math.floor(88.7228391 / Math.log(1.75))).toBe(158);
    close(p, expected(10, { 5: 1e-38 * 1.75 ** 158 }));
  });

  test('masked tokens stay masked; a penalty past the float32 range is an error naming DRY', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const x = [0, -Infinity, 1, 2];
    const p = s.probs(x, { history: [1, 1, 1], dry: { multiplier: 5 } });
    expect(p[1]).toBe(0);
    thrown(
      () => s.sample([0, -3e38], { history: [1, 1, 1], dry: { multiplier: 1e38 } }),
      RangeError,
      /^dry pushed logits\[1\] \(-3e\+38\) past the float32 range/,
    );
    expect(s.sample([0, 0])).toBe((await createSampler({ backend, seed: 1 })).sample([0, 0]));
  });

  test('matches the float64 reference over a long looping history at 128,256 tokens', async () => {
    const n = 128_256;
    const h = loopingHistory(n, 1024, 24, 75);
    const x = favouring(makeLogits(n, 'lm', 76), h, 10);
    const params = { history: h, dry: { multiplier: 0.8, sequenceBreakers: [[7], [8, 9]] } };
    const want = reference(x, params);
    const s = await createSampler({ backend, seed: 2 });
    const got = s.probs(x, params);
    let worst = 0;
    for (let i = 0; i < n; i++) if (want.p[i]! > 1e-6) worst = Math.max(worst, Math.abs(got[i]! / want.p[i]! - 1));
    expect(worst).toBeLessThan(1e-5);
    // It bites: some token lost most of its probability.
    const plain = s.probs(x);
    expect(Array.from(got).some((v, i) => plain[i]! > 0.01 && v < plain[i]! / 2)).toBe(true);
  });
});

describe.each(BACKENDS)('%s rejects bad dry parameters, naming them', (backend) => {
  const h = [1, 2, 3];
  rejectsEach(backend, [
    [{ dry: { multiplier: 1 } }, TypeError, /^dry needs the token history: pass params.history/],
    [{ history: h, dry: 0.8 }, TypeError, /^dry must be an object like \{ multiplier, base, .*got 0.8/],
    [{ history: h, dry: [0.8] }, TypeError, /^dry must be an object.*got an array of length 1/],
    [{ history: h, dry: null }, TypeError, /^dry must be an object.*got null/],
    [{ history: h, dry: {} }, TypeError, /^dry needs multiplier/],
    [
      { history: h, dry: { multipler: 1 } },
      TypeError,
      /^unknown dry option 'multipler' \(did you mean 'multiplier'\?\)/,
    ],
    [
      { history: h, dry: { multiplier: 1, dry_base: 2 } },
      TypeError,
      /^unknown dry option 'dry_base' \(did you mean 'base'\?\)/,
    ],
    [{ history: h, dry: { multiplier: 1, allowed_length: 2 } }, TypeError, /did you mean 'allowedLength'/],
    [{ history: h, dry: { multiplier: 1, penaltyLastN: 2 } }, TypeError, /did you mean 'lastN'/],
    [
      { history: h, dry_multiplier: 1 },
      TypeError,
      /^unknown sampling option 'dry_multiplier' \(did you mean 'dry'\?\)/,
    ],
    [
      { history: h, dry: { multiplier: -1 } },
      RangeError,
      /^dry.multiplier must be a finite number ≥ 0 \(0 = off\), got -1/,
    ],
    [{ history: h, dry: { multiplier: Number.NaN } }, RangeError, /^dry.multiplier .*got NaN/],
    [{ history: h, dry: { multiplier: Infinity } }, RangeError, /^dry.multiplier .*got Infinity/],
    [{ history: h, dry: { multiplier: '1' } }, TypeError, /^dry.multiplier must be a number, got "1"/],
    [{ history: h, dry: { multiplier: 1, base: 0.5 } }, RangeError, /^dry.base must be a finite number ≥ 1, got 0.5/],
    [{ history: h, dry: { multiplier: 1, base: Infinity } }, RangeError, /^dry.base .*got Infinity/],
    [{ history: h, dry: { multiplier: 1, base: Number.NaN } }, RangeError, /^dry.base .*got NaN/],
    [{ history: h, dry: { multiplier: 1, base: null } }, TypeError, /^dry.base must be a number, got null/],
    [
      { history: h, dry: { multiplier: 1, allowedLength: 0 } },
      RangeError,
      /^dry.allowedLength must be an integer ≥ 1, got 0/,
    ],
    [{ history: h, dry: { multiplier: 1, allowedLength: 1.5 } }, RangeError, /^dry.allowedLength .*got 1.5/],
    [{ history: h, dry: { multiplier: 1, allowedLength: Infinity } }, RangeError, /^dry.allowedLength .*got Infinity/],
    [{ history: h, dry: { multiplier: 1, allowedLength: '2' } }, TypeError, /^dry.allowedLength must be a number/],
    [
      { history: h, dry: { multiplier: 1, lastN: -2 } },
      RangeError,
      /^dry.lastN must be an integer ≥ -1 \(-1 = all the history, 0 = off\), got -2/,
    ],
    [{ history: h, dry: { multiplier: 1, lastN: 2.5 } }, RangeError, /^dry.lastN .*got 2.5/],
    [{ history: h, dry: { multiplier: 1, lastN: Number.NaN } }, RangeError, /^dry.lastN .*got NaN/],
    [
      { history: h, dry: { multiplier: 1, sequenceBreakers: '\n' } },
      TypeError,
      /^dry.sequenceBreakers must be an array of token-id sequences \(number\[\]\[\]\), got "\\n"/,
    ],
    [
      { history: h, dry: { multiplier: 1, sequenceBreakers: [5] } },
      TypeError,
      /^dry.sequenceBreakers\[0\] must be an array of token ids \(number\[\] or Int32Array\), got 5/,
    ],
    [
      { history: h, dry: { multiplier: 1, sequenceBreakers: [[1], []] } },
      RangeError,
      /^dry.sequenceBreakers\[1\] is empty: a sequence needs at least one token/,
    ],
    [
      { history: h, dry: { multiplier: 1, sequenceBreakers: [[1.5]] } },
      RangeError,
      /^dry.sequenceBreakers\[0\]\[0\] is 1.5, not a token id/,
    ],
    [
      { history: h, dry: { multiplier: 1, sequenceBreakers: [[2, -1]] } },
      RangeError,
      /^dry.sequenceBreakers\[0\]\[1\] is -1, not a token id/,
    ],
    [
      { history: h, dry: { multiplier: 1, sequenceBreakers: [[0], [7, 100]] } },
      RangeError,
      /^dry.sequenceBreakers\[1\]\[1\] is 100, not a token id in \[0, 100\)/,
    ],
    [
      { history: h, dry: { multiplier: 1, sequenceBreakers: [Int32Array.of(3, 100)] } },
      RangeError,
      /^dry.sequenceBreakers\[0\]\[1\] is 100, not a token id in \[0, 100\)/,
    ],
    [
      { history: h, dry: { multiplier: 1, sequenceBreakers: [['\n']] } },
      TypeError,
      /^dry.sequenceBreakers\[0\]\[0\] must be a number, got "\\n"/,
    ],
    [
      { history: h, dry: { multiplier: 1, sequenceBreakers: [new Float32Array(2)] } },
      TypeError,
      /^dry.sequenceBreakers\[0\] must be an array of token ids.*got a Float32Array of length 2/,
    ],
    // Checked even when DRY is off.
    [{ history: h, dry: { multiplier: 0, base: 0 } }, RangeError, /^dry.base must be a finite number ≥ 1, got 0/],
  ]);
});
