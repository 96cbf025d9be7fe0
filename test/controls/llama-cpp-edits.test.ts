// llama.cpp's published expected probabilities for its penalties and DRY samplers
// (tests/test-sampling.cpp: test_penalties, test_dry), on every backend.
//
// Their harness: logits = logf(p) for the probabilities given, the sampler applied, then
// `dist` computes the softmax of every candidate, and the test compares each candidate's
// probability with the expected one to 1e-5. Neither sampler removes or reorders candidates, so
// candidate i is token i, and our token-indexed probs() compares directly.
//
// The penalties mean the same here as there: llama.cpp's repeat penalty divides a positive
// logit and multiplies one ≤ 0 (ours: divides one > 0, multiplies the rest — identical, as 0
// stays 0 either way), then subtracts count·frequency + presence (OpenAI's). Where they differ
// is outside these cases: llama.cpp's default window (penalty_last_n = 64, −1 = the context)
// versus ours (penaltyLastN, default all of `history`, −1 an error). DRY differs in three
// places none of these cases reaches: llama.cpp turns breaker strings into token sequences from
// its vocabulary (we take token sequences); it stops at the latest breaker by where the
// breaker starts (we: by where it ends, as the definition reads — they differ only for
// breakers that overlap); and for a base so large that ⌊88.72/ln base⌋ is 0 it does not cap
// the exponent (we cap it at 0: the penalty is the multiplier).
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';

interface Case {
  probs: number[];
  history: number[];
  expected: number[];
  params: SamplingParams;
}

const penalties = (repeat: number, frequency: number, presence: number): SamplingParams => ({
  repetitionPenalty: repeat,
  frequencyPenalty: frequency,
  presencePenalty: presence,
});

const fifths = [0.2, 0.2, 0.2, 0.2, 0.2];
const quarters = [0.25, 0.25, 0.25, 0.25];

// test_penalties(probs, last_tokens, expected, repeat_penalty, alpha_frequency, alpha_presence);
// llama_sampler_init_penalties(penalty_last_n = vocabulary size, …): every token accepted counts.
const PENALTIES: Case[] = [
  { probs: fifths, history: [0], expected: [0, 0.25, 0.25, 0.25, 0.25], params: penalties(50, 0, 0) },
  { probs: fifths, history: [0, 1, 2], expected: [0, 0, 0, 0.5, 0.5], params: penalties(50, 0, 0) },
  { probs: fifths, history: [0, 1, 2, 0, 0], expected: [0, 0, 0, 0.5, 0.5], params: penalties(50, 0, 0) },
  {
    probs: fifths,
    history: [0],
    expected: [0.000011, 0.249997, 0.249997, 0.249997, 0.249997],
    params: penalties(1, 5, 5),
  },
  {
    probs: fifths,
    history: [0, 1, 2],
    expected: [0.000023, 0.000023, 0.000023, 0.499966, 0.499966],
    params: penalties(1, 5, 5),
  },
  {
    probs: fifths,
    history: [0, 1, 2, 0, 0],
    expected: [0.0, 0.000023, 0.000023, 0.499977, 0.499977],
    params: penalties(1, 5, 5),
  },
];

// test_dry(probs, last_tokens, expected, dry_multiplier, dry_base, dry_allowed_length,
// dry_penalty_last_n, seq_breakers).
const dry = (multiplier: number, base: number, allowedLength: number, lastN: number, breakers: number[][] = []) => ({
  dry: { multiplier, base, allowedLength, lastN, sequenceBreakers: breakers },
});
const DRY: Case[] = [
  { probs: quarters, history: [0, 1], expected: [0.25, 0.25, 0.25, 0.25], params: dry(1, 1.1, 2, 4) },
  {
    probs: quarters,
    history: [0, 1, 2, 0, 1],
    expected: [0.296923, 0.296923, 0.109232, 0.296923],
    params: dry(1, 1.1, 2, 5),
  },
  {
    probs: fifths,
    history: [0, 1, 3, 4, 0, 1],
    expected: [0.2, 0.2, 0.2, 0.2, 0.2],
    params: dry(1, 1.1, 2, 6, [[3]]),
  },
  {
    probs: fifths,
    history: [0, 1, 2, 0, 1],
    expected: [0.241818, 0.241818, 0.032727, 0.241818, 0.241818],
    params: dry(2, 1.1, 2, 5),
  },
  { probs: fifths, history: [0, 1, 2, 3, 4, 0, 1], expected: fifths, params: dry(1, 1.1, 4, 7) },
];

describe("llama.cpp's test-sampling.cpp: penalties and DRY", () => {
  for (const [name, cases] of [
    ['test_penalties', PENALTIES],
    ['test_dry', DRY],
  ] as const) {
    describe.each(BACKENDS)(`%s: ${name}`, (backend) => {
      test.each(cases.map((c, i) => [i, c] as const))('case %i', async (_, c) => {
        const s = await createSampler({ backend, seed: 1 });
        // logf(p) as llama.cpp's tester computes it: a float32 logarithm of the float32 p.
        const logits = Float32Array.from(c.probs, (p) => Math.fround(Math.log(Math.fround(p))));
        for (const params of [
          { ...c.params, history: c.history },
          // The same figures from the probabilities themselves.
          { ...c.params, history: Int32Array.from(c.history), input: 'probs' as const },
        ]) {
          const p = s.probs(params.input ? Float32Array.from(c.probs) : logits, params);
          expect(p.length).toBe(c.expected.length);
          for (let i = 0; i < p.length; i++) {
            expect(Math.abs(p[i]! - c.expected[i]!), `token ${i}: ${p[i]} vs ${c.expected[i]}`).toBeLessThan(1e-5);
          }
        }
      });
    });
  }

  test.each(BACKENDS)('%s: the DRY cases draw what they promise (the penalised token most rarely)', async (backend) => {
    const s = await createSampler({ backend, seed: 7 });
    const c = DRY[3]!;
    const x = c.probs.map(Math.log);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[s.sample(x, { ...c.params, history: c.history })]!++;
    // Token 2 at p = 0.0327: 654 expected, σ ≈ 25.
    expect(Math.abs(counts[2]! - 20_000 * c.expected[2]!)).toBeLessThan(150);
  });
});
