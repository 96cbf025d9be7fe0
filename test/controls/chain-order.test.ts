// `order`: the stages after the edits run in Hugging Face's order by default (temperature
// first), in llama.cpp's with order: 'llama.cpp' (temperature last: the truncations see the
// T = 1 distribution), or in any order given as stage names.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { makeLogits } from '../support/data.js';

/** softmax(x / T) in float64. */
const softmax = (x: number[], T: number) => {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp((v - m) / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe.each(BACKENDS)('order (%s)', (backend) => {
  test("the README's example: top-p 0.8 at temperature 0.5 keeps one token first, two last", async () => {
    const s = await createSampler({ backend, seed: 1 });
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
    const s = await createSampler({ backend, seed: 2 });
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
    const s = await createSampler({ backend, seed: 3 });
    // typical-p drops the most likely token here (see typical.test.ts): greedy after it cannot
    // pick token 0; greedy first does.
    const x = [0.4, 0.15, 0.15, 0.15, 0.15].map(Math.log);
    expect(s.sample(x, { temperature: 0, typicalP: 0.5 })).toBe(0);
    expect(s.sample(x, { temperature: 0, typicalP: 0.5, order: 'llama.cpp' })).toBe(1);
    expect(Array.from(s.probs(x, { temperature: 0, typicalP: 0.5, order: 'llama.cpp' }))).toEqual([0, 1, 0, 0, 0]);
  });

  test('dynamic temperature after top-k measures the entropy of the k kept', async () => {
    const s = await createSampler({ backend, seed: 4 });
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

  test('a bad order is a clear error, with a suggestion', async () => {
    const s = await createSampler({ backend, seed: 5 });
    const x = [1, 2, 3];
    expect(() => s.sample(x, { order: 'llama' as never })).toThrow(/order must be 'hf', 'llama.cpp'.*got "llama"/);
    expect(() => s.sample(x, { order: ['topK', 'temperature', 'topK'] })).toThrow(/order names 'topK' twice/);
    expect(() => s.sample(x, { order: ['topK'] })).toThrow(/order must name 'temperature' once/);
    expect(() => s.sample(x, { order: ['temperature', 'top_k' as never] })).toThrow(
      /order\[1\] is "top_k", not a stage \(did you mean 'topK'\?\)/,
    );
    expect(() => s.sample(x, { order: ['temperature'], topP: 0.9 })).toThrow(
      /topP is set but order does not name 'topP'/,
    );
    expect(() => s.sample(x, { order: 7 as never })).toThrow(TypeError);
  });
});
