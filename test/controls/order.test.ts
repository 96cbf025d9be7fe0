// `order`: the stages after the edits in the order asked for — 'hf' (the default: temperature
// first, as Hugging Face's generate()), 'llama.cpp' (top-nσ, top-k, typical-p, top-p, min-p,
// then temperature: the truncations see the T = 1 distribution), or the stage names in any
// order, temperature among them once. A stage the params turn on must be named.
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { keptSet } from '../support/compare.js';
import { bits, CHECKED, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { ORDERS, softmax } from '../support/reference.js';
import { CASES } from './order.cases.js';

controlSuite('order', CASES);

describe('order', () => {
  test('temperature first (hf): the truncations see the tempered distribution; last (llama.cpp): T = 1', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 11 });
    // At temperature 0.1 the top token has p ≈ 0.88, so top-p 0.6 keeps only it; at
    // temperature 1 it has p ≈ 0.50 and top-p keeps two.
    const x = [2, 1.8, 0, -1];
    expect(keptSet(s.probs(x, { temperature: 1, topP: 0.6 }))).toEqual([0, 1]);
    expect(keptSet(s.probs(x, { temperature: 0.1, topP: 0.6 }))).toEqual([0]);
    expect(keptSet(s.probs(x, { temperature: 0.1, topP: 0.6, order: 'llama.cpp' }))).toEqual([0, 1]);
    // Then temperature 0.1 over the two kept: softmax([2, 1.8] / 0.1) in float64.
    const p = s.probs(x, { temperature: 0.1, topP: 0.6, order: 'llama.cpp' });
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    // top-k first: top-p then sees only the two survivors, renormalised.
    expect(keptSet(s.probs([3, 2, 2.5, 0], { topK: 2, topP: 0.99 }))).toEqual([0, 2]);
  });

  test("'hf' is the default, and a named order is its stage list: the same bits", async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const x = makeLogits(3000, 'flat', 7).map((v) => v * 4);
    for (const params of [
      { temperature: 0.7, topK: 40, topP: 0.9 },
      { temperature: 1.3, minP: 0.05, typicalP: 0.9 },
      { dynamicTemperature: { min: 0.5, max: 1.5 }, topP: 0.8, topK: 100 },
      { temperature: 0 },
    ] as SamplingParams[]) {
      const plain = bits(s.probs(x, params));
      expect(bits(s.probs(x, { ...params, order: 'hf' }))).toEqual(plain);
      expect(bits(s.probs(x, { ...params, order: ORDERS.hf }))).toEqual(plain);
      expect(bits(s.probs(x, { ...params, order: 'llama.cpp' }))).toEqual(
        bits(s.probs(x, { ...params, order: ORDERS['llama.cpp'] })),
      );
    }
  });

  test("the README's example: top-p 0.8 at temperature 0.5 keeps one token first, two last", async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const x = [2, 1, 0, -1];
    // hf: temperature first, then top-p on [0.8650, 0.1171, …]: token 0 alone reaches 0.8.
    const hot = softmax(x, 0.5);
    expect(hot[0]).toBeGreaterThanOrEqual(0.8);
    expect(Array.from(s.probs(x, { temperature: 0.5, topP: 0.8 }))).toEqual([1, 0, 0, 0]);
    expect(Array.from(s.probs(x, { temperature: 0.5, topP: 0.8, order: 'hf' }))).toEqual([1, 0, 0, 0]);
    // llama.cpp: top-p on the T = 1 distribution keeps tokens 0 and 1, then temperature 0.5.
    const cold = softmax(x, 1);
    expect(cold[0]!).toBeLessThan(0.8);
    expect(cold[0]! + cold[1]!).toBeGreaterThanOrEqual(0.8);
    const want = softmax([2, 1], 0.5);
    const got = s.probs(x, { temperature: 0.5, topP: 0.8, order: 'llama.cpp' });
    expect(got[0]).toBeCloseTo(want[0]!, 6);
    expect(got[1]).toBeCloseTo(want[1]!, 6);
    expect([got[2], got[3]]).toEqual([0, 0]);
    // An explicit array means the same as the name it spells.
    const spelled = ['topNSigma', 'topK', 'typicalP', 'topP', 'minP', 'temperature'] as const;
    expect(s.probs(x, { temperature: 0.5, topP: 0.8, order: spelled })).toEqual(got);
  });

  test('min-p before temperature is min-p at T = 1; after it, at T', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 2 });
    const x = makeLogits(2000, 'lm', 61);
    const m = Math.max(...x);
    // p ≥ minP·p_max at temperature T: x ≥ max + T·ln(minP).
    const at = (T: number) =>
      Array.from(x, (v, i) => [v, i] as const)
        .filter(([v]) => v >= m + T * Math.log(0.1))
        .map(([, i]) => i);
    expect(keptSet(s.probs(x, { temperature: 3, minP: 0.1 }))).toEqual(at(3));
    expect(keptSet(s.probs(x, { temperature: 3, minP: 0.1, order: ['minP', 'temperature'] }))).toEqual(at(1));
    expect(at(3).length).toBeGreaterThan(at(1).length);
  });

  test('greedy after truncations takes the argmax of what they kept', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 3 });
    // typical-p drops the most likely token here (see typical.test.ts): greedy after it cannot
    // pick token 0; greedy first does.
    const x = [0.4, 0.15, 0.15, 0.15, 0.15].map(Math.log);
    expect(s.sample(x, { temperature: 0, typicalP: 0.5 })).toBe(0);
    expect(s.sample(x, { temperature: 0, typicalP: 0.5, order: 'llama.cpp' })).toBe(1);
    expect(Array.from(s.probs(x, { temperature: 0, typicalP: 0.5, order: 'llama.cpp' }))).toEqual([0, 1, 0, 0, 0]);
  });

  test('dynamic temperature after top-k measures the entropy of the k kept', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 4 });
    const x = makeLogits(3000, 'lm', 62);
    const params = { topK: 20, dynamicTemperature: { min: 0.2, max: 2 } };
    const first = s.sampleDetailed(x, params).temperature;
    const last = s.sampleDetailed(x, { ...params, order: 'llama.cpp' as const }).temperature;
    const top = Array.from(x)
      .sort((a, b) => b - a)
      .slice(0, 20);
    const q = softmax(top, 1);
    const H = -q.reduce((t, v) => t + v * Math.log(v), 0);
    // The entropy is summed in float32 by the kernels: 1e-7 relative.
    expect(last).toBeCloseTo(0.2 + 1.8 * Math.min(1, H / Math.log(20)), 6);
    expect(first).not.toBe(last);
  });

  describe('rejects a bad order, naming it', () => {
    const x = makeLogits(100, 'flat', 1);
    test.each([
      [{ order: 5 }, TypeError, /^order must be 'hf', 'llama.cpp' or an array of stage names, got 5$/],
      [{ order: null }, TypeError, /^order must be .*, got null$/],
      [{ order: {} }, TypeError, /^order must be .*, got an object$/],
      [{ order: 'HF' }, RangeError, /^order must be .*, got "HF" \(did you mean 'hf'\?\)$/],
      [
        { order: ['temperature', 'topk'] },
        RangeError,
        /^order\[1\] is "topk", not a stage \(did you mean 'topK'\?\); stages: temperature, topNSigma, topK, topP, minP, typicalP, epsilon, eta, pLess, xtc$/,
      ],
      [{ order: ['temperature', 3] }, RangeError, /^order\[1\] is 3, not a stage; stages: /],
      [{ order: ['temperature', 'topK', 'topK'] }, RangeError, /^order names 'topK' twice$/],
      [{ order: ['topK'] }, RangeError, /^order must name 'temperature' once, got \["topK"\]$/],
      [{ order: [] }, RangeError, /^order must name 'temperature' once, got \[\]$/],
      [
        {
          order: [
            'temperature',
            'topNSigma',
            'topK',
            'topP',
            'minP',
            'typicalP',
            'epsilon',
            'eta',
            'pLess',
            'xtc',
            'topK',
          ],
        },
        RangeError,
        /^order names 11 stages; there are 10: /,
      ],
      [{ order: 'llama' }, RangeError, /^order must be .*, got "llama" \(did you mean 'llama\.cpp'\?\)$/],
      [{ order: 'llamacpp' }, RangeError, /^order must be .*, got "llamacpp" \(did you mean 'llama\.cpp'\?\)$/],
      [{ order: 'HF' }, RangeError, /^order must be .*, got "HF" \(did you mean 'hf'\?\)$/],
      // A setting or an edit is named as what it is: no stage is close to it.
      [
        { order: ['minKeep', 'temperature'] },
        RangeError,
        /^order\[0\] is "minKeep", not a stage \(a setting every truncation applies, which order does not place\); stages: /,
      ],
      [
        { order: ['temperature', 'logitBias'] },
        RangeError,
        /^order\[1\] is "logitBias", not a stage \(an edit: the edits always run before the stages\); stages: /,
      ],
      [
        { order: ['temperature', 'top_k'] },
        RangeError,
        /^order\[1\] is "top_k", not a stage \(did you mean 'topK'\?\)/,
      ],
      // A stage's params and their other spellings point at the stage.
      [{ order: ['temp'] }, RangeError, /^order\[0\] is "temp", not a stage \(did you mean 'temperature'\?\)/],
      [
        { order: ['temperature', 'epsilonCutoff'] },
        RangeError,
        /^order\[1\] is "epsilonCutoff", not a stage \(did you mean 'epsilon'\?\)/,
      ],
      [
        { order: ['dynamicTemperature'] },
        RangeError,
        /^order\[0\] is "dynamicTemperature", not a stage \(did you mean 'temperature'\?\)/,
      ],
      [{ order: ['temperature'], topP: 0.9 }, TypeError, /^topP is set but order does not name 'topP'$/],
      [
        { order: ['temperature', 'topK'], typicalP: 1 },
        TypeError,
        /^typicalP is set but order does not name 'typicalP'$/,
      ],
    ])('%o', async (params, type, message) => {
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      expect(() => s.sample(x, params as never)).toThrow(type);
      expect(() => s.probs(x, params as never)).toThrow(message);
      expect(() => s.sampleDetailed(x, params as never)).toThrow(message);
      expect(s.sample(x)).toBe((await createSampler({ backend: CHECKED, seed: 1 })).sample(x));
    });
  });
});
