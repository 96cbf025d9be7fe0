// The smallest reproduction of each bug in support/known-bugs.ts, on every backend: where the
// bug is listed it runs as test.fails (and turns red once fixed: then delete the entry), where
// it is not it must pass, which also pins down the right answer. Fixed bugs stay here as
// regression tests (rawFromStage and dynamicRunsTwice: fixed by 0650ee5, a separate INPUT
// region the kernels never write; hugeTemperatureTinyMax, jsRescaledMax, staleMassSelection
// and viewDetachedByEdits: fixed together with their entries' removal).
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../src/index.js';
import { BACKENDS } from './support/backends.js';
import { bugsMet, type CallShape } from './support/known-bugs.js';
import type { Params } from './support/reference.js';

/** test, or test.fails where the backend meets the bug this case reproduces. */
function on(backend: string, bug: string, params: Params, call: CallShape) {
  return bugsMet(backend, params, call).includes(bug) ? test.fails : test;
}

describe.each(BACKENDS)('%s', (backend) => {
  const make = () => createSampler({ backend, seed: 1 });

  const masked = { allowed: Uint32Array.of(0b1110) };
  on(backend, 'rawFromStage', masked, { raw: true })(
    'raw logprobs ignore the mask (a copied Float32Array)',
    async () => {
      const s = await make();
      const x = new Float32Array([5, 1, 0, 0]);
      const d = s.sampleDetailed(x, masked, { topLogprobs: 1, logprobs: 'raw' });
      // log-softmax of the untouched logits: token 0 leads with 5 − ln(e^5 + e + 2).
      const lse = Math.log(Math.exp(5) + Math.exp(1) + 2);
      expect(d.topLogprobs[0]!.token).toBe(0);
      expect(d.topLogprobs[0]!.logprob).toBeCloseTo(5 - lse, 6);
      expect(d.logprob).toBeCloseTo(x[d.token]! - lse, 6);
    },
  );

  const dynamicBias = { logitBias: { 0: 1 }, dynamicTemperature: { min: 1, max: 1 } };
  on(
    backend,
    'dynamicRunsTwice',
    dynamicBias,
    {},
  )('dynamic temperature applies a bias once', async () => {
    const s = await make();
    const p = s.probs(new Float32Array(4), dynamicBias as SamplingParams);
    expect(p[0]).toBeCloseTo(Math.E / (Math.E + 3), 6);
  });

  const dynamicProbs: Params = { input: 'probs', dynamicTemperature: { min: 0.5, max: 1 } };
  on(
    backend,
    'dynamicRunsTwice',
    dynamicProbs,
    {},
  )('dynamic temperature on probability input', async () => {
    const s = await make();
    // Uniform: H = ln 4 = ln V′, so T = max = 1 and the distribution stays uniform.
    expect(Array.from(s.probs(new Float32Array(4).fill(0.25), dynamicProbs as SamplingParams))).toEqual([
      0.25, 0.25, 0.25, 0.25,
    ]);
  });

  const huge = { temperature: 1e30 };
  on(backend, 'hugeTemperatureTinyMax', huge, { logits: [0, -1] })('temperature 1e30 over logits [0, −1]', async () => {
    const s = await make();
    expect(Array.from(s.probs([0, -1], huge))).toEqual([0.5, 0.5]);
    expect([0, 1]).toContain(s.sample([0, -1], huge));
    expect(s.sample([0], huge)).toBe(0);
  });

  const tiny = new Float32Array([2 ** -149, 5 * 2 ** -149, 2 ** -149]);
  on(
    backend,
    'jsRescaledMax',
    { temperature: 1e38 },
    { logits: tiny },
  )('temperature 1e38, subnormal maximum: top logprobs order', async () => {
    const s = await make();
    // z = +0 for the maximum, −0 for the others: equal probabilities (every e is 1), so ties,
    // listed by token on every build.
    const top = s.sampleDetailed(tiny, { temperature: 1e38 }, { topLogprobs: 3 }).topLogprobs;
    expect(top.map((e) => e.token)).toEqual([0, 1, 2]);
  });

  on(
    backend,
    'staleMassSelection',
    {},
    { afterOtherCalls: true },
  )('typical-p on one live token after a small top-p call', async () => {
    const s = await make();
    const x = new Float32Array(600);
    x[300] = 100;
    expect(s.sample(x, { typicalP: 0.5 })).toBe(300);
    s.probs([0, 1, 2], { topP: 0.9 });
    expect(s.sample(x, { typicalP: 0.5 })).toBe(300);
    expect(s.probs(x, { typicalP: 0.5 })[300]).toBe(1);
  });

  const bias = { logitBias: { ids: new Int32Array(4000), values: new Float32Array(4000) } };
  on(backend, 'viewDetachedByEdits', bias, { input: 'view' })('a 4,000-entry bias on a logitsView(4099)', async () => {
    const s = await make();
    const view = s.logitsView(4099);
    view.fill(0);
    view[7] = 1;
    bias.logitBias.ids.forEach((_, k, ids) => {
      ids[k] = k + 10;
    });
    expect(s.sample(view, { ...bias, temperature: 0 })).toBe(7);
    expect(view[7]).toBe(1);
  });

  test('a logitsView keeps its buffer through edits up to min(n, 65,536); a longer one says so', async () => {
    const s = await make();
    const view = s.logitsView(100);
    view.fill(0);
    view[7] = 1;
    const ids = Int32Array.from({ length: 100 }, (_, k) => k);
    const values = new Float32Array(100).fill(-0.5);
    expect(s.sample(view, { logitBias: { ids, values }, temperature: 0 })).toBe(7);
    expect(view.length).toBe(100); // still attached
    if (backend === 'js') return; // a plain array: nothing to grow
    const many = { ids: Int32Array.from({ length: 40_000 }, (_, k) => k % 100), values: new Float32Array(40_000) };
    expect(s.sample(view, { logitBias: many, temperature: 0 })).toBe(7); // the call itself is right
    expect(view.length).toBe(0); // but its growth detached the view, as documented
    expect(() => s.sample(view)).toThrow(/logitsView\(\) again/);
  });
});
