// `topNSigma`: top-nσ (Tang et al. 2024; llama.cpp --top-n-sigma) — keep the tokens whose
// logit is ≥ max − n·σ, σ the population standard deviation of the finite logits the stage
// receives. Dividing by a temperature scales max − x and σ alike: the cut is the same at any T.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { keptSet } from '../support/compare.js';
import { CHECKED, controlSuite, rejectsBadValues } from '../support/control-suite.js';
import { reference } from '../support/reference.js';
import { CASES, LM as lm } from './top-n-sigma.cases.js';

controlSuite('top-nσ', CASES);

describe('top-nσ', () => {
  // llama.cpp tests/test-sampling.cpp feeds log(p) for p = 0.1 … 0.4: mean −1.508, σ 0.521,
  // so n = 1 keeps ln 0.3 and ln 0.4, and n = 3 keeps all four.
  const x = [0.1, 0.2, 0.3, 0.4].map(Math.log);
  const sigma = () => {
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    return Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
  };

  test("llama.cpp's published cases, and n ≤ 0 is off", async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const m = Math.max(...x);
    expect(x.filter((v) => v >= m - sigma()).length).toBe(2);
    const p = s.probs(x, { topNSigma: 1 });
    const want = reference(x, { topNSigma: 1 }).p;
    for (let i = 0; i < 4; i++) expect(p[i]).toBeCloseTo(want[i]!, 6);
    expect(keptSet(p)).toEqual([2, 3]);
    expect(keptSet(s.probs(x, { topNSigma: 3 }))).toEqual([0, 1, 2, 3]);
    expect(s.probs(x, { topNSigma: 0 })).toEqual(s.probs(x));
    expect(s.probs(x, { topNSigma: -2 })).toEqual(s.probs(x));
  });

  test('the same kept set at every temperature and in either order', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 2 });
    const want = keptSet(s.probs(lm, { topNSigma: 1.2 }));
    expect(want.length).toBeGreaterThan(1);
    expect(want.length).toBeLessThan(lm.length / 10);
    // (Not far below 0.2: the second token's probability would round to 0, kept or not.)
    for (const temperature of [0.25, 0.5, 2, 40]) {
      for (const order of ['hf', 'llama.cpp'] as const) {
        expect(keptSet(s.probs(lm, { topNSigma: 1.2, temperature, order })), `T ${temperature} ${order}`).toEqual(want);
      }
    }
    // Greedy keeps the argmax whatever n is.
    expect(s.sample(lm, { topNSigma: 0.01, temperature: 0 })).toBe(lm.indexOf(Math.max(...lm)));
  });

  test('σ is that of what the stage receives (after top-k when it comes later)', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 3 });
    // Evenly spread logits: σ of all 1,000 is 2.9, of the top 40 only 0.12, so after top-k
    // the same n keeps fewer of them.
    const even = Float32Array.from({ length: 1000 }, (_, i) => ((i * 7) % 1000) / 100);
    const after = keptSet(s.probs(even, { topK: 40, topNSigma: 1, order: ['topK', 'topNSigma', 'temperature'] }));
    const first = keptSet(s.probs(even, { topK: 40, topNSigma: 1, order: ['topNSigma', 'topK', 'temperature'] }));
    expect(first.length).toBe(40);
    const top40 = Array.from(even)
      .map((v, i) => [v, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 40);
    const mean = top40.reduce((t, [v]) => t + v, 0) / 40;
    const sd = Math.sqrt(top40.reduce((t, [v]) => t + (v - mean) ** 2, 0) / 40);
    const want = top40
      .filter(([v]) => v >= top40[0]![0] - sd)
      .map(([, i]) => i)
      .sort((a, b) => a - b);
    expect(after).toEqual(want);
    expect(first.length).toBeGreaterThan(after.length);
  });

  test('all-equal logits (σ = 0) keep every tie at the maximum', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 4 });
    const flat = new Float32Array(130).fill(1.5);
    flat[7] = -Infinity;
    expect(keptSet(s.probs(flat, { topNSigma: 1 }))).toEqual(
      Array.from({ length: 130 }, (_, i) => i).filter((i) => i !== 7),
    );
  });

  rejectsBadValues(
    'topNSigma',
    [
      [Number.NaN, RangeError, /topNSigma must be a finite number, got NaN/],
      [Infinity, RangeError, /topNSigma must be a finite number, got Infinity/],
      [-Infinity, RangeError, /topNSigma.*got -Infinity/],
      ['1', TypeError, /topNSigma must be a number, got "1"/],
    ],
    'top_n_sigma',
  );
});
