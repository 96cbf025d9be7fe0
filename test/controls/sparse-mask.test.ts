// A mask allowing at most n/64 tokens takes its own route: the chain starts from the allowed
// tokens listed (assembly/sparse-mask.ts) instead of a masked copy of every logit. Both routes
// must give what the float64 reference gives for -Infinity logits, and agree with each other
// token for token, for every stage, on every build.
import { describe, expect, test } from 'vitest';
import { createAdaptiveP, createMirostat, createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { compareProbs } from '../support/compare.js';
import { randomBias } from '../support/controls-data.js';
import { makeLogits, rng } from '../support/data.js';
import { reference } from '../support/reference.js';
import { thrown } from '../support/thrown.js';
import { probTolerance } from '../support/tolerance.js';

const N = 4099; // a partial last mask word and a partial last block
const LIMIT = N >> 6; // the most a sparse mask allows (assembly/sparse-mask.ts SPARSE_SHIFT)

/** `count` distinct random tokens allowed: the mask, and the logits with the rest -Infinity. */
function constraint(x: Float32Array, count: number, seed: number) {
  const r = rng(seed);
  const allowed = new Uint32Array(Math.ceil(N / 32));
  const masked = new Float32Array(N).fill(-Infinity);
  let placed = 0;
  while (placed < count) {
    const i = Math.floor(r() * N);
    if (allowed[i >> 5]! & (1 << (i & 31))) continue;
    allowed[i >> 5]! |= 1 << (i & 31);
    masked[i] = x[i]!;
    placed++;
  }
  return { allowed, masked };
}

const x = makeLogits(N, 'flat', 21).map((v) => v * 4);

const CHAINS: [string, SamplingParams][] = [
  ['temperature 1', {}],
  ['greedy', { temperature: 0 }],
  ["llama.cpp's chain", { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05 }],
  ['min-p 0.05 at temperature 1.5', { temperature: 1.5, minP: 0.05 }],
  ['typical-p 0.5', { typicalP: 0.5 }],
  ['ε 0.003, then temperature 0.7', { epsilonCutoff: 0.003, temperature: 0.7, order: ['epsilon', 'temperature'] }],
  ['η 0.002', { etaCutoff: 0.002 }],
  ['p-less', { pLess: true }],
  ['top-nσ 1', { topNSigma: 1 }],
  ['top-p 0.9, minKeep 30', { topP: 0.9, minKeep: 30 }],
  ['XTC always, threshold 0.05', { xtc: { probability: 1, threshold: 0.05 } }],
  ['dynamic temperature 0.5–1.5', { dynamicTemperature: { min: 0.5, max: 1.5 } }],
];

describe.each(BACKENDS)('%s: a sparse mask', (backend) => {
  // LIMIT tokens take the list route, LIMIT + 1 the masked copy: the same answers either way.
  test.each(CHAINS)('%s: float64 probabilities, and the same tokens as -Infinity logits', async (_, params) => {
    for (const count of [3, LIMIT, LIMIT + 1]) {
      const { allowed, masked } = constraint(x, count, count);
      const s = await createSampler({ backend, seed: 5 });
      const t = await createSampler({ backend, seed: 5 });
      const want = reference(masked, params);
      const viaMask = s.probs(x, { ...params, allowed });
      expect(compareProbs(viaMask, want, `${count} allowed`)).toBeLessThan(probTolerance(want));
      expect(compareProbs(t.probs(masked, params), want)).toBeLessThan(probTolerance(want));
      for (let k = 0; k < 100; k++) expect(s.sample(x, { ...params, allowed })).toBe(t.sample(masked, params));
    }
  });

  test('stateful stages and log-probabilities: the same as -Infinity logits', async () => {
    const { allowed, masked } = constraint(x, 40, 7);
    const s = await createSampler({ backend, seed: 9 });
    const t = await createSampler({ backend, seed: 9 });
    const [a, b] = [createAdaptiveP({ target: 0.3 }), createAdaptiveP({ target: 0.3 })];
    const [m, w] = [createMirostat({ version: 2, tau: 3, eta: 0.1 }), createMirostat({ version: 2, tau: 3, eta: 0.1 })];
    for (let k = 0; k < 50; k++) {
      expect(s.sample(x, { allowed, adaptiveP: a })).toBe(t.sample(masked, { adaptiveP: b }));
      expect(s.sample(x, { allowed, mirostat: m })).toBe(t.sample(masked, { mirostat: w }));
      const got = s.sampleDetailed(x, { allowed, temperature: 0.9 }, { topLogprobs: 5, entropy: true });
      const ref = t.sampleDetailed(masked, { temperature: 0.9 }, { topLogprobs: 5, entropy: true });
      expect(got.token).toBe(ref.token);
      expect(got.logprob).toBeCloseTo(ref.logprob, 5);
      expect(got.entropy).toBeCloseTo(ref.entropy!, 5);
      expect(got.topLogprobs.map((e) => e.token)).toEqual(ref.topLogprobs.map((e) => e.token));
    }
    // The masses are summed in another order (the list's, not the blocks'): equal to rounding.
    expect(a.weightedSum).toBeCloseTo(b.weightedSum, 6);
    expect(a.totalWeight).toBe(b.totalWeight);
    expect(m).toEqual(w); // mirostat keeps the dense route
  });

  test('a NaN or +Infinity the mask disallows is still an error, naming its index', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const { allowed } = constraint(x, 5, 3);
    const firstBanned = [...Array(N).keys()].find((i) => !(allowed[i >> 5]! & (1 << (i & 31))))!;
    for (const bad of [Number.NaN, Infinity]) {
      for (const at of [firstBanned, N - 1 - ((allowed[(N - 1) >> 5]! >>> ((N - 1) & 31)) & 1)]) {
        const y = x.slice();
        y[at] = bad;
        expect(() => s.sample(y, { allowed })).toThrow(new RegExp(`logits\\[${at}\\]`));
      }
    }
    // Nothing consumed by the failures.
    expect(s.sample(x, { allowed })).toBe((await createSampler({ backend, seed: 1 })).sample(x, { allowed }));
  });

  test('an edit past the float32 range: an error on an allowed token only', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const { allowed } = constraint(x, 5, 4);
    const isAllowed = (i: number) => (allowed[i >> 5]! >>> (i & 31)) & 1;
    const banned = [...Array(N).keys()].find((i) => !isAllowed(i))!;
    const kept = [...Array(N).keys()].find((i) => isAllowed(i))!;
    const y = x.slice();
    y[banned] = 3e38;
    y[kept] = 3e38;
    const push = (id: number) => ({
      allowed,
      logitBias: { ids: new Int32Array([id]), values: new Float32Array([3e38]) },
    });
    // The disallowed token would be -Infinity in a masked copy: no overflow there.
    expect(() => s.sample(y, push(banned))).not.toThrow();
    expect(() => s.sample(y, push(kept))).toThrow(/logitBias/);
  });

  // Found by an adversarial pass: a presence and frequency penalty of -3e38 (a total of
  // -Infinity) on an allowed token already at -Infinity makes it NaN, which the list must not
  // take in — the chain trusts it — as the dense logits' max pass does not.
  test('an edit that leaves a NaN among the allowed tokens is the same error as without a mask', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const n = 256;
    const y = new Float32Array(n).map((_, i) => Math.sin(i));
    y[40] = -Infinity;
    const allowed = new Uint32Array(n / 32);
    for (const i of [20, 30, 40]) allowed[i >> 5]! |= 1 << (i & 31);
    const masked = new Float32Array(n).fill(-Infinity);
    masked[20] = y[20]!;
    masked[30] = y[30]!;
    const pen = { history: [40], presencePenalty: -3e38, frequencyPenalty: -3e38 };
    const message = thrown(() => s.sample(masked, pen), RangeError, /after the edits hold NaN/).message;
    for (const call of [
      () => s.sample(y, { ...pen, allowed }),
      () => s.probs(y, { ...pen, allowed }),
      () => s.sampleDetailed(y, { ...pen, allowed }),
      () => s.sample(y, { ...pen, allowed, temperature: 0 }),
    ])
      expect(thrown(call, RangeError, /after the edits hold NaN/).message).toBe(message);
    expect(s.sample(y, { allowed })).toBe((await createSampler({ backend, seed: 1 })).sample(y, { allowed }));
  });

  test('every allowed token -Infinity, or banned by an edit: the all-masked error', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const { allowed } = constraint(x, 6, 5);
    const ids = [...Array(N).keys()].filter((i) => (allowed[i >> 5]! >>> (i & 31)) & 1);
    const y = x.slice();
    for (const i of ids) y[i] = -Infinity;
    expect(() => s.sample(y, { allowed })).toThrow(/every token is masked/);
    expect(() => s.probs(y, { allowed, temperature: 0 })).toThrow(/every token is masked/);
    const ban = { ids: Int32Array.from(ids), values: new Float32Array(ids.length).fill(-Infinity) };
    expect(() => s.sample(x, { allowed, logitBias: ban })).toThrow(/every token is masked/);
    // The edits were put back: the caller's array and the next call see the logits as given.
    const view = s.logitsView(N);
    view.set(x);
    const bias = randomBias(N, 50, -3, 3, 6);
    const p = s.probs(view, { allowed, logitBias: bias, repetitionPenalty: 1.3, history: Int32Array.from(ids) });
    expect(view).toEqual(x);
    expect(p.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
  });
});
