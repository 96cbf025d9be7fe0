// `minKeep` (llama.cpp min_keep, HF min_tokens_to_keep): no truncation stage keeps fewer than
// minKeep of the tokens it receives. On the logits (top-k, top-nσ) the top minKeep, ties kept as
// top-k keeps them; on the distribution (top-p, min-p, typical-p, ε, η, p-less) the first
// minKeep in the stage's own order — probability descending, or for typical-p closeness to the
// entropy — ties by token. 0 (the default) and 1 alike keep at least one token everywhere.
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { reference } from '../support/reference.js';
import { thrown } from '../support/thrown.js';

const lm = makeLogits(3000, 'lm', 101);
const lm2 = makeLogits(4000, 'lm', 102);
const peaked = makeLogits(3000, 'peaked', 103);

const CASES: ControlCase[] = [
  { name: 'top-p 0.3 keeps 10', x: lm, params: { topP: 0.3, minKeep: 10 } },
  { name: 'min-p 0.5 keeps 8 (first on the logits)', x: lm, params: { minP: 0.5, minKeep: 8 } },
  { name: 'typical-p 0.2 keeps 6, in its own order', x: lm2, params: { typicalP: 0.2, minKeep: 6 } },
  { name: 'top-k 3 keeps 12', x: lm, params: { topK: 3, minKeep: 12 } },
  { name: 'top-nσ 0.5 keeps 15', x: lm2, params: { topNSigma: 0.5, minKeep: 15, temperature: 1.4 } },
  { name: 'ε 0.05 keeps 5', x: lm2, params: { epsilonCutoff: 0.05, minKeep: 5 } },
  {
    name: "η 0.2 keeps 7, llama.cpp's order",
    x: lm,
    params: { etaCutoff: 0.2, minKeep: 7, temperature: 0.8, order: 'llama.cpp' },
  },
  { name: 'p-less keeps 9', x: peaked, params: { pLess: true, minKeep: 9, temperature: 3 } },
  {
    name: "llama.cpp's chain with minKeep 25",
    x: lm2,
    params: { topK: 100, topP: 0.5, minP: 0.2, minKeep: 25, temperature: 0.8, order: 'llama.cpp' },
  },
  { name: 'minKeep 2 binds nowhere', x: lm, params: { topK: 50, topP: 0.95, minKeep: 2 } },
];

controlSuite('minKeep', CASES);

describe('minKeep', () => {
  test('each case keeps exactly what minKeep asks where the stage alone keeps fewer', () => {
    for (const c of CASES.slice(0, 9)) {
      const alone = keptSet(reference(c.x, { ...c.params, minKeep: undefined }).p).length;
      const kept = keptSet(reference(c.x, c.params).p).length;
      expect(alone, c.name).toBeLessThan(c.params.minKeep!);
      // top-k and top-nσ keep ties at the boundary; LM-like logits have none here.
      expect(kept, c.name).toBe(c.params.minKeep);
    }
  });

  test.each(BACKENDS)('%s: 0 and 1 are the default; a stage never keeps more than it received', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    for (const params of [{ topP: 0.3 }, { minP: 0.5, topK: 40 }, { typicalP: 0.2 }, { epsilonCutoff: 0.9 }]) {
      const plain = s.probs(lm, params);
      expect(s.probs(lm, { ...params, minKeep: 0 })).toEqual(plain);
      expect(s.probs(lm, { ...params, minKeep: 1 })).toEqual(plain);
    }
    // Five tokens unmasked: top-p keeps all five, not minKeep 10; nor more than the vocabulary.
    const five = lm.map((v, i) => (i % 600 === 7 ? v : -Infinity));
    expect(keptSet(s.probs(five, { topP: 0.1, minKeep: 10 })).length).toBe(5);
    expect(keptSet(s.probs(lm, { topP: 0.1, minKeep: 100_000 })).length).toBe(3000);
    // top-k is raised to minKeep.
    expect(keptSet(s.probs(lm, { topK: 5, topP: 0.1, minKeep: 10 })).length).toBe(10);
    // minKeep at or past the vocabulary keeps every unmasked token, on the logits too.
    for (const minKeep of [2999, 3000, 3001, 100_000]) {
      const kept = Math.min(minKeep, 3000);
      expect(keptSet(s.probs(lm, { topNSigma: 0.1, minKeep })).length, `top-nσ, minKeep ${minKeep}`).toBe(kept);
      expect(keptSet(s.probs(lm, { topK: 1, minKeep })).length, `top-k, minKeep ${minKeep}`).toBe(kept);
    }
    expect(keptSet(s.probs(five, { topNSigma: 0.1, minKeep: 3000 }))).toEqual(keptSet(s.probs(five)));
  });

  // Tokens 100 nats down weigh under 2^-53 of the top (stored as 0) but are candidates: a
  // temperature after the cut (llama.cpp's order) lifts them, so minKeep must choose among
  // them as among any — most likely first, ties by token — and keep no more.
  test.each(BACKENDS)('%s: minKeep reaching past the tokens that weigh under 2^-53', async (backend) => {
    const s = await createSampler({ backend, seed: 2 });
    const close = (got: Float32Array, want: number[]) => {
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(got[i], `token ${i}`).toBeCloseTo(want[i]!, 4);
    };
    const last = { order: ['topP', 'temperature'] as const };
    // top-p 0.5 keeps token 0; minKeep 3 adds the next two by probability.
    close(s.probs([0, -100, -101, -102, -103, -104], { ...last, topP: 0.5, minKeep: 3, temperature: 1e6 }), [
      1 / 3,
      1 / 3,
      1 / 3,
      0,
      0,
      0,
    ]);
    const p0 = 1 / (1 + Math.exp(-0.1)); // T = 1000 over [0, −100]
    close(s.probs([0, -104, -100, -103], { ...last, topP: 0.5, minKeep: 2, temperature: 1000 }), [p0, 0, 1 - p0, 0]);
    // Ties among them: by token.
    close(s.probs([0, -100, -100, -100], { ...last, topP: 0.5, minKeep: 3, temperature: 1e6 }), [
      1 / 3,
      1 / 3,
      1 / 3,
      0,
    ]);
    // Enough with a stored e: none of them.
    close(s.probs([0, -1, -100, -100], { ...last, topP: 0.5, minKeep: 2, temperature: 1e6 }), [0.5, 0.5, 0, 0]);
    for (let i = 0; i < 100; i++) {
      expect(s.sample([0, -100, -101, -102], { ...last, topP: 0.5, minKeep: 2, temperature: 1e6 })).toBeLessThan(2);
    }
  });

  // The same choice where the stage is typical-p (its order: closeness to the entropy, which
  // every such token is further from than any other) or follows XTC's ceiling: the first
  // minKeep, not every one of them.
  test.each(BACKENDS)('%s: minKeep past those tokens after typical-p or XTC', async (backend) => {
    const s = await createSampler({ backend, seed: 2 });
    const x = [0, -0.1, -1, -2, -60, -61, -62, -63];
    const T = 100;
    /** softmax(x / T) over `kept`, in float64. */
    const want = (kept: number[]) => {
      const w = x.map((v, i) => (kept.includes(i) ? Math.exp(v / T) : 0));
      const total = w.reduce((a, b) => a + b, 0);
      return w.map((v) => v / total);
    };
    const check = (params: SamplingParams, kept: number[]) => {
      const got = s.probs(x, params);
      const p = want(kept);
      for (let i = 0; i < x.length; i++) {
        expect(Math.abs(got[i]! - p[i]!), `token ${i}: ${got[i]} for ${p[i]}`).toBeLessThanOrEqual(2e-5 * p[i]!);
      }
      for (let i = 0; i < 200; i++) expect(kept).toContain(s.sample(x, params));
    };
    // At T = 1, p ≈ [0.415, 0.376, 0.153, 0.056] and H = 1.18 nats: typical-p 0.1 keeps token 1
    // alone; minKeep 6 takes 1, 0, 2, 3, then −60 and −61.
    check({ order: ['typicalP', 'temperature'], typicalP: 0.1, minKeep: 6, temperature: T }, [0, 1, 2, 3, 4, 5]);
    // XTC 0.2 removes token 0 (tokens 0 and 1 reach it); top-p 0.1 keeps token 1; minKeep 5
    // takes 1, 2, 3, then −60 and −61.
    check(
      {
        order: ['xtc', 'topP', 'temperature'],
        xtc: { probability: 1, threshold: 0.2 },
        topP: 0.1,
        minKeep: 5,
        temperature: T,
      },
      [1, 2, 3, 4, 5],
    );
  });

  test.each(BACKENDS)('%s: ties are taken by token, in each stage order', async (backend) => {
    const s = await createSampler({ backend, seed: 2 });
    const x = [0.1, 0.3, 0.1, 0.3, 0.1, 0.1].map(Math.log);
    // top-p 0.2 alone keeps token 1; minKeep 3 takes 1, 3, then the first 0.1: token 0.
    expect(keptSet(s.probs(x, { topP: 0.2, minKeep: 3 }))).toEqual([0, 1, 3]);
    // top-k keeps ties at its boundary: k raised to 3 keeps every 0.1.
    expect(keptSet(s.probs(x, { topK: 1, minKeep: 3 }))).toEqual([0, 1, 2, 3, 4, 5]);
    // typical-p's order is closeness to the entropy: the 0.3s (−ln 0.3 = 1.20, H = 1.64) come
    // before the 0.1s (2.30): typical 0.2 keeps token 1; minKeep 5 takes 1, 3, then 0, 2, 4.
    expect(keptSet(s.probs(x, { typicalP: 0.2 }))).toEqual([1]);
    expect(keptSet(s.probs(x, { typicalP: 0.2, minKeep: 5 }))).toEqual([0, 1, 2, 3, 4]);
  });

  test.each(BACKENDS)('%s: the same draws on every backend, and greedy ignores it', async (backend) => {
    const s = await createSampler({ backend, seed: 3 });
    expect(s.sample(lm, { temperature: 0, topP: 0.3, minKeep: 10 })).toBe(lm.indexOf(Math.max(...lm)));
  });

  describe.each(BACKENDS)('%s rejects a bad minKeep, naming it', (backend) => {
    test.each([
      [-1, RangeError, /minKeep must be an integer ≥ 0, got -1/],
      [1.5, RangeError, /minKeep must be an integer ≥ 0, got 1\.5/],
      [Number.NaN, RangeError, /minKeep must be an integer ≥ 0, got NaN/],
      [Infinity, RangeError, /minKeep must be an integer ≥ 0, got Infinity/],
      ['2', TypeError, /minKeep must be a number, got "2"/],
      [2n, TypeError, /minKeep must be a number, got 2n/],
    ])('%o', async (v, type, message) => {
      const s = await createSampler({ backend, seed: 4 });
      const t = await createSampler({ backend, seed: 4 });
      thrown(() => s.sample(lm, { minKeep: v } as never), type, message);
      thrown(() => s.probs(lm, { minKeep: v, topP: 0.5 } as never), type, message);
      expect(s.sample(lm)).toBe(t.sample(lm));
    });

    test("other APIs' spellings point at minKeep", async () => {
      const s = await createSampler({ backend, seed: 5 });
      thrown(() => s.sample(lm, { min_keep: 2 } as never), TypeError, /did you mean 'minKeep'/);
      thrown(() => s.sample(lm, { min_tokens_to_keep: 2 } as never), TypeError, /did you mean 'minKeep'/);
    });
  });
});
