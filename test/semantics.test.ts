// The documented rules, each on a case small enough to reason about by hand.
import { describe, expect, test } from 'vitest';
import { samplers } from './support/backends.js';

describe.each(['wasm-simd', 'wasm', 'js'])('%s', async (name) => {
  const s = (await samplers(11)).find((x) => x.backend === name)!;
  const kept = (p: Float32Array) => Array.from(p, (v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);

  test('temperature 0 is argmax, lowest index on ties', () => {
    // The default is temperature 1, not greedy: each of the three tied maxima (p ≈ 0.33) is
    // drawn within 50 draws (missing one has probability < 1e-8).
    const drawn = new Set(Array.from({ length: 50 }, () => s.sample([1, 5, 2, 5, 5])));
    for (const t of [1, 3, 4]) expect(drawn).toContain(t);
    expect(s.sample([1, 5, 2, 5, 5], { temperature: 0 })).toBe(1);
    expect(Array.from(s.probs([1, 5, 2, 5, 5], { temperature: 0 }))).toEqual([0, 1, 0, 0, 0]);
  });

  test('top-k keeps ties at the boundary; topK ≥ n is off', () => {
    expect(kept(s.probs([1, 3, 2, 2, 0], { topK: 2 }))).toEqual([1, 2, 3]);
    expect(kept(s.probs([1, 3, 2, 2, 0], { topK: 5 }))).toEqual([0, 1, 2, 3, 4]);
    expect(kept(s.probs([1, 3, 2, 2, 0], { topK: 50 }))).toEqual([0, 1, 2, 3, 4]);
  });

  test('top-p keeps the smallest prefix reaching the mass, at least one token, ties by index', () => {
    const x = [0, Math.log(4), Math.log(3), Math.log(2)]; // p = .1 .4 .3 .2
    expect(kept(s.probs(x, { topP: 0.35 }))).toEqual([1]);
    expect(kept(s.probs(x, { topP: 0.65 }))).toEqual([1, 2]);
    expect(kept(s.probs(x, { topP: 0.75 }))).toEqual([1, 2, 3]);
    expect(kept(s.probs(x, { topP: 1e-9 }))).toEqual([1]);
    expect(kept(s.probs([2, 2, 2, 2], { topP: 0.5 }))).toEqual([0, 1]);
  });

  test('min-p keeps p ≥ minP · p_max of what top-p left', () => {
    const x = [0, Math.log(4), Math.log(3), Math.log(2)];
    expect(kept(s.probs(x, { minP: 0.5 }))).toEqual([1, 2, 3]);
    expect(kept(s.probs(x, { minP: 0.6 }))).toEqual([1, 2]);
    expect(kept(s.probs(x, { minP: 1 }))).toEqual([1]);
    expect(kept(s.probs(x, { topP: 0.65, minP: 0.5 }))).toEqual([1, 2]);
  });

  test('order: temperature, then top-k, top-p, min-p', () => {
    // At temperature 0.1 the top token has p ≈ 0.88, so top-p 0.6 keeps only it; at
    // temperature 1 it has p ≈ 0.50 and top-p keeps two. Truncation sees the tempered distribution.
    const x = [2, 1.8, 0, -1];
    expect(kept(s.probs(x, { temperature: 1, topP: 0.6 }))).toEqual([0, 1]);
    expect(kept(s.probs(x, { temperature: 0.1, topP: 0.6 }))).toEqual([0]);
    // top-k first: top-p then sees only the two survivors, renormalised.
    expect(kept(s.probs([3, 2, 2.5, 0], { topK: 2, topP: 0.99 }))).toEqual([0, 2]);
  });

  test('-Infinity masks a token: never kept, never drawn', () => {
    const x = [-Infinity, 0, -Infinity, 0.5, -Infinity];
    expect(kept(s.probs(x))).toEqual([1, 3]);
    for (let i = 0; i < 200; i++) expect([1, 3]).toContain(s.sample(x));
    expect(s.sample([-Infinity, 7, -Infinity], { temperature: 0 })).toBe(1);
  });

  test('probs sum to 1 over the kept set', () => {
    const x = Array.from({ length: 999 }, (_, i) => Math.sin(i * 1.7) * 3);
    for (const params of [{}, { topK: 10 }, { topP: 0.5 }, { minP: 0.2 }, { temperature: 3 }]) {
      expect(s.probs(x, params).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });
});
