// The three builds at scale: bit-identical probs() and the same tokens at real vocabulary sizes
// and 2^20, at n = 300,001 (not a multiple of 4) with every combination of the classic
// stages, under grammar-style masks, over near-uniform and subnormal logits, and at every
// residue mod 64 (the tail of the last block in every position).
import { describe, expect, test } from 'vitest';
import type { Sampler, SamplingParams } from '../../src/index.js';
import { GRAMMAR_PARAMS, grammarStyle } from '../controls/mask.cases.js';
import { NEAR_UNIFORM, SUBNORMAL } from '../controls/top-p.cases.js';
import { BACKENDS, samplers } from '../support/backends.js';
import { bits, firstDifference } from '../support/control-suite.js';
import { LARGE_CONFIGS, LARGE_VOCABULARIES, makeLogits, type Shape } from '../support/data.js';
import { outcome } from '../support/outcome.js';
import { materialize, RESIDUE_CASES } from '../support/property-case.js';

/** probs() bit for bit, and `draws` tokens, equal on the three samplers. */
function same(all: Sampler[], x: Float32Array, params: SamplingParams, draws: number, what = ''): void {
  const label = `${what} n=${x.length} ${JSON.stringify(params, (k, v) => (k === 'allowed' ? '[mask]' : v))}`;
  const [p0, ...ps] = all.map((s) => bits(s.probs(x, params)));
  for (const [b, p] of ps.entries()) expect(firstDifference(p, p0!), `${BACKENDS[b + 1]} probs ${label}`).toBe(-1);
  const [t0, ...ts] = all.map((s) => Array.from({ length: draws }, () => s.sample(x, params)));
  for (const [b, t] of ts.entries()) expect(t, `${BACKENDS[b + 1]} tokens ${label}`).toEqual(t0);
}

describe.each(LARGE_VOCABULARIES)('vocabulary %i', (n) => {
  test('bit-identical probs, the same tokens', async () => {
    const all = await samplers(n);
    for (const [shape, params] of LARGE_CONFIGS) same(all, makeLogits(n, shape, n + shape.length), params, 5);
  });
});

test('every combination of temperature, top-k, top-p and min-p at n = 300,001, the shapes in turn', async () => {
  const all = await samplers(3);
  const n = 300_001;
  const shapes = (['peaked', 'flat', 'masked'] as Shape[]).map((shape, si) => makeLogits(n, shape, 77 + si));
  let c = 0;
  for (const temperature of [0, 0.7, 1])
    for (const topK of [0, 40])
      for (const topP of [1, 0.9])
        for (const minP of [0, 0.05]) same(all, shapes[c++ % 3]!, { temperature, topK, topP, minP }, 2);
});

test.each([13, 128])(
  'grammar-style constraints: %i of 128,256 logits allowed, as -Infinity or as a mask',
  async (count) => {
    const all = await samplers(10);
    const { logits, masked, allowed } = grammarStyle(count);
    for (const params of GRAMMAR_PARAMS) {
      same(all, masked, params, 20);
      same(all, logits, { ...params, allowed }, 20);
    }
  },
);

test('near-uniform logits at 300,000 and subnormal ones at 128,256, with top-p', async () => {
  const all = await samplers(10);
  same(all, NEAR_UNIFORM, { topP: 0.5 }, 3);
  same(all, SUBNORMAL, { topP: 0.9 }, 3);
  same(all, SUBNORMAL, { topP: 0.3 }, 3);
});

test.each(RESIDUE_CASES.map((c) => [c.n, c] as const))(
  'n = %i (every residue mod 64): the same bits, or the same error',
  async (_, c) => {
    const all = await samplers(1);
    const { x, params } = materialize(c);
    const [o0, ...os] = all.map((s) => outcome(() => s.probs(x, params as SamplingParams)));
    for (const [b, o] of os.entries()) expect(o, BACKENDS[b + 1]).toEqual(o0);
  },
);
