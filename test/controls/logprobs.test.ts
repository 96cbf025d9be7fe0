// sampleDetailed(): the token sample() would draw, with its log-probability, the top
// log-probabilities (OpenAI's logprobs / top_logprobs; 'raw' as vLLM's default) and the
// entropy of the distribution drawn from (when asked) — against float64 for both modes, on wasm-simd
// (test/parity/ proves the other builds return the same).
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { KERNEL_BUILDS } from '../support/backends.js';
import { CHECKED } from '../support/control-suite.js';
import { checkDetailed } from '../support/detailed.js';
import { CASES, FLAT as flat, PEAKED as peaked, TIES as ties } from './logprobs.cases.js';

const MODES = ['processed', 'raw'] as const;
const TOP_NS = [0, 1, 5, 20, 1024];

describe('sampleDetailed against float64', () => {
  test.each(MODES)('%s', async (mode) => {
    const s = await createSampler({ backend: CHECKED, seed: 9 });
    for (const c of CASES) {
      for (const topLogprobs of TOP_NS) {
        for (const entropy of [false, true]) {
          const d = s.sampleDetailed(c.x, c.params as SamplingParams, { topLogprobs, logprobs: mode, entropy });
          checkDetailed(d, c.x, c.params, mode, topLogprobs);
          expect(d.entropy === undefined).toBe(!entropy);
        }
      }
    }
  });
});

describe('sampleDetailed', () => {
  test('same token and same stream use as sample(), whatever the options', async () => {
    const a = await createSampler({ backend: CHECKED, seed: 123 });
    const b = await createSampler({ backend: CHECKED, seed: 123 });
    for (let step = 0; step < 240; step++) {
      const c = CASES[step % CASES.length]!;
      const params = c.params as SamplingParams;
      const options = {
        topLogprobs: TOP_NS[step % TOP_NS.length],
        logprobs: MODES[(step >> 2) % 2],
        entropy: step % 3 === 0,
      };
      expect(b.sampleDetailed(c.x, params, options).token, `step ${step}: ${c.name}`).toBe(a.sample(c.x, params));
    }
    // Still in step: the streams consumed the same number of values.
    for (let i = 0; i < 20; i++) expect(b.sample(flat)).toBe(a.sample(flat));
  });

  test('topLogprobs N = 0 … 20 and 1024 are prefixes of one ranking', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 5 });
    for (const mode of MODES) {
      for (const [x, params] of [
        [ties, { topK: 700 }],
        [peaked, { temperature: 0.9, topP: 0.99 }],
      ] as const) {
        const full = s.sampleDetailed(x, params, { topLogprobs: 1024, logprobs: mode }).topLogprobs;
        for (let topN = 0; topN <= 20; topN++) {
          const got = s.sampleDetailed(x, params, { topLogprobs: topN, logprobs: mode }).topLogprobs;
          expect(got).toEqual(full.slice(0, topN));
        }
      }
    }
    // Fewer live tokens than asked: all of them.
    const small = [0, 1, -Infinity, 2];
    expect(s.sampleDetailed(small, {}, { topLogprobs: 1024 }).topLogprobs.map((e) => e.token)).toEqual([3, 1, 0]);
    expect(s.sampleDetailed(small, { topK: 1 }, { topLogprobs: 20 }).topLogprobs.map((e) => e.token)).toEqual([3]);
    expect(s.sampleDetailed(small, { topK: 1 }, { topLogprobs: 20, logprobs: 'raw' }).topLogprobs).toHaveLength(3);
  });

  // Found by an adversarial pass: with a largest logit of 0 the others' z are subnormal, which
  // round by up to half their value, and the filter's bound dropped four tied tokens.
  test.each(KERNEL_BUILDS)('%s: ties whose z is subnormal are all listed', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const x = new Float32Array(320).fill(-Infinity);
    x[192] = 0;
    for (const i of [0, 64, 128, 256]) x[i] = -1e-45;
    const p = s.probs(x);
    const top = s.sampleDetailed(x, {}, { topLogprobs: 5 }).topLogprobs;
    expect(top.map((e) => e.token).sort((a, b) => a - b)).toEqual([0, 64, 128, 192, 256]);
    for (const e of top) expect(Math.exp(e.logprob)).toBeCloseTo(p[e.token]!, 6);
  });

  test('a call asking for no list lists nothing, whatever the call before listed', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 5 });
    for (const mode of MODES) {
      expect(s.sampleDetailed(flat, {}, { topLogprobs: 1024, logprobs: mode }).topLogprobs).toHaveLength(1024);
      expect(s.sampleDetailed(peaked, {}, { logprobs: mode }).topLogprobs).toEqual([]);
      expect(s.sampleDetailed(peaked, {}, { topLogprobs: 0, logprobs: mode }).topLogprobs).toEqual([]);
    }
  });

  test('greedy — processed logprob 0, entropy 0, one top token; raw as always', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 5 });
    const d = s.sampleDetailed(flat, { temperature: 0 }, { topLogprobs: 5, entropy: true });
    const argmax = flat.indexOf(Math.max(...flat));
    expect(d).toEqual({
      token: argmax,
      logprob: 0,
      topLogprobs: [{ token: argmax, logprob: 0 }],
      entropy: 0,
      temperature: 0,
    });
    const raw = s.sampleDetailed(flat, { temperature: 0 }, { topLogprobs: 5, logprobs: 'raw', entropy: true });
    expect(raw.topLogprobs).toHaveLength(5);
    expect(raw.topLogprobs[0]).toEqual({ token: argmax, logprob: raw.logprob });
    expect(raw.logprob).toBeLessThan(0);
    expect(raw.entropy).toBe(0);
  });

  describe('rejects bad options, naming them', () => {
    test.each([
      [{ topLogprobs: -1 }, RangeError, /topLogprobs must be an integer in \[0, 1024\], got -1/],
      [{ topLogprobs: 1025 }, RangeError, /topLogprobs.*got 1025/],
      [{ topLogprobs: 2.5 }, RangeError, /topLogprobs.*got 2.5/],
      [{ topLogprobs: Number.NaN }, RangeError, /topLogprobs.*got NaN/],
      [{ topLogprobs: '5' }, TypeError, /topLogprobs must be a number, got "5"/],
      [{ logprobs: 'logits' }, TypeError, /logprobs must be 'processed' or 'raw', got "logits"/],
      [{ logprobs: true }, TypeError, /logprobs must be 'processed' or 'raw', got true/],
      [{ top_logprobs: 5 }, TypeError, /unknown sampleDetailed option 'top_logprobs' \(did you mean 'topLogprobs'\?\)/],
      [{ entropy: 1 }, TypeError, /entropy must be a boolean, got 1/],
      [{ entropy: 'true' }, TypeError, /entropy must be a boolean, got "true"/],
      [{ entropie: true }, TypeError, /unknown sampleDetailed option 'entropie' \(did you mean 'entropy'\?\)/],
      [5, TypeError, /sampleDetailed options must be an object like \{ topLogprobs, logprobs, entropy \}, got 5/],
    ])('%o', async (options, type, message) => {
      const a = await createSampler({ backend: CHECKED, seed: 3 });
      expect(() => a.sampleDetailed(flat, {}, options as never)).toThrow(type);
      expect(() => a.sampleDetailed(flat, {}, options as never)).toThrow(message);
      expect(a.sample(flat)).toBe((await createSampler({ backend: CHECKED, seed: 3 })).sample(flat));
    });
  });

  // Regressions of fixed known bugs, on both kernel codes.
  describe.each(KERNEL_BUILDS)('%s', (backend) => {
    // rawFromStage (fixed in 0650ee5: a separate INPUT region the kernels never write).
    test('raw logprobs ignore the mask (a copied Float32Array)', async () => {
      const s = await createSampler({ backend, seed: 1 });
      const x = new Float32Array([5, 1, 0, 0]);
      const d = s.sampleDetailed(x, { allowed: Uint32Array.of(0b1110) }, { topLogprobs: 1, logprobs: 'raw' });
      // log-softmax of the untouched logits: token 0 leads with 5 − ln(e^5 + e + 2).
      const lse = Math.log(Math.exp(5) + Math.exp(1) + 2);
      expect(d.topLogprobs[0]!.token).toBe(0);
      expect(d.topLogprobs[0]!.logprob).toBeCloseTo(5 - lse, 6);
      expect(d.logprob).toBeCloseTo(x[d.token]! - lse, 6);
    });

    // jsRescaledMax (fixed in 7602d32: the hand-written js twin halved a subnormal maximum in
    // float64 and listed these in another order than WASM did).
    test('temperature 1e38, subnormal logits: top logprobs in one order, by probability then index', async () => {
      const s = await createSampler({ backend, seed: 1 });
      const tiny = new Float32Array([2 ** -149, 5 * 2 ** -149, 2 ** -149]);
      // Every weight is 1 at this temperature, in float32 as in float64: a tie, listed by index
      // (z = +0 for the maximum and −0 for the others decides nothing since issue 16's item 4).
      const top = s.sampleDetailed(tiny, { temperature: 1e38 }, { topLogprobs: 3 }).topLogprobs;
      expect(top.map((e) => e.token)).toEqual([0, 1, 2]);
    });
  });
});
