// Penalties over the token history: Hugging Face's repetition penalty (a seen token's positive
// logit divided by it, a negative one multiplied) and OpenAI's presence and frequency
// penalties (logit −= presence·[count > 0] + frequency·count), over the last penaltyLastN.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { CHECKED, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { reference } from '../support/reference.js';
import { CASES, LLAMA, LLAMA_TOP } from './penalties.cases.js';

controlSuite('penalties', CASES);

/** softmax in float64. */
const softmax = (u: number[]) => {
  const m = Math.max(...u);
  const e = u.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
};

describe('penalties', () => {
  test('the documented formulas on a case small enough to check by hand', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 2 });
    const x = [2, -2, 0.5, 1, 0];
    // history: token 0 once, token 1 twice, token 4 once (logit 0 stays 0 under repetition)
    const h = [0, 1, 1, 4];
    const rep = s.probs(x, { history: h, repetitionPenalty: 2 });
    for (const [i, want] of softmax([1, -4, 0.5, 1, 0]).entries()) expect(rep[i]).toBeCloseTo(want, 6);
    const openai = s.probs(x, { history: h, presencePenalty: 0.5, frequencyPenalty: 0.25 });
    for (const [i, want] of softmax([2 - 0.75, -2 - 1, 0.5, 1, 0 - 0.75]).entries())
      expect(openai[i]).toBeCloseTo(want, 6);
    // The window: only the last token (4) counts.
    const window = s.probs(x, { history: h, penaltyLastN: 1, presencePenalty: 3 });
    for (const [i, want] of softmax([2, -2, 0.5, 1, -3]).entries()) expect(window[i]).toBeCloseTo(want, 6);
    // penaltyLastN 0, or penalties at their neutral values: no change at all.
    const plain = s.probs(x);
    expect(s.probs(x, { history: h, penaltyLastN: 0, presencePenalty: 3 })).toEqual(plain);
    expect(s.probs(x, { history: h, repetitionPenalty: 1, presencePenalty: 0, frequencyPenalty: 0 })).toEqual(plain);
    expect(s.probs(x, { history: [], frequencyPenalty: 1 })).toEqual(plain);
  });

  test('the penalties bite: the unpenalised top token loses most of its mass (128,256 tokens)', () => {
    const { temperature, topK } = LLAMA.params;
    const want = reference(LLAMA.x, LLAMA.params);
    const before = reference(LLAMA.x, { temperature, topK }).p;
    expect(want.p[LLAMA_TOP[0]!]).toBeLessThan(before[LLAMA_TOP[0]!]! / 2);
  });

  test('penalties on masked tokens keep them masked; the history may hold any token', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 3 });
    const x = [-Infinity, 1, 2, -Infinity];
    const p = s.probs(x, { history: [0, 0, 3, 1], repetitionPenalty: 0.5, frequencyPenalty: -100 });
    expect(p[0]).toBe(0);
    expect(p[3]).toBe(0);
    expect(p[1]! + p[2]!).toBeCloseTo(1, 6);
  });

  describe('rejects bad penalty parameters, naming them', () => {
    const h = [1, 2, 3];
    test.each([
      [{ repetitionPenalty: 1.2 }, TypeError, /need the token history: pass params.history/],
      [{ presencePenalty: 0.5 }, TypeError, /need the token history/],
      [{ frequencyPenalty: 0.5, penaltyLastN: 8 }, TypeError, /need the token history/],
      [{ history: h, repetitionPenalty: 0 }, RangeError, /repetitionPenalty must be > 0.*got 0/],
      [{ history: h, repetitionPenalty: -1 }, RangeError, /repetitionPenalty.*got -1/],
      [{ history: h, repetitionPenalty: Number.NaN }, RangeError, /repetitionPenalty.*got NaN/],
      [{ history: h, repetitionPenalty: Infinity }, RangeError, /repetitionPenalty.*got Infinity/],
      [{ history: h, repetitionPenalty: 1e-50 }, RangeError, /repetitionPenalty.*got 1e-50/],
      [{ history: h, repetitionPenalty: '1.2' }, TypeError, /repetitionPenalty must be a number, got "1.2"/],
      [{ history: h, presencePenalty: Number.NaN }, RangeError, /presencePenalty must be a finite number, got NaN/],
      [{ history: h, presencePenalty: -Infinity }, RangeError, /presencePenalty.*got -Infinity/],
      [{ history: h, presencePenalty: 1e39 }, RangeError, /presencePenalty.*got 1e\+39/],
      [
        { history: h, frequencyPenalty: Infinity },
        RangeError,
        /frequencyPenalty must be a finite number, got Infinity/,
      ],
      [{ history: h, frequencyPenalty: null }, TypeError, /frequencyPenalty must be a number, got null/],
      [{ history: h, presencePenalty: 1, penaltyLastN: -1 }, RangeError, /penaltyLastN must be an integer ≥ 0, got -1/],
      [{ history: h, presencePenalty: 1, penaltyLastN: 2.5 }, RangeError, /penaltyLastN.*got 2.5/],
      [{ history: h, presencePenalty: 1, penaltyLastN: Number.NaN }, RangeError, /penaltyLastN.*got NaN/],
      [{ history: h, presencePenalty: 1, penaltyLastN: '8' }, TypeError, /penaltyLastN must be a number, got "8"/],
      [
        { history: new Float32Array(3), presencePenalty: 1 },
        TypeError,
        /history must be an Int32Array or number\[\].*got a Float32Array/,
      ],
      [{ history: '1,2,3', presencePenalty: 1 }, TypeError, /history must be.*got "1,2,3"/],
      [{ history: [1, 100], presencePenalty: 1 }, RangeError, /history\[1\] is 100, not a token id in \[0, 100\)/],
      [{ history: [1, -1], presencePenalty: 1 }, RangeError, /history\[1\] is -1/],
      [{ history: [1.5], presencePenalty: 1 }, RangeError, /history\[0\] is 1.5/],
      [{ history: [1, '2'], presencePenalty: 1 }, TypeError, /history\[1\] must be a number, got "2"/],
      [{ history: Int32Array.of(0, 100), frequencyPenalty: 1 }, RangeError, /history\[1\] is 100/],
    ])('%o', async (params, type, message) => {
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      const x = makeLogits(100, 'flat', 1);
      expect(() => s.sample(x, params as never)).toThrow(type);
      expect(() => s.probs(x, params as never)).toThrow(message);
      expect(() => s.sampleDetailed(x, params as never)).toThrow(message);
      expect(s.sample(x)).toBe((await createSampler({ backend: CHECKED, seed: 1 })).sample(x));
    });
  });
});
