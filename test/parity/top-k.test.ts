// Top-k's candidate search on the three builds (the SIMD build reads the block maxima four
// lanes at a time, the scalar one a lane): on the shapes that stress it (support/top-k-shapes.ts:
// ties at the k-th logit, blocks tied at their maxima, fewer blocks than k, mostly masked
// vocabularies, k near n, the large logits in one block), the same bits from probs(), the same
// tokens, and the same top logprobs, which rest on the same block bound.
import { expect, test } from 'vitest';
import type { SamplingParams } from '../../src/index.js';
import { samplers } from '../support/backends.js';
import { bits, firstDifference } from '../support/control-suite.js';
import { rng } from '../support/data.js';
import { topKCases } from '../support/top-k-shapes.js';

test('1,200 cases over the hard shapes, n = 1 … 20,000: bit-identical probs, tokens and top logprobs', async () => {
  const all = await samplers(5);
  const r = rng(3);
  for (const [c, { shape, x, k }] of topKCases(1200, 20_000, 2).entries()) {
    const params: SamplingParams = { topK: k };
    if (r() < 0.5) params.temperature = [0, 0.5, 2][Math.floor(r() * 3)]!;
    if (r() < 0.3) params.topP = 0.9;
    const what = `case ${c}: ${shape}, n = ${x.length}, ${JSON.stringify(params)}`;
    const [p0, ...ps] = all.map((s) => bits(s.probs(x, params)));
    for (const p of ps) expect(firstDifference(p, p0!), what).toBe(-1);
    const [t0, ...ts] = all.map((s) => [s.sample(x, params), s.sample(x, params)]);
    for (const t of ts) expect(t, what).toEqual(t0);
    // Top logprobs of the untruncated distribution: their candidates come from the same bound.
    const topLogprobs = Math.min(1024, k);
    const [d0, ...ds] = all.map((s) => s.sampleDetailed(x, {}, { topLogprobs }).topLogprobs);
    for (const d of ds) expect(d, `${what}, top ${topLogprobs} logprobs`).toEqual(d0);
  }
});
