// sampleDetailed(): the token sample() would draw, with its log-probability, the top
// log-probabilities (OpenAI's logprobs / top_logprobs; 'raw' as vLLM's default) and the
// entropy of the distribution drawn from — against float64 for both modes, on every backend.
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { maskOf, probsFrom, randomBias, randomHistory } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';
import { checkDetailed } from '../support/detailed.js';
import { bugsMet } from '../support/known-bugs.js';
import type { Params } from '../support/reference.js';

const n = 3000;
const flat = makeLogits(n, 'flat', 71).map((v) => v * 3);
const peaked = makeLogits(n, 'peaked', 72).map((v) => v / 4);
const ties = makeLogits(n, 'ties', 73);

const CASES: { name: string; x: Float32Array; params: Params }[] = [
  { name: 'plain', x: flat, params: {} },
  { name: 'temperature 0.7, top-k 40', x: peaked, params: { temperature: 0.7, topK: 40 } },
  { name: 'top-p 0.9', x: flat, params: { topP: 0.9 } },
  { name: 'min-p 0.05, temperature 1.3', x: peaked, params: { minP: 0.05, temperature: 1.3 } },
  { name: 'typical 0.8', x: flat, params: { typicalP: 0.8 } },
  { name: 'dynamic temperature', x: peaked, params: { dynamicTemperature: { min: 0.3, max: 1.6 } } },
  { name: 'ties, top-k 500', x: ties, params: { topK: 500 } },
  { name: 'greedy', x: flat, params: { temperature: 0 } },
  { name: 'allowed mask', x: flat, params: { allowed: maskOf(n, (i) => i % 5 !== 1) } },
  { name: 'logit bias', x: peaked, params: { logitBias: randomBias(n, 300, -4, 4, 74) } },
  {
    name: 'penalties',
    x: flat,
    params: { history: randomHistory(n, 256, 75), repetitionPenalty: 1.2, presencePenalty: 0.4, frequencyPenalty: 0.1 },
  },
  { name: 'probability input, temperature 0.8', x: probsFrom(flat), params: { input: 'probs', temperature: 0.8 } },
];

const MODES = ['processed', 'raw'] as const;
const TOP_NS = [0, 1, 5, 20, 1024];

describe.each(BACKENDS)('%s: sampleDetailed against float64', (backend) => {
  for (const mode of MODES) {
    const [clean, hit] = [false, true].map((met) =>
      CASES.filter((c) => bugsMet(backend, c.params, { raw: mode === 'raw' }).length > 0 === met),
    );
    const check = async (cases: typeof CASES) => {
      const s = await createSampler({ backend, seed: 9 });
      for (const c of cases) {
        for (const topLogprobs of TOP_NS) {
          const d = s.sampleDetailed(c.x, c.params as SamplingParams, { topLogprobs, logprobs: mode });
          checkDetailed(d, c.x, c.params, mode, topLogprobs);
        }
      }
    };
    test(`${mode}: ${clean!.map((c) => c.name).join(', ')}`, () => check(clean!));
    // Temporary: the raw-logprobs bug in support/known-bugs.ts.
    if (hit!.length > 0)
      test.fails(`${mode} (known bug rawFromStage): ${hit!.map((c) => c.name).join(', ')}`, () => check(hit!));
  }
});

describe('sampleDetailed', () => {
  test.each(BACKENDS)('%s: same token and same stream use as sample(), whatever the options', async (backend) => {
    const a = await createSampler({ backend, seed: 123 });
    const b = await createSampler({ backend, seed: 123 });
    for (let step = 0; step < 240; step++) {
      const c = CASES[step % CASES.length]!;
      const params = c.params as SamplingParams;
      const options = { topLogprobs: TOP_NS[step % TOP_NS.length], logprobs: MODES[(step >> 2) % 2] };
      expect(b.sampleDetailed(c.x, params, options).token, `step ${step}: ${c.name}`).toBe(a.sample(c.x, params));
    }
    // Still in step: the streams consumed the same number of values.
    for (let i = 0; i < 20; i++) expect(b.sample(flat)).toBe(a.sample(flat));
  });

  test.each(BACKENDS)('%s: topLogprobs N = 0 … 20 and 1024 are prefixes of one ranking', async (backend) => {
    const s = await createSampler({ backend, seed: 5 });
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

  test.each(BACKENDS)(
    '%s: a call asking for no list lists nothing, whatever the call before listed',
    async (backend) => {
      const s = await createSampler({ backend, seed: 5 });
      for (const mode of MODES) {
        expect(s.sampleDetailed(flat, {}, { topLogprobs: 1024, logprobs: mode }).topLogprobs).toHaveLength(1024);
        expect(s.sampleDetailed(peaked, {}, { logprobs: mode }).topLogprobs).toEqual([]);
        expect(s.sampleDetailed(peaked, {}, { topLogprobs: 0, logprobs: mode }).topLogprobs).toEqual([]);
      }
    },
  );

  test.each(BACKENDS)('%s: greedy — processed logprob 0, entropy 0, one top token; raw as always', async (backend) => {
    const s = await createSampler({ backend, seed: 5 });
    const d = s.sampleDetailed(flat, { temperature: 0 }, { topLogprobs: 5 });
    const argmax = flat.indexOf(Math.max(...flat));
    expect(d).toEqual({
      token: argmax,
      logprob: 0,
      topLogprobs: [{ token: argmax, logprob: 0 }],
      entropy: 0,
      temperature: 0,
    });
    const raw = s.sampleDetailed(flat, { temperature: 0 }, { topLogprobs: 5, logprobs: 'raw' });
    expect(raw.topLogprobs).toHaveLength(5);
    expect(raw.topLogprobs[0]).toEqual({ token: argmax, logprob: raw.logprob });
    expect(raw.logprob).toBeLessThan(0);
    expect(raw.entropy).toBe(0);
  });

  describe.each(BACKENDS)('%s rejects bad options, naming them', (backend) => {
    test.each([
      [{ topLogprobs: -1 }, RangeError, /topLogprobs must be an integer in \[0, 1024\], got -1/],
      [{ topLogprobs: 1025 }, RangeError, /topLogprobs.*got 1025/],
      [{ topLogprobs: 2.5 }, RangeError, /topLogprobs.*got 2.5/],
      [{ topLogprobs: Number.NaN }, RangeError, /topLogprobs.*got NaN/],
      [{ topLogprobs: '5' }, TypeError, /topLogprobs must be a number, got "5"/],
      [{ logprobs: 'logits' }, TypeError, /logprobs must be 'processed' or 'raw', got "logits"/],
      [{ logprobs: true }, TypeError, /logprobs must be 'processed' or 'raw', got true/],
      [{ top_logprobs: 5 }, TypeError, /unknown sampleDetailed option 'top_logprobs' \(did you mean 'topLogprobs'\?\)/],
      [5, TypeError, /sampleDetailed options must be an object like \{ topLogprobs, logprobs \}, got 5/],
    ])('%o', async (options, type, message) => {
      const a = await createSampler({ backend, seed: 3 });
      expect(() => a.sampleDetailed(flat, {}, options as never)).toThrow(type);
      expect(() => a.sampleDetailed(flat, {}, options as never)).toThrow(message);
      expect(a.sample(flat)).toBe((await createSampler({ backend, seed: 3 })).sample(flat));
    });
  });
});
