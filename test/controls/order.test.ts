// `order`: the stages after the edits in the order asked for — 'hf' (the default: temperature
// first, as Hugging Face's generate()), 'llama.cpp' (top-k, typical-p, top-p, min-p, then
// temperature: the truncations see the T = 1 distribution), or the stage names in any order,
// temperature among them once. A stage the params turn on must be named.
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { keptSet } from '../support/compare.js';
import { bits, CHECKED, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { ORDERS, reference } from '../support/reference.js';
import { CASES, TYPICAL_DROPS_TOP } from './order.cases.js';

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

  test('greedy after typical-p (llama.cpp) is the argmax of the typical set, not of the logits', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const x = TYPICAL_DROPS_TOP;
    const argmax = x.indexOf(Math.max(...x));
    const typical = keptSet(reference(x, { typicalP: 0.2 }).p);
    expect(typical).not.toContain(argmax);
    const best = typical.reduce((a, i) => (x[i]! > x[a]! ? i : a));
    expect(s.sample(x, { order: 'llama.cpp', typicalP: 0.2, temperature: 0 })).toBe(best);
    expect(s.sample(x, { typicalP: 0.2, temperature: 0 })).toBe(argmax);
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
        /^order\[1\] is "topk", not a stage \(did you mean 'topK'\?\); stages: temperature, topK, topP, minP, typicalP$/,
      ],
      [{ order: ['temperature', 3] }, RangeError, /^order\[1\] is 3, not a stage; stages: /],
      [{ order: ['temperature', 'topK', 'topK'] }, RangeError, /^order names 'topK' twice$/],
      [{ order: ['topK'] }, RangeError, /^order must name 'temperature' once, got \["topK"\]$/],
      [{ order: [] }, RangeError, /^order must name 'temperature' once, got \[\]$/],
      [
        { order: ['temperature', 'topK', 'topP', 'minP', 'typicalP', 'temperature'] },
        RangeError,
        /^order names 6 stages; there are 5: /,
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
