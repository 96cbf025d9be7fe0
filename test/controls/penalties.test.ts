// Penalties over the token history: Hugging Face's repetition penalty (a seen token's positive
// logit divided by it, a negative one multiplied) and OpenAI's presence and frequency
// penalties (logit −= presence·[count > 0] + frequency·count), over the last penaltyLastN.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS, samplers } from '../support/backends.js';
import { compareProbs } from '../support/compare.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { randomHistory } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';
import { reference } from '../support/reference.js';
import { probTolerance } from '../support/tolerance.js';

const flat = makeLogits(1000, 'flat', 31).map((v) => v * 3);
const peaked = makeLogits(1000, 'peaked', 32).map((v) => v / 4);
const history = randomHistory(1000, 64, 33);
const long = randomHistory(1000, 256, 34);

const CASES: ControlCase[] = [
  { name: 'repetition 1.3 (positive and negative logits)', x: flat, params: { history, repetitionPenalty: 1.3 } },
  {
    name: 'repetition 0.7 (< 1 favours repeats)',
    x: flat,
    params: { history: Array.from(history), repetitionPenalty: 0.7 },
  },
  { name: 'presence 0.8', x: flat, params: { history, presencePenalty: 0.8 } },
  { name: 'frequency 0.4', x: flat, params: { history, frequencyPenalty: 0.4 } },
  {
    name: 'negative presence and frequency (encourage)',
    x: flat,
    params: { history, presencePenalty: -0.5, frequencyPenalty: -0.2 },
  },
  {
    name: 'all three over a 256-token history, last 128, top-p 0.95',
    x: peaked,
    params: {
      history: long,
      penaltyLastN: 128,
      repetitionPenalty: 1.1,
      presencePenalty: 0.3,
      frequencyPenalty: 0.2,
      topP: 0.95,
    },
  },
];

controlSuite('penalties', CASES);

/** softmax in float64. */
const softmax = (u: number[]) => {
  const m = Math.max(...u);
  const e = u.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
};

describe('penalties', () => {
  test.each(BACKENDS)('%s: the documented formulas on a case small enough to check by hand', async (backend) => {
    const s = await createSampler({ backend, seed: 2 });
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

  test('a 256-token history over Llama 3’s vocabulary (128,256) with a mask and a bias: float64, parity', async () => {
    const V = 128_256;
    const x = makeLogits(V, 'peaked', 35);
    const h = randomHistory(V, 256, 36);
    // The ten most likely tokens were generated already, some of them often.
    const top = Array.from(x.keys()).sort((a, b) => x[b]! - x[a]!);
    for (let k = 0; k < 40; k++) h[k * 6] = top[k % 10]!;
    const params = {
      history: h,
      repetitionPenalty: 1.2,
      presencePenalty: 0.5,
      frequencyPenalty: 0.1,
      logitBias: { [h[0]!]: 4, 7: -Infinity },
      temperature: 0.7,
      topK: 40,
    };
    const want = reference(x, params);
    expect(want.ambiguous).toBe(false);
    const all = await samplers(37);
    const probs = all.map((s) => s.probs(x, params));
    expect(compareProbs(probs[0]!, want)).toBeLessThan(probTolerance(want));
    expect(probs[1]).toEqual(probs[0]);
    expect(probs[2]).toEqual(probs[0]);
    // The penalties bite: the top token of the unpenalised distribution lost most of its mass.
    const before = reference(x, { temperature: 0.7, topK: 40 }).p;
    expect(want.p[top[0]!]).toBeLessThan(before[top[0]!]! / 2);
  });

  test.each(BACKENDS)(
    '%s: penalties on masked tokens keep them masked; the history may hold any token',
    async (backend) => {
      const s = await createSampler({ backend, seed: 3 });
      const x = [-Infinity, 1, 2, -Infinity];
      const p = s.probs(x, { history: [0, 0, 3, 1], repetitionPenalty: 0.5, frequencyPenalty: -100 });
      expect(p[0]).toBe(0);
      expect(p[3]).toBe(0);
      expect(p[1]! + p[2]!).toBeCloseTo(1, 6);
    },
  );

  describe.each(BACKENDS)('%s rejects bad penalty parameters, naming them', (backend) => {
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
      const s = await createSampler({ backend, seed: 1 });
      const x = makeLogits(100, 'flat', 1);
      expect(() => s.sample(x, params as never)).toThrow(type);
      expect(() => s.probs(x, params as never)).toThrow(message);
      expect(() => s.sampleDetailed(x, params as never)).toThrow(message);
      expect(s.sample(x)).toBe((await createSampler({ backend, seed: 1 })).sample(x));
    });
  });
});
