// `temperature`: softmax(logits / T). 0 is greedy (the argmax, lowest index on ties); 1 the
// model's own distribution; below 1 sharpens, above flattens. Extreme values are exact where
// float32 allows: below T ≈ 4.2e-39 the kernels rescale the logits by a power of two; above
// 1e38 log2(e)/T is subnormal.
import { describe, expect, test } from 'vitest';
import { createSampler, type Sampler } from '../../src/index.js';
import { keptSet } from '../support/compare.js';
import { CHECKED, controlSuite, rejectsBadValues } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { reference, softmax } from '../support/reference.js';
import { chiSquare, criticalZ } from '../support/stats.js';
import { CASES } from './temperature.cases.js';

controlSuite('temperature', CASES);

describe('temperature', () => {
  let s: Sampler;
  const sampler = async () => {
    s ??= await createSampler({ backend: CHECKED, seed: 11 });
    return s;
  };

  test.each([
    [[1, 2], 1],
    [[1, 2], 0.5],
    [[3, 1, 0, -1], 1],
    [[3, 1, 0, -1], 0.5],
    [[3, 1, 0, -1], 2],
    [[2, 1, 0, -1], 0.5],
  ])('worked example: softmax(%j / %d), recomputed in float64', async (u, t) => {
    const got = (await sampler()).probs(u, { temperature: t });
    for (const [i, want] of softmax(u, t).entries()) expect(got[i]).toBeCloseTo(want, 6);
  });

  test('limits: τ → 0 tends to one-hot, τ → ∞ to uniform', async () => {
    const u = [3, 1, 0, -1];
    const cold = (await sampler()).probs(u, { temperature: 0.01 });
    expect(cold[0]).toBeCloseTo(1, 12);
    const hot = (await sampler()).probs(u, { temperature: 1e6 });
    for (const v of hot) expect(v).toBeCloseTo(0.25, 5);
  });

  test('temperature 0 is the argmax, lowest index on ties; the default 1 is not greedy', async () => {
    const s = await sampler();
    // Each of the three tied maxima (p ≈ 0.33) is drawn within 50 draws (missing one has
    // probability < 1e-8).
    const drawn = new Set(Array.from({ length: 50 }, () => s.sample([1, 5, 2, 5, 5])));
    for (const t of [1, 3, 4]) expect(drawn).toContain(t);
    expect(s.sample([1, 5, 2, 5, 5], { temperature: 0 })).toBe(1);
    expect(Array.from(s.probs([1, 5, 2, 5, 5], { temperature: 0 }))).toEqual([0, 1, 0, 0, 0]);
  });

  test('the statistic does reject a wrong distribution (temperature 0.9 drawn, 1.0 claimed)', async () => {
    // The chi-square fits above could pass by being blind: the same 50,000 draws they use, at a
    // temperature 10% off, must fail the strictest cut of this file.
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const draws = 50_000;
    const x = makeLogits(300, 'flat', 1).map((v) => v * 4);
    const counts = new Float64Array(x.length);
    for (let i = 0; i < draws; i++) counts[s.sample(x, { temperature: 0.9 })]!++;
    expect(chiSquare(counts, reference(x, {}).p, draws).z).toBeGreaterThan(criticalZ(1e-3 / CASES.length));
  });

  describe('a huge temperature over logits far apart', () => {
    // softmax((x − max)/T) in float64. For T ≥ 1e38 the kernels' log2(e)/T is a subnormal
    // float32 (down to 2^-149): z = (x − max)·c is then off by at most |x − max|·2^-150 ≈ 5e-7,
    // which moves a probability by less than 1e-7. Hence an absolute tolerance of 1e-6.
    const expected = (x: number[], T: number) => softmax(x.map(Math.fround), T);

    test('temperature 1e40, logits 6e38 apart: ≈ [0.515, 0.485] as in float64', async () => {
      const x = [3e38, -3e38];
      const want = expected(x, 1e40);
      expect(want[0]).toBeCloseTo(0.515, 3);
      const got = (await sampler()).probs(x, { temperature: 1e40 });
      expect(Math.abs(got[0]! - want[0]!)).toBeLessThan(1e-6);
      expect(Math.abs(got[1]! - want[1]!)).toBeLessThan(1e-6);
    });

    test('T from 1e38 to 1e300 over the whole float32 range, with top-p and min-p', async () => {
      const s = await sampler();
      const x = [3.4028234663852886e38, 1e38, 0, -1e38, -3.4028234663852886e38];
      for (const T of [1e38, 1e39, 1e40, 1e41, 1e45, 1e300]) {
        const want = expected(x, T);
        const got = s.probs(x, { temperature: T });
        for (let i = 0; i < x.length; i++) expect(Math.abs(got[i]! - want[i]!), `T=${T} [${i}]`).toBeLessThan(1e-6);
        // Kept sets of top-p and min-p follow the float64 probabilities (none is near a cut).
        const order = want.map((_, i) => i).sort((a, b) => want[b]! - want[a]! || a - b);
        let acc = 0;
        const prefix: number[] = [];
        for (const i of order) {
          if (acc >= 0.5) break;
          prefix.push(i);
          acc += want[i]!;
        }
        if (Math.abs(acc - 0.5) > 1e-3)
          expect(keptSet(s.probs(x, { temperature: T, topP: 0.5 }))).toEqual(prefix.sort());
        const wmax = Math.max(...want);
        const minP = want.map((w, i) => (w >= 0.9 * wmax ? i : -1)).filter((i) => i >= 0);
        if (want.every((w) => Math.abs(w / wmax - 0.9) > 1e-3)) {
          expect(keptSet(s.probs(x, { temperature: T, minP: 0.9 }))).toEqual(minP);
        }
      }
    });

    // The regression of hugeTemperatureTinyMax (fixed in 7602d32).
    test('temperature 1e30 over logits [0, −1] and [0]', async () => {
      const s = await sampler();
      expect(Array.from(s.probs([0, -1], { temperature: 1e30 }))).toEqual([0.5, 0.5]);
      expect([0, 1]).toContain(s.sample([0, -1], { temperature: 1e30 }));
      expect(s.sample([0], { temperature: 1e30 })).toBe(0);
    });
  });

  // Below T = log2(e)/3.4e38 ≈ 4.2e-39, c = log2(e)/T leaves the float32 range; the kernels
  // then scale the logits up by a power of two (as far as the largest logit allows) and c
  // down by it, so gaps between tiny logits keep their weight.
  test('a temperature below 4.2e-39 over gaps below 1.6e-37 follows float64', async () => {
    const s = await sampler();
    for (const [x, T] of [
      [[1e-45, 0], 1e-45],
      [[1e-38, 0], 1e-45],
      [[1e-40, 0, -1e-40], 1e-40],
    ] as const) {
      const want = softmax(
        x.map((v) => Math.fround(v) / T),
        1,
      );
      const got = s.probs([...x], { temperature: T });
      for (let i = 0; i < x.length; i++) expect(Math.abs(got[i]! - want[i]!), `${x} T=${T} [${i}]`).toBeLessThan(1e-6);
    }
  });

  // README, Numerical notes: temperatures below about 5e-77 act as 5e-77, still the argmax
  // unless logits differ by less than that — which float32 logits cannot (2^-149 apart at least).
  test('a temperature below 5e-77, down to the smallest double: the argmax, tied maxima shared', async () => {
    const s = await sampler();
    const bits = (p: Float32Array) => Array.from(new Uint32Array(p.buffer));
    for (const [x, want] of [
      [
        [0, 2 ** -149, 2 ** -149, -1],
        [0, 0.5, 0.5, 0],
      ],
      [
        [1e-40, 0, -1e-40],
        [1, 0, 0],
      ],
      [
        [3e38, 3e38 - 1e31, -3e38],
        [1, 0, 0],
      ],
    ] as const) {
      const at = bits(s.probs([...x], { temperature: 5e-77 }));
      expect(Array.from(s.probs([...x], { temperature: 5e-77 }))).toEqual(want);
      for (const temperature of [1e-80, 1e-300, 5e-324]) {
        expect(bits(s.probs([...x], { temperature })), `T = ${temperature}`).toEqual(at);
      }
    }
  });

  rejectsBadValues(
    'temperature',
    [
      [-1, RangeError, /temperature must be a finite number ≥ 0.*got -1/],
      [Number.NaN, RangeError, /temperature.*got NaN/],
      [Infinity, RangeError, /temperature.*got Infinity/],
      ['0.7', TypeError, /temperature must be a number, got "0.7"/],
    ],
    'temp',
  );
});
