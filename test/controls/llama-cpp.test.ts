// llama.cpp's published expectations (tests/test-sampling.cpp) for every sampler this package
// shares with it — temperature, temp-ext, top-k, top-p, min-p, XTC, typical, top-nσ, p-less and
// the sampler-queue cases — on every backend, in order: 'llama.cpp'. (Penalties and DRY: the
// edits' tests.) Their harness feeds logit = logf(p) with float32 parameters, and lists the
// candidates that remain — sorted by probability when a sampler sorted them, in token order
// otherwise — with p renormalised by the dist sampler, except after XTC and typical alone
// (no dist: p as before the cut). Each figure is mapped here to the token it belongs to, and
// the unnormalised ones are renormalised. The sampler-queue cases publish sizes and the lowest
// token id kept over logits log(i), i < 10,000 (token 0: p = 0, which their sizes count when no
// sampler removed it and which probs() reports as 0).
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { type Params, reference } from '../support/reference.js';

const f = Math.fround;
/** Their logits: logf of a float32 probability. */
const logits = (p: readonly number[]) => Float32Array.from(p, (v) => Math.log(f(v)));

/** temp_ext(t, δ, exponent): dynamic temperature over [t − δ, t + δ] when δ > 0. */
const tempExt = (t: number, delta: number, exponent: number): Params =>
  delta > 0 ? { dynamicTemperature: { min: Math.max(0, t - delta), max: t + delta, exponent } } : { temperature: f(t) };

interface Case {
  name: string;
  probs: readonly number[];
  params: Params;
  /** The tokens their figures refer to, in their order. */
  tokens: readonly number[];
  figures: readonly number[];
  /** Their harness applied no dist after the sampler: the figures are p before the cut. */
  unnormalised?: boolean;
}

const P4 = [0.1, 0.2, 0.3, 0.4];
const XTC4 = [0.4, 0.3, 0.2, 0.1];
const ALL = [0, 1, 2, 3];
const DOWN = [3, 2, 1, 0];

const CASES: Case[] = [
  { name: 'temp 1', probs: P4, params: { temperature: 1 }, tokens: ALL, figures: P4 },
  { name: 'temp 0', probs: P4, params: { temperature: 0 }, tokens: ALL, figures: [0, 0, 0, 1] },
  { name: 'temp_ext 1, 0, 1', probs: P4, params: tempExt(1, 0, 1), tokens: ALL, figures: P4 },
  { name: 'temp_ext 0, 0, 1', probs: P4, params: tempExt(0, 0, 1), tokens: ALL, figures: [0, 0, 0, 1] },
  { name: 'top_k 1', probs: P4, params: { topK: 1 }, tokens: [3], figures: [1] },
  { name: 'top_k 3', probs: P4, params: { topK: 3 }, tokens: [3, 2, 1], figures: [0.44444, 0.33333, 0.22222] },
  { name: 'top_k 4', probs: P4, params: { topK: 4 }, tokens: DOWN, figures: [0.4, 0.3, 0.2, 0.1] },
  { name: 'top_k 0', probs: P4, params: { topK: 0 }, tokens: ALL, figures: P4 },
  // top_p 0 keeps the most likely token alone; topP must be > 0: the least positive does that.
  { name: 'top_p 0', probs: P4, params: { topP: Number.MIN_VALUE }, tokens: [3], figures: [1] },
  { name: 'top_p 0.7', probs: P4, params: { topP: f(0.7) }, tokens: [3, 2], figures: [0.571429, 0.428571] },
  { name: 'top_p 0.8', probs: P4, params: { topP: f(0.8) }, tokens: [3, 2, 1], figures: [0.44444, 0.33333, 0.22222] },
  { name: 'top_p 1', probs: P4, params: { topP: 1 }, tokens: ALL, figures: P4 },
  ...(
    [
      [0, ALL, P4],
      [0.24, ALL, P4],
      [0.26, [1, 2, 3], [0.2 / 0.9, 0.3 / 0.9, 0.4 / 0.9]],
      [0.49, [1, 2, 3], [0.2 / 0.9, 0.3 / 0.9, 0.4 / 0.9]],
      [0.51, [2, 3], [0.3 / 0.7, 0.4 / 0.7]],
      [0.74, [2, 3], [0.3 / 0.7, 0.4 / 0.7]],
      [0.76, [3], [1]],
      [1, [3], [1]],
      // min_p 1.05 keeps what minP 1 keeps (p = p_max); minP is at most 1.
      [1.05, [3], [1]],
    ] as const
  ).map(([p, tokens, figures]) => ({
    name: `min_p ${p}`,
    probs: P4,
    params: { minP: Math.min(1, f(p)) },
    tokens,
    figures,
  })),
  ...(
    [
      [0.09, [3], [0.1]],
      [0.19, [2, 3], [0.2, 0.1]],
      [0.29, [1, 2, 3], [0.3, 0.2, 0.1]],
      [0.39, [0, 1, 2, 3], [0.4, 0.3, 0.2, 0.1]],
    ] as const
  ).map(([t, tokens, figures]) => ({
    name: `xtc 0.99, ${t} (the coin applies XTC)`,
    probs: XTC4,
    params: { xtc: { probability: 1, threshold: f(t) } },
    tokens,
    figures,
    unnormalised: true,
  })),
  {
    name: 'typical 0.5, peaked',
    probs: [0.97, 0.01, 0.01, 0.01],
    params: { typicalP: 0.5 },
    tokens: [0],
    figures: [0.97],
    unnormalised: true,
  },
  {
    name: 'typical 0.5',
    probs: [0.4, 0.2, 0.2, 0.2],
    params: { typicalP: 0.5 },
    tokens: [1, 2, 3],
    figures: [0.2, 0.2, 0.2],
    unnormalised: true,
  },
  { name: 'top_n_sigma 1', probs: P4, params: { topNSigma: 1 }, tokens: ALL, figures: [0, 0, 0.428571, 0.571429] },
  { name: 'top_n_sigma 0', probs: P4, params: { topNSigma: 0 }, tokens: ALL, figures: P4 },
  { name: 'top_n_sigma 3', probs: P4, params: { topNSigma: 3 }, tokens: ALL, figures: P4 },
  {
    name: 'p_less',
    probs: [0.1, 0.15, 0.2, 0.25, 0.3],
    params: { pLess: true },
    tokens: [3, 4],
    figures: [0.45454545, 0.54545455],
  },
  {
    name: 'p_less, uniform',
    probs: [0.2, 0.2, 0.2, 0.2, 0.2],
    params: { pLess: true },
    tokens: [0, 1, 2, 3, 4],
    figures: [0.2, 0.2, 0.2, 0.2, 0.2],
  },
];

/** The published figures as a token-indexed distribution. */
function expected(c: Case): Float64Array {
  const out = new Float64Array(c.probs.length);
  const sum = c.unnormalised ? c.figures.reduce((a, b) => a + b, 0) : 1;
  for (const [r, t] of c.tokens.entries()) out[t] = c.figures[r]! / sum;
  return out;
}

const withOrder = (p: Params) => ({ ...p, order: 'llama.cpp' }) as Params;

describe("llama.cpp's tests/test-sampling.cpp", () => {
  test.each(BACKENDS)('%s: every published case, in order llama.cpp', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    for (const c of CASES) {
      const want = expected(c);
      const got = s.probs(logits(c.probs), withOrder(c.params) as SamplingParams);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), `${c.name} [${i}]`).toBeLessThan(1e-5);
      // Only the tokens their figures name (with p > 0) can be drawn.
      for (let k = 0; k < 20; k++)
        expect(want[s.sample(logits(c.probs), withOrder(c.params) as SamplingParams)]).toBeGreaterThan(0);
    }
  });

  test('the float64 reference agrees with every published figure', () => {
    for (const c of CASES) {
      const ref = reference(logits(c.probs), withOrder(c.params));
      const want = expected(c);
      for (let i = 0; i < want.length; i++)
        expect(Math.abs(ref.p[i]! - want[i]!), `${c.name} [${i}]`).toBeLessThan(1e-5);
    }
  });

  test.each(BACKENDS)(
    '%s: XTC with their chance 0.99: probs() mixes in the 1% where the coin says no',
    async (backend) => {
      const s = await createSampler({ backend, seed: 2 });
      for (const c of CASES.filter((c) => c.params.xtc)) {
        const params = withOrder({ xtc: { ...c.params.xtc!, probability: f(0.99) } }) as SamplingParams;
        const got = s.probs(logits(c.probs), params);
        const applied = expected(c);
        const input = c.probs.map((p) => p / c.probs.reduce((a, b) => a + b, 0));
        for (let i = 0; i < 4; i++) {
          expect(
            Math.abs(got[i]! - (f(0.99) * applied[i]! + (1 - f(0.99)) * input[i]!)),
            `${c.name} [${i}]`,
          ).toBeLessThan(1e-5);
        }
      }
    },
  );

  // [sequence, top_k, top_p, min_p, then per sampler applied: (lowest token id, size) published]
  const QUEUE: [string, number, number, number, [number, number][]][] = [
    ['k', 10000, 1, 1, [[0, 10000]]],
    ['k', 1, 1, 1, [[9999, 1]]],
    ['p', 10000, 1, 1, [[0, 10000]]],
    ['p', 10000, 0, 1, [[9999, 1]]],
    ['m', 10000, 1, 1, [[9999, 1]]],
    ['m', 10000, 1, 1e-12, [[1, 9999]]],
    ['k', 100, 1, 1, [[9900, 100]]],
    ['p', 10000, 0.0003, 1, [[9998, 2]]],
    ['p', 10000, 0.8, 1, [[4472, 5528]]],
    ['m', 10000, 1, 9997.9 / 9999, [[9998, 2]]],
    ['m', 10000, 1, 0.1, [[1000, 9000]]],
    [
      'kp',
      100,
      0.8,
      0.1,
      [
        [9900, 100],
        [9920, 80],
      ],
    ],
    [
      'km',
      100,
      0.8,
      0.1,
      [
        [9900, 100],
        [9900, 100],
      ],
    ],
    [
      'pk',
      100,
      0.8,
      0.1,
      [
        [4472, 5528],
        [9900, 100],
      ],
    ],
    [
      'pm',
      100,
      0.8,
      0.1,
      [
        [4472, 5528],
        [4472, 5528],
      ],
    ],
    [
      'mk',
      100,
      0.8,
      0.1,
      [
        [1000, 9000],
        [9900, 100],
      ],
    ],
    [
      'mp',
      100,
      0.8,
      9997.9 / 9999,
      [
        [9998, 2],
        [9998, 2],
      ],
    ],
    [
      'mp',
      100,
      0.8,
      0.1,
      [
        [1000, 9000],
        [4560, 5440],
      ],
    ],
    [
      'kpm',
      100,
      0.8,
      0.1,
      [
        [9900, 100],
        [9920, 80],
        [9920, 80],
      ],
    ],
    [
      'kmp',
      100,
      0.8,
      0.1,
      [
        [9900, 100],
        [9900, 100],
        [9920, 80],
      ],
    ],
    [
      'pkm',
      100,
      0.8,
      0.1,
      [
        [4472, 5528],
        [9900, 100],
        [9900, 100],
      ],
    ],
    [
      'pmk',
      100,
      0.8,
      0.1,
      [
        [4472, 5528],
        [4472, 5528],
        [9900, 100],
      ],
    ],
    [
      'mkp',
      100,
      0.8,
      0.1,
      [
        [1000, 9000],
        [9900, 100],
        [9920, 80],
      ],
    ],
    [
      'mpk',
      100,
      0.8,
      0.1,
      [
        [1000, 9000],
        [4560, 5440],
        [9900, 100],
      ],
    ],
  ];
  const vocab = Float32Array.from({ length: 10000 }, (_, i) => Math.log(i));
  const STAGE = { k: 'topK', p: 'topP', m: 'minP' } as const;

  /** The params and order of the first `upTo` samplers of a sequence: llama.cpp's named order
   *  where the sequence follows it (k, p, m), the stage names otherwise. */
  function queueParams(seq: string, k: number, p: number, m: number): Params {
    const params: Params = {};
    for (const s of seq) {
      if (s === 'k') params.topK = k;
      else if (s === 'p') params.topP = p === 0 ? Number.MIN_VALUE : f(p);
      else params.minP = f(m);
    }
    const stages = [...seq].map((s) => STAGE[s as 'k' | 'p' | 'm']);
    const named = ['topK', 'topP', 'minP'].filter((n) => stages.includes(n as never));
    params.order = named.join() === stages.join() ? 'llama.cpp' : [...stages, 'temperature'];
    return params;
  }

  test.each(BACKENDS)('%s: the sampler-queue cases, after each sampler', async (backend) => {
    const s = await createSampler({ backend, seed: 3 });
    for (const [seq, k, p, m, steps] of QUEUE) {
      for (const [j, [lowest, size]] of steps.entries()) {
        const params = queueParams(seq.slice(0, j + 1), k, p, m);
        // Their size counts token 0 (p = 0) when nothing removed it.
        const first = Math.max(lowest, 1);
        expect(size - (lowest === 0 ? 1 : 0), `${seq}: ${j}`).toBe(10000 - first);
        const got = s.probs(vocab, params as SamplingParams);
        const kept = keptSet(got);
        expect([kept[0], kept.length], `${seq} after ${j + 1}`).toEqual([first, 10000 - first]);
        // dist renormalises p ∝ i over what is kept.
        const mass = (10000 * 9999) / 2 - (first * (first - 1)) / 2;
        for (const i of [first, 9999]) expect(Math.abs(got[i]! - i / mass), `${seq}: p[${i}]`).toBeLessThan(1e-5);
        if (backend === 'js') expect(keptSet(reference(vocab, params).p), `${seq}: reference`).toEqual(kept);
      }
    }
  });
});
